import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { sandboxAssets, setFaults } from './support/host-fixture.ts'
import { startBoundHost, type BoundHost } from './support/bound-host.ts'
import { chooseFolderAndBoard } from './support/add-folder.ts'
import { chooseOrganization } from './support/sign-in.ts'

// Sync issues in Debian's Chromium, against the real engine (the headless host as a user starts
// it, where file permissions apply) and the real sandbox: an unreadable file and a cancelled file
// appear with their reasons, the folder is not "Up to date" meanwhile, both come back after the
// fix; a busy server and a lost connection show a countdown in words; files skipped on purpose
// name their rule, and "Upload anyway" puts one on the board exactly once.

let host: BoundHost
let folder: string

async function shot(page: Page, name: string): Promise<void> {
  const dir =
    process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots'
  await page.screenshot({ path: `${dir}/${name}.png` })
}

test.describe.configure({ mode: 'serial' })
test.use({ viewport: { width: 1100, height: 760 } })

test.beforeAll(async () => {
  host = await startBoundHost()
  folder = await mkdtemp(join(tmpdir(), 'pbs-e2e-issues-'))
  await writeFile(join(folder, 'cover.txt'), 'cover copy\n')
  await writeFile(join(folder, 'locked-layout.psd'), 'layers nobody may read\n')
  await chmod(join(folder, 'locked-layout.psd'), 0o000)
  // Skipped on purpose: junk on the built-in list, and a file a .playbookignore rule leaves out.
  await writeFile(join(folder, 'Thumbs.db'), 'windows thumbnail cache')
  await writeFile(join(folder, '.playbookignore'), '*.bak\n')
  await writeFile(join(folder, 'notes.bak'), 'notes kept on this computer\n')
})

test.afterAll(async () => {
  await chmod(join(folder, 'locked-layout.psd'), 0o644).catch(() => {})
  await host?.close()
  await rm(folder, { recursive: true, force: true })
})

test('unreadable and cancelled files show in Sync issues with reasons and come back after the fix', async ({
  page,
}) => {
  const board = host.sandbox.boards[0]
  if (!board) throw new Error('the sandbox has no boards')
  await page.goto(host.url)
  await chooseOrganization(page)

  await chooseFolderAndBoard(page, folder, board.title)
  await page.getByRole('button', { name: 'Start syncing' }).click()
  const card = page.getByRole('list', { name: 'Synced folders' }).getByRole('listitem')
  // The folder's status chip (the card also lists a "Needs attention" count).
  await expect(card.locator('.chip', { hasText: /^Needs attention$/ })).toBeVisible({
    timeout: 30_000,
  })
  await expect(card).toHaveAttribute('data-up-to-date', 'false')
  await expect(card.getByText('Up to date')).toHaveCount(0)

  // A cancelled upload: queue paused, a new file found by "Sync now", cancelled, queue resumed.
  await page.getByRole('button', { name: 'Activity' }).click()
  await page.getByRole('button', { name: 'Pause all' }).click()
  await writeFile(join(folder, 'draft-cut.txt'), 'a draft nobody wants yet\n')
  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  await card.getByRole('button', { name: 'Sync now' }).click()
  await page.getByRole('button', { name: 'Activity' }).click()
  await page.getByRole('button', { name: 'Cancel draft-cut.txt' }).click()
  await page.getByRole('button', { name: 'Resume all' }).click()

  // Both files are in Sync issues, each with its reason in plain words and the detail hidden.
  await page.getByRole('button', { name: /^Sync issues/ }).click()
  const issues = page.getByRole('list', { name: 'Files that need attention' })
  const locked = issues.getByRole('listitem', { name: /^locked-layout\.psd:/ })
  const draft = issues.getByRole('listitem', { name: /^draft-cut\.txt:/ })
  await expect(locked.getByText("Playbook Sync isn't allowed to read this file.")).toBeVisible()
  await expect(locked.getByText('Check its permissions, then retry.')).toBeVisible()
  await expect(locked.getByText('EACCES')).toBeHidden()
  await locked.getByText('Details').click()
  await expect(locked.getByText('EACCES')).toBeVisible()
  await expect(draft.getByText('You cancelled this upload.')).toBeVisible()
  await expect(page.getByText('2 files need your attention.', { exact: false })).toBeVisible()
  await expect(page.getByRole('navigation', { name: 'Main' })).toContainText(
    '2 files need attention',
  )
  await shot(page, 'sync-issues')

  // The folder is not up to date while they are there.
  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  await expect(card).toHaveAttribute('data-up-to-date', 'false')
  await card.getByRole('button', { name: 'See 2 issues' }).click()
  await expect(page.getByRole('heading', { name: 'Sync issues' })).toBeVisible()

  // Fix the permission, retry all: both reach the board and the list empties.
  await chmod(join(folder, 'locked-layout.psd'), 0o644)
  await page.getByRole('button', { name: 'Retry all' }).click()
  await expect(page.getByText('No sync issues')).toBeVisible({ timeout: 30_000 })
  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  await expect(card.getByText('Up to date', { exact: true })).toBeVisible({ timeout: 30_000 })
  await expect(card).toHaveAttribute('data-up-to-date', 'true')
  const titles = (await sandboxAssets(host.sandbox, board.token)).map((a) => a.title).sort()
  expect(titles).toEqual(['cover.txt', 'draft-cut.txt', 'locked-layout.psd'])
})

test('a busy server and a lost connection show a countdown in words', async ({ page }) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  const card = page.getByRole('list', { name: 'Synced folders' }).getByRole('listitem')
  const status = page.getByRole('navigation', { name: 'Main' }).getByRole('status')

  await setFaults(host.sandbox, [
    { method: 'POST', path: '/*upload_prepare', action: 'status', status: 503, times: 0 },
  ])
  await writeFile(join(folder, 'busy-day.txt'), 'uploaded while the server is busy\n')
  await card.getByRole('button', { name: 'Sync now' }).click()
  await expect(card.getByText(/^Playbook is busy\. Retrying in \d+ s\.$/)).toBeVisible({
    timeout: 30_000,
  })
  await expect(status).toHaveText(/Playbook is busy\. Retrying in \d+ s\./)
  await shot(page, 'busy-countdown')
  await setFaults(host.sandbox, null)
  await expect(card.getByText('Up to date', { exact: true })).toBeVisible({ timeout: 60_000 })

  await setFaults(host.sandbox, [
    { method: 'POST', path: '/*upload_prepare', action: 'reset', times: 0 },
  ])
  await writeFile(join(folder, 'offline-notes.txt'), 'written on a train\n')
  await card.getByRole('button', { name: 'Sync now' }).click()
  await expect(card.getByText(/^Can't reach Playbook\. Retrying in \d+ s\.$/)).toBeVisible({
    timeout: 30_000,
  })
  // The card showed the countdown; by now it may have run out and the retry be on its way.
  await expect(status).toHaveText(/Can't reach Playbook\. Retrying (in \d+ s|now)\./)
  await expect(card.getByText('Syncing', { exact: true })).toHaveCount(0)
  await setFaults(host.sandbox, null)
  await expect(card.getByText('Up to date', { exact: true })).toBeVisible({ timeout: 90_000 })
})

test('skipped files name their rule, and "Upload anyway" puts one on the board once', async ({
  page,
}) => {
  const board = host.sandbox.boards[0]
  if (!board) throw new Error('the sandbox has no boards')
  await page.goto(host.url)
  await page.getByRole('button', { name: /^Sync issues/ }).click()
  const skipped = page.getByRole('list', { name: 'Files skipped on purpose' })
  const thumbs = skipped.getByRole('listitem', { name: /^Thumbs\.db:/ })
  const notes = skipped.getByRole('listitem', { name: /^notes\.bak:/ })
  await expect(
    thumbs.getByText(
      'Ignored by the rule “Thumbs.db” on the built-in list of junk files (system, temporary and lock files).',
    ),
  ).toBeVisible({ timeout: 30_000 })
  await expect(notes.getByText('Ignored by the rule “*.bak” in .playbookignore.')).toBeVisible()
  await expect(notes.getByText('Upload anyway to put it on the board once.')).toBeVisible()

  await notes.getByRole('button', { name: 'Upload notes.bak anyway' }).click()
  await expect(
    page.getByRole('status').filter({ hasText: 'Uploading notes.bak anyway' }),
  ).toBeVisible()
  await expect(notes).toHaveCount(0, { timeout: 30_000 })
  await expect(thumbs).toBeVisible()
  const count = async (): Promise<number> =>
    (await sandboxAssets(host.sandbox, board.token)).filter((a) => a.title === 'notes.bak').length
  await expect.poll(count, { timeout: 30_000 }).toBe(1)

  // "Sync now" looks at the folder again: still once on the board, still not skipped.
  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  const card = page.getByRole('list', { name: 'Synced folders' }).getByRole('listitem')
  await card.getByRole('button', { name: 'Sync now' }).click()
  await expect(card.getByText('Up to date', { exact: true })).toBeVisible({ timeout: 30_000 })
  await page.getByRole('button', { name: /^Sync issues/ }).click()
  await expect(thumbs).toBeVisible()
  await expect(notes).toHaveCount(0)
  expect(await count()).toBe(1)
})

/** True when two boxes overlap. */
function overlap(
  a: { x: number; y: number; width: number; height: number },
  b: { x: number; y: number; width: number; height: number },
): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
}

test('a toast never covers the control it is about, at normal size and at 200 % zoom', async ({
  page,
}) => {
  await writeFile(join(folder, 'gone.bak'), 'about to vanish\n')
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  const card = page.getByRole('list', { name: 'Synced folders' }).getByRole('listitem')
  await card.getByRole('button', { name: 'Sync now' }).click()
  await expect(card.getByText('Up to date', { exact: true })).toBeVisible({ timeout: 30_000 })
  await page.getByRole('button', { name: /^Sync issues/ }).click()
  const button = page
    .getByRole('list', { name: 'Files skipped on purpose' })
    .getByRole('listitem', { name: /^gone\.bak:/ })
    .getByRole('button', { name: 'Upload gone.bak anyway' })
  await expect(button).toBeVisible({ timeout: 30_000 })
  // The file vanishes before the click: "Upload anyway" fails, and a toast says so.
  await rm(join(folder, 'gone.bak'))

  // 1100 × 760 CSS px, then the same window at 200 % zoom (half the CSS pixels).
  for (const size of [
    { width: 1100, height: 760 },
    { width: 550, height: 380 },
  ]) {
    await page.setViewportSize(size)
    // The control sits at the bottom right of the window, where toasts appear.
    await button.evaluate((el) => el.scrollIntoView({ block: 'end', inline: 'end' }))
    await button.click()
    const toast = page.getByRole('alert').filter({ hasText: 'Could not upload gone.bak' })
    await expect(toast).toBeVisible()
    await button.scrollIntoViewIfNeeded()
    const toastBox = await toast.boundingBox()
    const buttonBox = await button.boundingBox()
    if (!toastBox || !buttonBox) throw new Error('the toast or the button has no box')
    expect(overlap(toastBox, buttonBox), `toast ${JSON.stringify(toastBox)}`).toBe(false)
    // Nothing else is drawn over the control either: it is what a click there reaches.
    const reachable = await button.evaluate((el) => {
      const r = el.getBoundingClientRect()
      const doc = (
        globalThis as unknown as { document: { elementFromPoint(x: number, y: number): unknown } }
      ).document
      const top = doc.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2) as typeof el | null
      return top !== null && el.contains(top)
    })
    expect(reachable).toBe(true)
    await toast.getByRole('button', { name: 'Dismiss' }).click()
    await expect(toast).toHaveCount(0)
  }
})
