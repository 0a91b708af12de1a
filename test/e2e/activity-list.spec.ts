import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { fakeHostScript, standInData, standInFirstScreen } from '../../bench/sections/ui.ts'
import { firstScreenFile, loadFirstScreenDrawing } from '../../src/engine/first-screen.ts'
import { serveStatic } from './support/static-server.ts'

// The activity list with 10,000 jobs puts only the rows in view on the page, shows the right rows
// wherever it is scrolled, and a progress event for every job changes the rows on screen. The
// host is the UI bench's stand-in `window.playbook` (10,000 uploading jobs answered at once): a
// real engine queueing 10,000 files is covered at 2,000 by honest-counts.spec.ts; this spec is
// about the list's windowing alone.

/** The stand-in host for `count` jobs, with the first screen main draws (or none). */
async function standInHost(count: number, withFirstScreen: boolean) {
  const now = Date.now()
  if (!withFirstScreen) return fakeHostScript({ count, now, firstScreen: null })
  const draw = await loadFirstScreenDrawing(firstScreenFile(resolve('out/renderer')))
  if (!draw) throw new Error('out/first-screen is not built (npm run build)')
  const html = draw(standInFirstScreen(standInData(count, now), count))
  return fakeHostScript({ count, now, firstScreen: { html, afterMs: 0 } })
}

interface BenchSide {
  readonly __bench: {
    emit(channel: string, payload: unknown): void
    allJobs(): readonly { readonly bytesDone: number; readonly updatedAt: number }[]
    readonly allSent: boolean
  }
}

test('10,000 jobs: only the rows in view are on the page, at any scroll position', async ({
  page,
}) => {
  const server = await serveStatic(resolve('out/renderer'))
  try {
    await page.setViewportSize({ width: 1200, height: 800 })
    // The first screen main drew comes first; what follows is the app's own list.
    await page.addInitScript(await standInHost(10_000, true))
    await page.goto(server.url)
    const list = page.getByRole('list', { name: 'Uploads' })
    const rows = list.getByRole('listitem')
    await expect(rows.first()).toHaveAccessibleName('IMG_00000.jpg: Uploading')
    // A window of rows, not 10,000 (the list is a few hundred pixels tall, rows 64 px).
    expect(await rows.count()).toBeLessThan(30)
    await expect(list.getByRole('button', { name: 'Pause IMG_00003.jpg' })).toBeVisible()
    // The first screen had the newest jobs; the page then asks for every job.
    await page.waitForFunction(() => (globalThis as unknown as BenchSide).__bench.allSent)
    await expect(list.locator('> div')).toHaveCSS('height', `${64 * 10_000}px`)

    // Half way down: the rows there, and none from the top.
    await list.evaluate((el) => {
      el.scrollTop = 64 * 5_000
    })
    await expect(list.getByRole('listitem', { name: 'IMG_05000.jpg: Uploading' })).toBeVisible()
    await expect(list.getByRole('listitem', { name: 'IMG_00000.jpg: Uploading' })).toHaveCount(0)
    expect(await rows.count()).toBeLessThan(30)

    // The end of the list: the oldest job is the last row.
    await list.evaluate((el) => {
      el.scrollTop = el.scrollHeight
    })
    await expect(list.getByRole('listitem', { name: 'IMG_09999.jpg: Uploading' })).toBeVisible()

    // One progress event for every job: the rows on screen show the new numbers.
    await page.evaluate(() => {
      const side = (globalThis as unknown as BenchSide).__bench
      side.emit(
        'job:progress',
        side.allJobs().map((job) => ({
          ...job,
          bytesDone: 6_000_000,
          state: { kind: 'uploading', confirmedBytes: 6_000_000 },
          updatedAt: job.updatedAt + 1,
        })),
      )
    })
    await expect(
      list.getByRole('listitem', { name: 'IMG_09999.jpg: Uploading' }).getByText(/6 MB of 8 MB/),
    ).toBeVisible()
  } finally {
    await server.close()
  }
})

for (const withFirstScreen of [true, false]) {
  test(`${withFirstScreen ? 'with the first screen main drew, the very first frame painted' : 'when main drew none, the first frame after the outline'} is the list, and nothing breaks the CSP`, async ({
    page,
  }) => {
    const server = await serveStatic(resolve('out/renderer'))
    const refused: string[] = []
    page.on('console', (message) => {
      if (/Content Security Policy/.test(message.text())) refused.push(message.text())
    })
    try {
      await page.setViewportSize({ width: 1200, height: 800 })
      await page.addInitScript(await standInHost(10_000, withFirstScreen))
      // What the page held at the first frame's animation callbacks, which run just before that
      // frame is painted (registered before the page's own scripts, so nothing paints unseen).
      await page.addInitScript((strict: boolean) => {
        const page = globalThis as unknown as {
          __firstFrame?: { rows: number; starting: boolean; top: string | null }
          requestAnimationFrame(callback: () => void): number
          getComputedStyle(element: unknown): { transform: string }
          document: {
            querySelectorAll(selector: string): { length: number; [i: number]: unknown }
            body: { textContent: string | null } | null
          }
        }
        const check = () => {
          const rows = page.document.querySelectorAll('.job-slot')
          const starting = page.document.body?.textContent?.includes('Starting…') ?? false
          // Without a first screen from main, the outline shows while the script loads.
          if (!strict && rows.length === 0 && starting)
            return void page.requestAnimationFrame(check)
          page.__firstFrame = {
            rows: rows.length,
            starting,
            // The second row sits one row down: its place came through (the CSP allows it).
            top: rows.length > 1 ? page.getComputedStyle(rows[1]).transform : null,
          }
        }
        page.requestAnimationFrame(check)
      }, withFirstScreen)
      await page.goto(server.url)
      const first = (await page
        .waitForFunction(() => (globalThis as { __firstFrame?: unknown }).__firstFrame)
        .then((handle) => handle.jsonValue())) as { rows: number; starting: boolean; top: string }
      expect(first.starting).toBe(false)
      expect(first.rows).toBeGreaterThan(1)
      expect(first.top).toBe('matrix(1, 0, 0, 1, 0, 64)')
      // The app takes over: its own list, which has every job, and working buttons.
      const list = page.getByRole('list', { name: 'Uploads' })
      await page.waitForFunction(() => (globalThis as unknown as BenchSide).__bench.allSent)
      await expect(list.locator('> div')).toHaveCSS('height', `${64 * 10_000}px`)
      await expect(page.locator('.app-frame')).toHaveCount(1)
      expect(refused).toEqual([])
    } finally {
      await server.close()
    }
  })
}
