import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { serveStatic } from './support/static-server.ts'
import sharp from 'sharp'
import {
  latestMagicLink,
  sandboxAssets,
  setFaults,
  startHostFixture,
  type HostFixture,
} from './support/host-fixture.ts'
import { chooseFolderAndBoard } from './support/add-folder.ts'
import { chooseOrganization } from './support/sign-in.ts'

// The renderer in Debian's Chromium, served by the headless host over the real engine and the
// real sandbox: the same contract and handlers Electron uses, with dropped files streamed to the host.

const email = 'designer@studio.test'

/** The few DOM globals the drop tests use (specs typecheck without the DOM library). */
interface PageGlobals {
  DataTransfer: new () => {
    readonly items: { add(file: File): unknown }
    setData(type: string, value: string): void
  }
  DragEvent: new (
    type: string,
    init: { dataTransfer: unknown; bubbles: boolean; cancelable?: boolean },
  ) => object
  dispatchEvent(event: object): boolean
}
let fixture: HostFixture
let folder: string
let drops: string
let web: string

async function png(path: string, color: string): Promise<void> {
  await sharp({ create: { width: 320, height: 200, channels: 3, background: color } })
    .png()
    .toFile(path)
}

const sha256 = async (path: string) =>
  createHash('sha256')
    .update(await readFile(path))
    .digest('hex')

/** Screenshots for the README: refreshed in docs/ with UPDATE_SCREENSHOTS=1, else kept in test-results/. */
async function shot(page: Page, name: string): Promise<void> {
  const dir =
    process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots'
  await page.screenshot({ path: `${dir}/${name}.png` })
}

test.describe.configure({ mode: 'serial' })

test.beforeAll(async () => {
  fixture = await startHostFixture()
  folder = await mkdtemp(join(tmpdir(), 'pbs-e2e-folder-'))
  drops = await mkdtemp(join(tmpdir(), 'pbs-e2e-drops-'))
  web = await mkdtemp(join(tmpdir(), 'pbs-e2e-web-'))
  await png(join(web, 'linked-swatch.png'), '#3070d0')
  await png(join(folder, 'moodboard.png'), '#8a7cf0')
  await writeFile(join(folder, 'brief.txt'), 'Spring campaign: warm light, soft shadows.\n')
  await writeFile(join(folder, '.DS_Store'), 'junk')
  await png(join(drops, 'dropped-hero.png'), '#f0a070')
  await png(join(drops, 'paused-proof.png'), '#70c0a0')
  await png(join(drops, 'flaky-upload.png'), '#d06080')
  await sharp({
    create: {
      width: 900,
      height: 900,
      channels: 3,
      background: '#808080',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .png()
    .toFile(join(drops, 'texture-study.png'))
  await writeFile(join(drops, 'reel-cut.mov'), randomBytes(3 * 1024 * 1024))
})

test.afterAll(async () => {
  await fixture?.close()
  await rm(folder, { recursive: true, force: true })
  await rm(drops, { recursive: true, force: true })
  await rm(web, { recursive: true, force: true })
})

test.use({ viewport: { width: 1100, height: 720 } })

test('signs in with the sandbox mailbox link, pairs a folder, takes a drop, pauses, recovers from a fault', async ({
  page,
}) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) errors.push(m.text())
  })
  const board = fixture.sandbox.boards[0]
  if (!board) throw new Error('the sandbox has no boards')

  // Sign in: e-mail a magic link, read it from the sandbox mailbox, paste it.
  await page.goto(fixture.host.url)
  await expect(page.getByRole('heading', { name: 'Playbook Sync' })).toBeVisible()
  await expect(page.getByRole('button', { name: 'Try it with the sandbox' })).toBeVisible()
  await shot(page, 'sign-in')
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(email)
  await page.getByRole('button', { name: 'Send link' }).click()
  await expect(page.getByText(`Check ${email}`)).toBeVisible()
  await page
    .getByRole('textbox', { name: 'Paste the link from the email' })
    .fill(await latestMagicLink(fixture.sandbox, email))
  await page.getByRole('button', { name: 'Finish sign-in' }).click()
  await chooseOrganization(page)
  await expect(page.getByText('No uploads yet')).toBeVisible()

  // Pair a folder: path → board → preview → start.
  await chooseFolderAndBoard(page, folder, board.title)
  await expect(page.getByText(/2 files, .* to upload, \d+ ignored/)).toBeVisible()
  await shot(page, 'add-folder')
  await page.getByRole('button', { name: 'Start syncing' }).click()
  await expect(page.getByRole('listitem', { name: new RegExp(`to ${board.title}`) })).toBeVisible()

  // Drop a file: it is streamed to the host and jumps the queue on the same board.
  await page.getByRole('button', { name: 'Activity' }).click()
  await page.getByTestId('file-input').setInputFiles(join(drops, 'dropped-hero.png'))
  const row = (title: string) => page.getByRole('listitem', { name: new RegExp(`^${title}:`) })
  for (const title of ['moodboard.png', 'brief.txt', 'dropped-hero.png']) {
    await expect(row(title)).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  }
  await expect(row('dropped-hero.png').locator('img.thumb')).toBeVisible()
  await expect(page.getByText('3 done', { exact: true })).toBeVisible()
  await shot(page, 'activity')

  // Pause: a new drop waits; resume: it finishes.
  await page.getByRole('button', { name: 'Pause all' }).click()
  await expect(page.getByRole('button', { name: 'Resume all' })).toBeVisible()
  await page.getByTestId('file-input').setInputFiles(join(drops, 'paused-proof.png'))
  await expect(row('paused-proof.png')).toBeVisible()
  await expect(row('paused-proof.png').getByText('Paused', { exact: true })).toBeVisible()
  await expect(page.getByText('Paused · 1 waiting · 3 done', { exact: true })).toBeVisible()
  await shot(page, 'paused')
  await page.getByRole('button', { name: 'Resume all' }).click()
  await expect(row('paused-proof.png')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })

  // A fault: the server refuses to prepare uploads; the job fails with the reason, then retry wins.
  await setFaults(fixture.sandbox, [
    { method: 'POST', path: '/*upload_prepare', action: 'status', status: 400, times: 0 },
  ])
  await page.getByTestId('file-input').setInputFiles(join(drops, 'flaky-upload.png'))
  await expect(row('flaky-upload.png')).toHaveAttribute('data-state', 'failed', { timeout: 30_000 })
  await expect(page.getByRole('button', { name: 'Retry all failed' })).toBeVisible()
  // The reason in plain words; the server's own text stays under "Details".
  await expect(
    row('flaky-upload.png').getByText(/Playbook did not accept this file\./),
  ).toBeVisible()
  await row('flaky-upload.png').getByText('Details', { exact: true }).click()
  await expect(row('flaky-upload.png').getByText(/injected/)).toBeVisible()
  await expect(page.getByText('4 done · 1 failed', { exact: true })).toBeVisible()
  await shot(page, 'failed')
  await setFaults(fixture.sandbox, null)
  await page.getByRole('button', { name: 'Retry flaky-upload.png' }).click()
  await expect(row('flaky-upload.png')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })

  // A file dropped onto the window (a real drop event carrying a DataTransfer), and a link dragged
  // from a browser (URL ingest, followed until the sandbox fetched it).
  await page.evaluate(() => {
    const w = globalThis as unknown as PageGlobals
    const data = new w.DataTransfer()
    data.items.add(new File(['notes from the shoot\n'], 'drop-notes.txt', { type: 'text/plain' }))
    w.dispatchEvent(new w.DragEvent('dragenter', { dataTransfer: data, bubbles: true }))
    w.dispatchEvent(
      new w.DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
    )
  })
  await expect(row('drop-notes.txt')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  const images = await serveStatic(web)
  try {
    const link = `${images.url}/linked-swatch.png`
    await page.evaluate((uri) => {
      const w = globalThis as unknown as PageGlobals
      const data = new w.DataTransfer()
      data.setData('text/uri-list', uri)
      w.dispatchEvent(
        new w.DragEvent('drop', { dataTransfer: data, bubbles: true, cancelable: true }),
      )
    }, link)
    const linkRow = page.getByRole('listitem').filter({ hasText: link })
    await expect(linkRow).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  } finally {
    await images.close()
  }

  // Progress as it happens: storage answers slowly, two larger files move chunk by chunk.
  await setFaults(fixture.sandbox, [
    { method: 'PUT', path: '/storage', action: 'delay', delay_ms: 150, times: 0 },
  ])
  await page
    .getByTestId('file-input')
    .setInputFiles([join(drops, 'texture-study.png'), join(drops, 'reel-cut.mov')])
  await expect(row('texture-study.png')).toHaveAttribute('data-state', 'uploading', {
    timeout: 30_000,
  })
  await expect(row('texture-study.png').getByRole('progressbar')).not.toHaveAttribute(
    'aria-valuenow',
    '0',
  )
  await expect(page.getByText(/uploading/).first()).toBeVisible()
  await shot(page, 'uploading')
  await setFaults(fixture.sandbox, null)
  for (const title of ['texture-study.png', 'reel-cut.mov']) {
    await expect(row(title)).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  }

  // Everything is on the board, byte for byte.
  const assets = await sandboxAssets(fixture.sandbox, board.token)
  const expected = [
    [join(folder, 'moodboard.png'), 'moodboard.png'],
    [join(folder, 'brief.txt'), 'brief.txt'],
    [join(drops, 'dropped-hero.png'), 'dropped-hero.png'],
    [join(drops, 'paused-proof.png'), 'paused-proof.png'],
    [join(drops, 'flaky-upload.png'), 'flaky-upload.png'],
    [join(drops, 'texture-study.png'), 'texture-study.png'],
    [join(drops, 'reel-cut.mov'), 'reel-cut.mov'],
  ] as const
  for (const [path, title] of expected) {
    const matching = assets.filter((a) => a.title === title)
    expect(matching, title).toHaveLength(1)
    expect(matching[0]?.sha256, title).toBe(await sha256(path))
  }
  expect(assets.some((a) => a.title === '.DS_Store')).toBe(false)
  const notes = assets.filter((a) => a.title === 'drop-notes.txt')
  expect(notes).toHaveLength(1)
  expect(notes[0]?.sha256).toBe(createHash('sha256').update('notes from the shoot\n').digest('hex'))

  // The other screens render against the same engine.
  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  const pair = page.getByRole('list', { name: 'Synced folders' }).getByRole('listitem')
  await expect(pair.getByText('Up to date')).toBeVisible()
  await expect(pair.getByRole('definition').first()).toHaveText('2')
  await shot(page, 'folders')
  await page.getByRole('button', { name: 'Boards' }).click()
  await expect(page.getByRole('option', { name: board.title })).toHaveAttribute(
    'aria-selected',
    'true',
  )
  await shot(page, 'boards')
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible()
  await shot(page, 'settings')

  // Dark mode follows the OS.
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.getByRole('button', { name: 'Activity' }).click()
  await shot(page, 'activity-dark')
  await page.emulateMedia({ colorScheme: 'light' })

  // At 200 % zoom (half the CSS width) the sidebar folds into a top bar; everything stays reachable.
  await page.setViewportSize({ width: 550, height: 720 })
  await expect(page.getByRole('button', { name: 'Retry all failed' })).toBeHidden()
  await expect(page.getByRole('button', { name: 'Add files…' })).toBeInViewport()
  await expect(page.getByRole('button', { name: 'Settings' })).toBeInViewport()
  await shot(page, 'narrow')
  expect(errors).toEqual([])
})

test('signs in with an API token; a revoked token asks to sign in again and loses nothing', async ({
  page,
}) => {
  const board = fixture.sandbox.boards[0]
  if (!board) throw new Error('the sandbox has no boards')
  const row = (title: string) => page.getByRole('listitem', { name: new RegExp(`^${title}:`) })
  await page.goto(fixture.host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByRole('textbox', { name: 'API token' }).fill(fixture.sandbox.token)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible()

  // A file is on its way (the server answers 503 for now, so it waits and retries) when the token
  // is revoked behind our back: the next call meets a 401.
  await setFaults(fixture.sandbox, [
    { method: 'POST', path: '/*upload_prepare', action: 'status', status: 503, times: 0 },
  ])
  await writeFile(join(drops, 'after-expiry.txt'), 'queued while signed out\n')
  await page.getByTestId('file-input').setInputFiles(join(drops, 'after-expiry.txt'))
  await expect(row('after-expiry.txt')).toBeVisible()
  const revoked = await fetch(`${fixture.sandbox.url}/__sandbox/tokens/revoke`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ token: fixture.sandbox.token }),
  })
  expect(revoked.ok).toBe(true)
  await setFaults(fixture.sandbox, null)
  await expect(
    page.getByText('Your session ended. Sign in again: nothing in the queue is lost.'),
  ).toBeVisible({
    timeout: 30_000,
  })
  await shot(page, 'session-expired')

  // Sign in again (magic link): the queued file finishes.
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(email)
  await page.getByRole('button', { name: 'Send link' }).click()
  await page
    .getByRole('textbox', { name: 'Paste the link from the email' })
    .fill(await latestMagicLink(fixture.sandbox, email))
  await page.getByRole('button', { name: 'Finish sign-in' }).click()
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible()
  // No "resume" needed: signing in again picks the queue up where it stopped.
  await expect(row('after-expiry.txt')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  const assets = await sandboxAssets(fixture.sandbox, board.token)
  expect(assets.filter((a) => a.title === 'after-expiry.txt')).toHaveLength(1)
})

test('signs out, and "Try it with the sandbox" signs in to the built-in sandbox', async ({
  page,
}) => {
  await page.goto(fixture.host.url)
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('button', { name: 'Sign out' }).click()
  await expect(page.getByRole('button', { name: 'Try it with the sandbox' })).toBeVisible()
  await page.getByRole('button', { name: 'Try it with the sandbox' }).click()
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible({ timeout: 30_000 })
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('sandbox')
  await page.getByRole('button', { name: 'Boards' }).click()
  await expect(page.getByRole('option').first()).toBeVisible()
})
