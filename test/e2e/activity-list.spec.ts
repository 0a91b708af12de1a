import { resolve } from 'node:path'
import { expect, test } from '@playwright/test'
import { installFakeHost } from '../../bench/sections/ui.ts'
import { serveStatic } from './support/static-server.ts'

// The activity list with 10,000 jobs puts only the rows in view on the page, shows the right rows
// wherever it is scrolled, and a progress event for every job changes the rows on screen. The
// host is the UI bench's stand-in `window.playbook` (10,000 uploading jobs answered at once): a
// real engine queueing 10,000 files is covered at 2,000 by honest-counts.spec.ts; this spec is
// about the list's windowing alone.

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
    await page.addInitScript(installFakeHost, 10_000)
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

test('a host that answers at once: the first frame painted is the list, not the "Starting…" outline', async ({
  page,
}) => {
  const server = await serveStatic(resolve('out/renderer'))
  try {
    await page.addInitScript(installFakeHost, 10_000)
    // What the page held at the first frame's animation callbacks, which run just before that
    // frame is painted (registered before the page's own scripts, so nothing paints unseen).
    await page.addInitScript(() => {
      const page = globalThis as unknown as {
        __firstFrame?: { rows: number; starting: boolean }
        requestAnimationFrame(callback: () => void): number
        document: {
          querySelectorAll(selector: string): { length: number }
          body: { textContent: string | null } | null
        }
      }
      page.requestAnimationFrame(() => {
        page.__firstFrame = {
          rows: page.document.querySelectorAll('.job-row').length,
          starting: page.document.body?.textContent?.includes('Starting…') ?? false,
        }
      })
    })
    await page.goto(server.url)
    const first = await page
      .waitForFunction(() => (globalThis as { __firstFrame?: unknown }).__firstFrame)
      .then((handle) => handle.jsonValue())
    expect(first).toEqual({ rows: expect.any(Number), starting: false })
    expect((first as { rows: number }).rows).toBeGreaterThan(0)
  } finally {
    await server.close()
  }
})
