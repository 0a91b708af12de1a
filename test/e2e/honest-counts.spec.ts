import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import {
  sandboxAssets,
  setFaults,
  startHostFixture,
  type HostFixture,
} from './support/host-fixture.ts'
import { chooseFolderAndBoard } from './support/add-folder.ts'
import { signIn } from './support/sign-in.ts'

// 2,000 files queued through the real engine and sandbox: the counts say what is really
// happening ("2,000 waiting" while paused; never more "uploading" than files actually moving),
// the folder says "Up to date" only once the board holds every one, and "Clear finished" works.

let fixture: HostFixture
let folder: string
const total = 2000

test.use({ viewport: { width: 1100, height: 760 } })
test.beforeAll(async () => {
  fixture = await startHostFixture()
  folder = await mkdtemp(join(tmpdir(), 'pbs-e2e-2000-'))
  for (let i = 0; i < total; i++)
    await writeFile(join(folder, `frame-${String(i).padStart(4, '0')}.txt`), `frame ${i}\n`)
})
test.afterAll(async () => {
  await fixture?.close()
  await rm(folder, { recursive: true, force: true })
})

test('2,000 queued files show honest counts', async ({ page }) => {
  test.setTimeout(300_000)
  const board = fixture.sandbox.boards[0]
  if (!board) throw new Error('the sandbox has no boards')
  await signIn(page, fixture.host.url, fixture.sandbox.token)
  await page.getByRole('button', { name: 'Pause all' }).click()

  await chooseFolderAndBoard(page, folder, board.title)
  await expect(page.getByText(/^2,000 files, .* to upload/)).toBeVisible()
  await page.getByRole('button', { name: 'Start syncing' }).click()
  const card = page.getByRole('list', { name: 'Synced folders' }).getByRole('listitem')
  const count = (label: string) =>
    card
      .getByRole('term')
      .filter({ hasText: new RegExp(`^${label}$`) })
      .locator('+ dd')
  await expect(count('Waiting')).toHaveText('2,000', { timeout: 60_000 })
  await expect(count('Uploading')).toHaveText('0')
  await expect(count('On the board')).toHaveText('0')
  await expect(card).toHaveAttribute('data-up-to-date', 'false')

  // The folder counts its files before the queue holds them all: the queue's count climbs to it.
  await page.getByRole('button', { name: 'Activity' }).click()
  const summary = page.getByLabel('Queue totals').locator('.totals-summary')
  await expect(summary).toHaveText('Paused · 2,000 waiting · 0 done', { timeout: 60_000 })

  // Opened again with 2,000 jobs: the first screen is drawn from the newest, then the page
  // loads every job (the list is as tall as 2,000 rows of 64 px).
  await page.reload()
  await expect(summary).toHaveText('Paused · 2,000 waiting · 0 done')
  const list = page.getByRole('list', { name: 'Uploads' })
  await expect(list.getByRole('listitem').first()).toBeVisible()
  await expect(list.locator('> div')).toHaveCSS('height', `${64 * total}px`)

  // Slow storage, then resume: "uploading" is at most the files that really move (small files
  // run up to 32 upload lanes at once: transfer/upload-lanes.ts), never the whole prepared batch.
  await setFaults(fixture.sandbox, [
    { method: 'PUT', path: '/storage', action: 'delay', delay_ms: 400, times: 0 },
  ])
  await page.getByRole('button', { name: 'Resume all' }).click()
  await expect(summary).toHaveText(
    /^([1-9]|[12]\d|3[0-2]) uploading, [\d,]+ waiting · [\d,]+ done$/,
    {
      timeout: 30_000,
    },
  )
  const text = (await summary.textContent()) ?? ''
  const [uploading, waiting, done] = (text.match(/[\d,]+/g) ?? []).map((n) =>
    Number(n.replace(/,/g, '')),
  )
  expect((uploading ?? 0) + (waiting ?? 0) + (done ?? 0)).toBe(total)
  await setFaults(fixture.sandbox, null)

  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  await expect(card.getByText('Up to date', { exact: true })).toBeVisible({ timeout: 240_000 })
  await expect(count('On the board')).toHaveText('2,000')
  expect(await sandboxAssets(fixture.sandbox, board.token)).toHaveLength(total)

  // Clear finished empties the list of done rows (the board keeps them, of course).
  await page.getByRole('button', { name: 'Activity' }).click()
  await expect(summary).toHaveText('2,000 done')
  await page.getByRole('button', { name: 'Clear finished' }).click()
  await expect(page.getByRole('listitem', { name: /^frame-0000\.txt:/ })).toHaveCount(0)
})
