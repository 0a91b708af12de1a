import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { startHostFixture, type HostFixture } from './support/host-fixture.ts'
import { addFolder } from './support/add-folder.ts'
import { signIn } from './support/sign-in.ts'

// The headless host sends the page with the activity list already drawn in it: the browser paints
// the user's rows with the page itself, before the renderer's script has run (held back here), in
// their places despite the strict CSP (the places ride in a <style> with this answer's nonce), and
// the app then takes the screen over. A signed-out page comes as the plain file.

let fixture: HostFixture
let folder: string

test.use({ viewport: { width: 1100, height: 760 } })
test.beforeAll(async () => {
  fixture = await startHostFixture()
  folder = await mkdtemp(join(tmpdir(), 'pbs-e2e-first-screen-'))
  for (let i = 0; i < 40; i++)
    await writeFile(join(folder, `frame-${String(i).padStart(2, '0')}.txt`), `frame ${i}\n`)
})
test.afterAll(async () => {
  await fixture?.close()
  await rm(folder, { recursive: true, force: true })
})

test('the page comes with the list drawn in it, painted before the script runs, then the app takes over', async ({
  page,
}) => {
  const refused: string[] = []
  page.on('console', (message) => {
    if (/Content Security Policy/.test(message.text())) refused.push(message.text())
  })
  // Signed out: the plain page, no nonce in its policy.
  const signedOut = await page.goto(fixture.host.url)
  expect(signedOut?.headers()['content-security-policy']).not.toContain('nonce-')

  const board = fixture.sandbox.boards[0]
  if (!board) throw new Error('the sandbox has no boards')
  await signIn(page, fixture.host.url, fixture.sandbox.token)
  await page.getByRole('button', { name: 'Pause all' }).click()
  await addFolder(page, folder, board.title)
  await page.getByRole('button', { name: 'Activity' }).click()
  const summary = page.getByLabel('Queue totals').locator('.totals-summary')
  await expect(summary).toHaveText('Paused · 40 waiting · 0 done', { timeout: 30_000 })

  // Opened again with the renderer's script held back: what is on screen is the page's own.
  let release = () => {}
  const held = new Promise<void>((resolve) => (release = resolve))
  await page.route(/\/assets\/.*\.js$/, async (route) => {
    await held
    await route.continue()
  })
  const response = await page.reload({ waitUntil: 'commit' })
  const policy = response?.headers()['content-security-policy'] ?? ''
  expect(policy).toMatch(/style-src 'self' 'nonce-[A-Za-z0-9+/=]+'/)
  expect(response?.headers()['cache-control']).toBe('no-store')
  // The drawn screen is a picture until the app takes over: inert and hidden from assistive
  // technology, so roles and clicks wait for the app (CSS finds what is painted).
  const drawn = page.locator('[data-first-screen]')
  await expect(drawn).toHaveAttribute('inert', '')
  await expect(drawn.locator('.totals-summary')).toHaveText('Paused · 40 waiting · 0 done')
  await expect(drawn.locator('.job-row').first()).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Activity' })).toHaveCount(0)
  // Each row in its place: the second is one row (64 px) below the first.
  await expect(drawn.locator('.job-slot').nth(1)).toHaveCSS(
    'transform',
    'matrix(1, 0, 0, 1, 0, 64)',
  )
  await expect(page.locator('[data-outline]')).toHaveCount(0)

  // The script arrives: the app draws itself in place, with every job, and its buttons work.
  release()
  await expect(drawn).toHaveCount(0)
  const list = page.getByRole('list', { name: 'Uploads' })
  await expect(list.getByRole('listitem').first()).toBeVisible()
  await expect(list.locator('> div')).toHaveCSS('height', `${64 * 40}px`)
  await expect(list.locator('.job-slot').first()).not.toHaveAttribute('data-place')
  await expect(page.locator('.app-frame')).toHaveCount(1)
  await page.getByRole('button', { name: 'Resume all' }).click()
  await expect(summary).not.toHaveText(/Paused/)
  expect(refused).toEqual([])
})
