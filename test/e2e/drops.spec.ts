import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { expect, test, type Page } from '@playwright/test'
import sharp from 'sharp'
import { sandboxAssets, startHostFixture, type HostFixture } from './support/host-fixture.ts'
import { signIn } from './support/sign-in.ts'

// Drops in Debian's Chromium over the real engine and sandbox: while dragging, the window offers
// boards as drop targets; a drop with no board chosen asks which board (never discards); junk
// files are skipped; each row names its board; a dropped image link shows the image in its row.

/** The few DOM globals the drop helpers use (specs typecheck without the DOM library). */
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
  document: { querySelector(selector: string): { dispatchEvent(event: object): boolean } | null }
}

let fixture: HostFixture

test.describe.configure({ mode: 'serial' })
test.use({ viewport: { width: 1100, height: 760 } })
test.beforeAll(async () => {
  fixture = await startHostFixture()
})
test.afterAll(async () => {
  await fixture?.close()
})

async function shot(page: Page, name: string): Promise<void> {
  const dir =
    process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots'
  await page.screenshot({ path: `${dir}/${name}.png` })
}

/** Starts dragging files over the window (they stay "in the hand" until `drop`). */
async function drag(page: Page, names: readonly string[]): Promise<void> {
  await page.evaluate((files) => {
    const w = globalThis as unknown as PageGlobals & { __drop?: unknown }
    const data = new w.DataTransfer()
    for (const name of files) data.items.add(new File([`bytes of ${name}\n`], name))
    w.__drop = data
    w.dispatchEvent(new w.DragEvent('dragenter', { dataTransfer: data, bubbles: true }))
  }, names)
}

/** Drops what `drag` picked up, on a board target (by token) or on the window. */
async function drop(page: Page, board?: string): Promise<void> {
  // The targets appear when the window sees the drag (a render later), not at once.
  if (board)
    await page.locator(`[data-drop-board="${board}"]`).first().waitFor({ state: 'attached' })
  await page.evaluate((token) => {
    const w = globalThis as unknown as PageGlobals & { __drop?: unknown }
    const event = new w.DragEvent('drop', {
      dataTransfer: w.__drop,
      bubbles: true,
      cancelable: true,
    })
    const target = token ? w.document.querySelector(`[data-drop-board="${token}"]`) : null
    if (token && !target) throw new Error(`no drop target for ${token}`)
    ;(target ?? w).dispatchEvent(event)
  }, board ?? null)
}

test('a drop with no board asks for one; board targets while dragging; junk skipped', async ({
  page,
}) => {
  const [first, second] = fixture.sandbox.boards
  if (!first || !second) throw new Error('the sandbox needs two boards')
  await signIn(page, fixture.host.url, fixture.sandbox.token)

  // No board chosen yet: dragging offers the boards and "Another board…".
  await drag(page, ['hero-shot.txt', '.DS_Store'])
  const overlay = page.getByTestId('drop-overlay')
  await expect(overlay.getByText('Another board… (search)')).toBeVisible()
  await expect(overlay.getByText(first.title, { exact: true })).toBeVisible()
  // Dropped anywhere but on a board: the app asks; the junk file is skipped, and says so.
  await drop(page)
  const dialog = page.getByRole('dialog', { name: 'Which board should 1 file go to?' })
  await expect(dialog).toBeVisible()
  await expect(page.getByText(/Skipped 1 system file \(like \.DS_Store\)/)).toBeVisible()
  await dialog
    .getByRole('listbox', { name: 'Board for the dropped files' })
    .getByRole('option', { name: first.title })
    .click()
  await dialog.getByRole('button', { name: `Upload to ${first.title}` }).click()
  await expect(dialog).toBeHidden()
  const row = (title: string) => page.getByRole('listitem', { name: new RegExp(`^${title}:`) })
  await expect(row('hero-shot.txt')).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  await expect(
    row('hero-shot.txt').getByRole('button', { name: `Open ${first.title} in Playbook` }),
  ).toBeVisible()

  // Now the last used board leads the targets; dropping on another board sends it there.
  await drag(page, ['moodboard-notes.txt'])
  await expect(overlay.getByText('(last used)')).toBeVisible()
  await shot(page, 'drop-targets')
  await drop(page, second.token)
  await expect(row('moodboard-notes.txt')).toHaveAttribute('data-state', 'done', {
    timeout: 30_000,
  })
  await expect(row('moodboard-notes.txt').getByText(second.title)).toBeVisible()

  // Escape on the "which board" question does not upload (the user said so), and says nothing is lost.
  await drag(page, ['maybe-later.txt'])
  await drop(page, 'ask')
  await expect(page.getByRole('dialog')).toBeVisible()
  await page.keyboard.press('Escape')
  await expect(page.getByRole('dialog')).toBeHidden()

  const onFirst = (await sandboxAssets(fixture.sandbox, first.token)).map((a) => a.title)
  const onSecond = (await sandboxAssets(fixture.sandbox, second.token)).map((a) => a.title)
  expect(onFirst).toContain('hero-shot.txt')
  expect(onFirst).not.toContain('.DS_Store')
  expect(onSecond).toContain('moodboard-notes.txt')
  expect([...onFirst, ...onSecond]).not.toContain('maybe-later.txt')
})

test('a dropped image link shows the image in its row', async ({ page }) => {
  const [, second] = fixture.sandbox.boards
  if (!second) throw new Error('the sandbox needs two boards')
  // Somewhere on the web (here: this machine) an image the user drags in from a browser.
  const png = await sharp({
    create: { width: 120, height: 80, channels: 3, background: { r: 30, g: 120, b: 200 } },
  })
    .png()
    .toBuffer()
  const web: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'image/png', 'content-length': png.length })
    res.end(png)
  })
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve))
  const link = `http://127.0.0.1:${(web.address() as AddressInfo).port}/sky-study.png`
  try {
    await page.goto(fixture.host.url)
    await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible()
    await page.evaluate((uri) => {
      const w = globalThis as unknown as PageGlobals & { __drop?: unknown }
      const data = new w.DataTransfer()
      data.setData('text/uri-list', uri)
      w.__drop = data
      w.dispatchEvent(new w.DragEvent('dragenter', { dataTransfer: data, bubbles: true }))
    }, link)
    await drop(page, second.token)
    const row = page.getByRole('listitem', { name: /^sky-study\.png:/ })
    await expect(row).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
    // The picture Playbook made of it, as a small image the engine made (no remote address).
    const thumb = row.locator('img.thumb')
    await expect(thumb).toBeVisible({ timeout: 30_000 })
    expect(await thumb.getAttribute('src')).toMatch(/^data:image\/webp;base64,/)
    expect(
      await thumb.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBe(96)
  } finally {
    await new Promise((resolve) => web.close(resolve))
  }
})
