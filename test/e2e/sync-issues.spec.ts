import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test, type Page } from '@playwright/test'
import { sandboxAssets, setFaults } from './support/host-fixture.ts'
import { startBoundHost, type BoundHost } from './support/bound-host.ts'

// Sync issues in Debian's Chromium, against the real engine (the headless host as a user starts
// it, where file permissions apply) and the real sandbox: an unreadable file and a cancelled file
// appear with their reasons, the folder is not "Up to date" meanwhile, both come back after the
// fix; a busy server and a lost connection show a countdown in words.

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
  const orgChoice = page.getByRole('heading', { name: 'Choose an organization' })
  const activity = page.getByRole('heading', { name: 'Activity' })
  await expect(orgChoice.or(activity)).toBeVisible()
  if (await orgChoice.isVisible())
    await page.getByRole('listitem').getByRole('button').first().click()

  await page.getByRole('button', { name: 'Folders' }).click()
  await page.getByRole('button', { name: 'Add folder' }).first().click()
  await page
    .getByRole('textbox', { name: 'Folder path on the computer running Playbook Sync' })
    .fill(folder)
  await page.getByRole('button', { name: 'Use this folder' }).click()
  await page
    .getByRole('listbox', { name: 'Board for this folder' })
    .getByRole('option', { name: board.title })
    .click()
  await page.getByRole('button', { name: 'Start syncing' }).click()
  const card = page.getByRole('list', { name: 'Synced folders' }).getByRole('listitem')
  await expect(card.getByText('Needs attention', { exact: true })).toBeVisible({ timeout: 30_000 })
  await expect(card).toHaveAttribute('data-up-to-date', 'false')
  await expect(card.getByText('Up to date')).toHaveCount(0)

  // A cancelled upload: queue paused, a new file found by "Sync now", cancelled, queue resumed.
  await page.getByRole('button', { name: 'Activity' }).click()
  await page.getByRole('button', { name: 'Pause all' }).click()
  await writeFile(join(folder, 'draft-cut.txt'), 'a draft nobody wants yet\n')
  await page.getByRole('button', { name: 'Folders' }).click()
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
  await page.getByRole('button', { name: 'Folders' }).click()
  await expect(card).toHaveAttribute('data-up-to-date', 'false')
  await card.getByRole('button', { name: 'See 2 issues' }).click()
  await expect(page.getByRole('heading', { name: 'Sync issues' })).toBeVisible()

  // Fix the permission, retry all: both reach the board and the list empties.
  await chmod(join(folder, 'locked-layout.psd'), 0o644)
  await page.getByRole('button', { name: 'Retry all' }).click()
  await expect(page.getByText('No sync issues')).toBeVisible({ timeout: 30_000 })
  await page.getByRole('button', { name: 'Folders' }).click()
  await expect(card.getByText('Up to date', { exact: true })).toBeVisible({ timeout: 30_000 })
  await expect(card).toHaveAttribute('data-up-to-date', 'true')
  const titles = (await sandboxAssets(host.sandbox, board.token)).map((a) => a.title).sort()
  expect(titles).toEqual(['cover.txt', 'draft-cut.txt', 'locked-layout.psd'])
})

test('a busy server and a lost connection show a countdown in words', async ({ page }) => {
  await page.goto(host.url)
  await page.getByRole('button', { name: 'Folders' }).click()
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
  await expect(status).toHaveText(/Can't reach Playbook\. Retrying in \d+ s\./)
  await expect(card.getByText('Syncing', { exact: true })).toHaveCount(0)
  await setFaults(host.sandbox, null)
  await expect(card.getByText('Up to date', { exact: true })).toBeVisible({ timeout: 90_000 })
})
