import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { serveStatic } from './support/static-server.ts'

test('the built renderer loads in Chromium and shows the first screen', async ({ page }) => {
  const server = await serveStatic(resolve('out/renderer'))
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  try {
    await page.goto(server.url)
    await expect(page.getByRole('heading', { name: 'Playbook Sync' })).toBeVisible()
    await expect(page.getByRole('button', { name: 'Try it with the sandbox' })).toBeVisible()
    expect(errors).toEqual([])
  } finally {
    await server.close()
  }
})
