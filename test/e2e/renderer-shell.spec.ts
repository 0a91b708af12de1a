import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { serveStatic } from './support/static-server.ts'

// The built renderer alone (no preload, no host behind it): it must load under its CSP, say
// plainly that it cannot reach the engine, and offer to try again, instead of a blank window.
test('the built renderer loads in Chromium and explains when no engine answers', async ({
  page,
}) => {
  const server = await serveStatic(resolve('out/renderer'))
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text())
  })
  try {
    await page.goto(server.url)
    await expect(page.getByRole('heading', { name: 'Playbook Sync', exact: true })).toBeAttached()
    await expect(page.getByRole('heading', { name: 'Can’t reach Playbook Sync' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Try again' })).toBeVisible()
    expect(errors).toEqual([])
  } finally {
    await server.close()
  }
})
