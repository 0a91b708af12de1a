import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import AxeBuilder from '@axe-core/playwright'
import { expect, test, type Page } from '@playwright/test'
import { startHostFixture, type HostFixture } from './support/host-fixture.ts'
import { chooseFolderAndBoard } from './support/add-folder.ts'
import { chooseOrganization } from './support/sign-in.ts'

// axe-core on every screen, in light and dark, against the real engine and sandbox: no violations.

let fixture: HostFixture
let folder: string

test.describe.configure({ mode: 'serial' })
test.use({ viewport: { width: 1100, height: 760 } })

test.beforeAll(async () => {
  fixture = await startHostFixture()
  folder = await mkdtemp(join(tmpdir(), 'pbs-e2e-a11y-'))
  await writeFile(join(folder, 'notes.txt'), 'notes\n')
  // Junk, so Sync issues has a "Skipped on purpose" row.
  await writeFile(join(folder, 'Thumbs.db'), 'windows thumbnail cache\n')
})
test.afterAll(async () => {
  await fixture?.close()
  await rm(folder, { recursive: true, force: true })
})

/** The page's running animations as this test reads them (its code has no DOM types). */
interface PageAnimations {
  readonly document: {
    getAnimations(): readonly {
      readonly finished: Promise<unknown>
      /** Only on CSS transitions. */
      readonly transitionProperty?: string
    }[]
  }
}

/** Scans the page in both color schemes; returns the violations (rule id and targets). */
async function violations(page: Page, screen: string): Promise<string[]> {
  const found: string[] = []
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme })
    // A new scheme fades buttons' backgrounds (--duration); axe reads the settled page. Only
    // transitions: a spinner's animation never finishes.
    await page.evaluate(() =>
      Promise.all(
        (globalThis as unknown as PageAnimations).document
          .getAnimations()
          .filter((a) => a.transitionProperty !== undefined)
          .map((a) => a.finished.catch(() => undefined)),
      ),
    )
    const result = await new AxeBuilder({ page }).analyze()
    for (const v of result.violations) {
      found.push(
        `${screen} (${colorScheme}): ${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
      )
      console.log(found[found.length - 1])
    }
  }
  await page.emulateMedia({ colorScheme: 'light' })
  return found
}

test('every screen has no axe-core violations in light and dark', async ({ page }) => {
  // axe takes a few seconds per scan on a small machine; 28 scans.
  test.setTimeout(400_000)
  const board = fixture.sandbox.boards[0]
  if (!board) throw new Error('the sandbox has no boards')
  const found: string[] = []
  await page.goto(fixture.host.url)
  await expect(page.getByRole('heading', { name: 'Playbook Sync' })).toBeVisible()
  found.push(...(await violations(page, 'sign-in')))

  await page.getByRole('textbox', { name: 'API token' }).fill(fixture.sandbox.token)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await chooseOrganization(page, async () => {
    found.push(...(await violations(page, 'organizations')))
  })
  const activity = page.getByRole('heading', { name: 'Activity' })
  // Focus lands on the screen's heading after sign-in; the first run leads to pairing a folder.
  await expect(activity).toBeFocused()
  found.push(...(await violations(page, 'activity (empty)')))
  await page.getByRole('button', { name: 'Pair a folder' }).click()
  await expect(page.getByRole('heading', { name: 'Add a folder' })).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('heading', { name: 'Add a folder' })).toBeHidden()
  found.push(...(await violations(page, 'folders (empty)')))
  await chooseFolderAndBoard(page, folder, board.title)
  await expect(page.getByText(/1 file, .* to upload/)).toBeVisible()
  found.push(...(await violations(page, 'add folder')))
  await page.getByRole('button', { name: 'Start syncing' }).click()
  const card = page.getByRole('list', { name: 'Synced folders' }).getByRole('listitem')
  await expect(card.getByText('Up to date', { exact: true })).toBeVisible({ timeout: 30_000 })
  found.push(...(await violations(page, 'folders')))
  // A folder's own options (pause, change policy, ignore patterns), opened and closed by keyboard.
  const options = card.getByRole('button', { name: /^Options for / })
  await options.focus()
  await page.keyboard.press('Enter')
  const panel = page.getByRole('region', { name: /^Options for / })
  await expect(panel).toBeVisible()
  found.push(...(await violations(page, 'folder options')))
  await panel.getByRole('switch', { name: 'Pause this folder' }).focus()
  await page.keyboard.press('Escape')
  await expect(panel).toBeHidden()
  await expect(options).toBeFocused()
  await card.getByRole('button', { name: /^Stop syncing/ }).click()
  found.push(...(await violations(page, 'remove folder confirmation')))
  await page.getByRole('button', { name: 'Keep syncing' }).click()

  // A cancelled file, so Sync issues has a row.
  await page.getByRole('button', { name: 'Activity' }).click()
  await page.getByRole('button', { name: 'Pause all' }).click()
  await writeFile(join(folder, 'cancelled.txt'), 'cancelled\n')
  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  await card.getByRole('button', { name: 'Sync now' }).click()
  await page.getByRole('button', { name: 'Activity' }).click()
  await page.getByRole('button', { name: 'Cancel cancelled.txt' }).click()
  await page.getByRole('button', { name: 'Resume all' }).click()
  found.push(...(await violations(page, 'activity')))
  await page.getByRole('button', { name: /^Sync issues/ }).click()
  await expect(page.getByText('You cancelled this upload.')).toBeVisible()
  await expect(page.getByRole('heading', { name: 'Skipped on purpose' })).toBeVisible()
  found.push(...(await violations(page, 'sync issues')))
  await page.getByRole('button', { name: 'Retry all' }).click()
  await expect(page.getByText('No sync issues')).toBeVisible({ timeout: 30_000 })
  found.push(...(await violations(page, 'sync issues (empty)')))

  await page.getByRole('button', { name: 'Boards' }).click()
  await expect(page.getByRole('option', { name: board.title })).toBeVisible()
  found.push(...(await violations(page, 'boards')))
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible()
  found.push(...(await violations(page, 'settings')))

  await page.setViewportSize({ width: 550, height: 760 })
  await page.getByRole('button', { name: 'Activity' }).click()
  found.push(...(await violations(page, 'activity at 200 % zoom')))
  expect(found).toEqual([])
})
