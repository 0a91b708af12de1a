import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { sandboxAssets, startHostFixture, type HostFixture } from './support/host-fixture.ts'
import { chooseFolderAndBoard } from './support/add-folder.ts'
import { signIn } from './support/sign-in.ts'

// A save is a new version, in Debian's Chromium against the real engine (watching the folder)
// and the real sandbox: a synced file edited on disk lands as version 2 of the same asset, and
// its row in Activity says "v2".

let fixture: HostFixture
let folder: string

test.use({ viewport: { width: 1100, height: 760 } })
test.beforeAll(async () => {
  fixture = await startHostFixture()
  folder = await mkdtemp(join(tmpdir(), 'pbs-e2e-versions-'))
  await writeFile(join(folder, 'poster.txt'), 'poster, first draft\n')
})
test.afterAll(async () => {
  await fixture?.close()
  await rm(folder, { recursive: true, force: true })
})

test("an edited file's row shows its version", async ({ page }) => {
  test.setTimeout(120_000)
  const board = fixture.sandbox.boards[0]
  if (!board) throw new Error('the sandbox has no boards')
  await signIn(page, fixture.host.url, fixture.sandbox.token)

  await chooseFolderAndBoard(page, folder, board.title)
  await page.getByRole('button', { name: 'Start syncing' }).click()
  await expect
    .poll(async () => (await sandboxAssets(fixture.sandbox, board.token)).length, {
      timeout: 30_000,
    })
    .toBe(1)

  await writeFile(join(folder, 'poster.txt'), 'poster, second draft with the logo\n')
  await page.getByRole('button', { name: 'Activity' }).click()
  const rows = page.getByRole('listitem').filter({ hasText: 'poster.txt' })
  const versionRow = rows.filter({ hasText: 'v2' })
  await expect(versionRow).toHaveCount(1, { timeout: 60_000 })
  await expect(versionRow).toHaveAttribute('data-state', 'done')
  await expect(versionRow.getByText('v2', { exact: true })).toBeVisible()

  const assets = await sandboxAssets(fixture.sandbox, board.token)
  expect(assets).toHaveLength(1)
  expect((assets[0] as unknown as { versions?: unknown[] }).versions).toHaveLength(2)
})
