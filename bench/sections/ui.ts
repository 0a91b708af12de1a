/**
 * The renderer's activity list with many jobs, in Chromium: the built renderer (out/renderer)
 * with a stand-in `window.playbook` that answers a signed-in session and a queue of N uploading
 * jobs. First render = navigation start → the first frame painted with a job row in it; update =
 * one `job:progress` event carrying every job → the next painted frame showing the new numbers.
 * Each is the median of several page loads.
 * Stand-in host: measuring the renderer alone, without an engine's timing mixed in. It keeps the
 * jobs as a host does: a page holds only the jobs it was sent (the newest, when it asks for
 * those), and the answer with every job comes in a task of its own, as a reply from another
 * process does. When the renderer starts calling a new channel at start-up, add its answer to
 * `answers` below.
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { chromiumArgs, chromiumPath } from '../../test/e2e/support/chromium.ts'
import { serveStatic } from '../../test/e2e/support/static-server.ts'
import { settleDisk } from '../lib/disk.ts'
import { ROOT } from '../lib/section.ts'
import type { Section } from '../lib/section.ts'
import { percentile, round } from '../lib/stats.ts'

/** The few browser globals the page-side functions use (the node tsconfig has no DOM lib). */
interface BrowserNode {
  readonly textContent: string | null
}
interface BrowserGlobals {
  __bench: PageSide
  /** The bench's binding: hands the first render's time to the bench process (see `run`). */
  readonly __benchFirstRow?: (ms: number) => void
  playbook: unknown
  readonly document: {
    querySelector(selector: string): BrowserNode | null
    addEventListener(type: string, listener: () => void): void
    readonly body: unknown
  }
  readonly MutationObserver: new (callback: () => void) => {
    observe(target: unknown, options: { childList: boolean; subtree: boolean }): void
    disconnect(): void
  }
  requestAnimationFrame(callback: () => void): number
  readonly MessageChannel: new () => {
    readonly port1: { onmessage: (() => void) | null }
    readonly port2: { postMessage(message: unknown): void }
  }
  /** Chromium's Prioritized Task Scheduling API. */
  readonly scheduler?: {
    postTask(callback: () => void, options: { priority: 'user-blocking' }): Promise<void>
  }
}

interface PageSide {
  emit(channel: string, payload: unknown): void
  /** Every job, made when first asked for (the first screen asks only for the newest). */
  allJobs(): unknown[]
  /** Set once the answer with every job has been handed to the page. */
  allSent: boolean
  /**
   * Runs `callback` right after the frame being drawn is painted (call it from that frame's
   * animation callbacks): a user-blocking task runs ahead of the timers and messages the page
   * queued meanwhile, which a message would wait for; they run after the frame is on screen, and
   * are not part of it.
   */
  afterPaint(callback: () => void): void
}

/** Installed before the page's scripts: a fake host with `count` jobs. Runs in the browser. */
export function installFakeHost(count: number): void {
  const page = globalThis as unknown as BrowserGlobals
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const now = Date.now()
  // Job i is the i-th newest. The host keeps them; the page holds only those it was sent.
  const makeJob = (i: number) => ({
    id: `job-${i}`,
    source: {
      kind: 'file',
      path: `/photos/shoot/IMG_${String(i).padStart(5, '0')}.jpg`,
      size: 8_000_000,
    },
    title: `IMG_${String(i).padStart(5, '0')}.jpg`,
    org: 'bench',
    board: 'board-1',
    priority: 0,
    paused: false,
    state: { kind: 'uploading', confirmedBytes: 1_000_000 },
    bytesDone: 1_000_000,
    bytesTotal: 8_000_000,
    speed: 2_000_000,
    etaSeconds: 4,
    attempts: 0,
    createdAt: now - i,
    updatedAt: now,
  })
  let all: unknown[] | null = null
  const allJobs = () => (all ??= Array.from({ length: count }, (_, i) => makeJob(i)))
  const totals = {
    queued: 0,
    active: count,
    done: 0,
    failed: 0,
    cancelled: 0,
    bytesDone: count * 1_000_000,
    bytesTotal: count * 8_000_000,
    speed: 8_000_000,
    paused: false,
  }
  const answers: Record<string, unknown> = {
    'app:info': {
      name: 'Playbook Sync',
      version: 'bench',
      platform: 'linux',
      host: 'electron',
      defaultApiUrl: 'http://127.0.0.1:1',
    },
    'session:get': {
      kind: 'signed-in',
      apiUrl: 'http://127.0.0.1:1',
      org: { id: '1', slug: 'bench', name: 'Bench' },
      sandbox: true,
    },
    'settings:get': {
      concurrency: 4,
      bandwidthLimit: 0,
      ignorePatterns: [],
      onChange: 'new-asset',
      notifications: false,
      startAtLogin: false,
      lastBoard: { token: 'board-1', title: 'Bench board' },
    },
    'pairs:list': [],
    'status:overview': {
      kind: 'no-folders',
      headline: 'No folders yet',
      tally: { onBoard: 0, sameContent: 0, uploading: 0, waiting: 0, skipped: 0, attention: 0 },
      issues: 0,
    },
    'issues:list': [],
    'boards:list': [],
    'jobs:thumbnail': null,
    'plugins:get': { enabled: false, port: 0, dest: '', status: { kind: 'off' } },
    'plugins:items': [],
  }
  const side: PageSide = {
    allJobs,
    allSent: false,
    emit(channel, payload) {
      for (const listener of listeners.get(channel) ?? []) listener(payload)
    },
    afterPaint(callback) {
      if (page.scheduler)
        return void page.scheduler.postTask(callback, { priority: 'user-blocking' })
      const channel = new page.MessageChannel()
      channel.port1.onmessage = callback
      channel.port2.postMessage(null)
    },
  }
  // The newest jobs at once; every job in a task of its own, as a reply from another process
  // comes, made there as the page would read them from that reply.
  const snapshot = (request: { newest?: number } | undefined) =>
    request?.newest !== undefined
      ? {
          jobs: Array.from({ length: Math.min(request.newest, count) }, (_, i) => makeJob(i)),
          totals,
        }
      : new Promise((resolve) =>
          setTimeout(() => {
            resolve({ jobs: allJobs(), totals })
            side.allSent = true
          }, 0),
        )
  page.__bench = side
  page.playbook = {
    invoke: async (channel: string, request?: { newest?: number }) =>
      channel === 'jobs:snapshot'
        ? snapshot(request)
        : channel in answers
          ? answers[channel]
          : null,
    on(channel: string, listener: (payload: unknown) => void) {
      const set = listeners.get(channel) ?? new Set()
      set.add(listener)
      listeners.set(channel, set)
      return () => set.delete(listener)
    },
    sendFiles: async () => [],
  }
  // A row in the DOM is not yet on screen: the time taken is that of the frame painted with it
  // (the next animation frame runs before that paint, and `afterPaint` right after it).
  let seen = false
  const rowPainted = () => {
    seen = true
    page.requestAnimationFrame(() =>
      side.afterPaint(() => page.__benchFirstRow?.(performance.now())),
    )
  }
  const observer = new page.MutationObserver(() => {
    if (seen || !page.document.querySelector('.job-row')) return
    observer.disconnect()
    rowPainted()
  })
  // A renderer that draws while its module runs has its rows in the DOM before this event (the
  // observer starts here, so it would never see them): then the time is that of the next frame
  // painted, which is the first with a row or, if one was painted just before this event, one
  // frame late (never early). Otherwise the observer waits for the first row.
  page.document.addEventListener('DOMContentLoaded', () => {
    if (page.document.querySelector('.job-row')) rowPainted()
    else observer.observe(page.document.body, { childList: true, subtree: true })
  })
}

/**
 * Sends progress for every job as a frame begins (from its animation callbacks, before its style,
 * layout and paint: the whole frame is there for the update) and resolves with the time until the
 * change is painted. A renderer that applies the update at once (in the event or the microtasks
 * after it) has it painted in that same frame, and a user-blocking task posted then runs right
 * after that paint. One that applies it later is timed to the first frame whose animation
 * callbacks find the new numbers: the frame painted with them.
 */
export async function updateAll(): Promise<number> {
  const page = globalThis as unknown as BrowserGlobals
  const side = page.__bench
  const list = page.document.querySelector('[role="list"]')
  if (!list) throw new Error('no job list on the page')
  const frame = () => new Promise((resolve) => page.requestAnimationFrame(() => resolve(null)))
  // The update is timed on the whole list: once the page has every job and has drawn 20 frames
  // with them (the answer's own work is over).
  for (let i = 0; i < 600 && !side.allSent; i++) await frame()
  if (!side.allSent) throw new Error('the page never asked for every job')
  for (let i = 0; i < 20; i++) await frame()
  const updated = (side.allJobs() as { bytesDone: number; updatedAt: number; state: object }[]).map(
    (job) => ({
      ...job,
      bytesDone: 6_000_000,
      state: { kind: 'uploading', confirmedBytes: 6_000_000 },
      updatedAt: job.updatedAt + 1,
    }),
  )
  // Now inside a frame's animation callbacks (the awaited frame resolved there).
  await frame()
  const before = list.textContent
  const started = performance.now()
  side.emit('job:progress', updated)
  // The renderer's own microtasks queued by the event run first; all of them end before the
  // frame's style, layout and paint.
  for (let i = 0; i < 10; i++) await null
  if (list.textContent !== before) {
    return new Promise((resolve) => side.afterPaint(() => resolve(performance.now() - started)))
  }
  // Resolves after the next frame is painted, saying whether that frame showed the change.
  const paintedFrame = (): Promise<boolean> =>
    new Promise((resolve) =>
      page.requestAnimationFrame(() => {
        const changed = list.textContent !== before
        side.afterPaint(() => resolve(changed))
      }),
    )
  let shown = false
  for (let i = 0; i < 600 && !shown; i++) shown = await paintedFrame()
  if (!shown) throw new Error('the list did not change after the update')
  return performance.now() - started
}

/** The UI section. */
export const uiSection: Section = {
  name: 'ui',
  title: 'Activity list in Chromium',
  metrics: [
    { key: 'first_render_ms', label: 'first render', unit: 'ms' },
    { key: 'update_all_ms', label: 'update every job', unit: 'ms' },
  ],
  goals: {
    first_render_ms: { op: '<=', value: 200, text: '≤ 200 ms' },
    update_all_ms: { op: '<=', value: 16, text: '≤ 16 ms' },
  },
  requires: ['out/renderer/index.html', 'src/renderer/src/features/activity/activity-screen.tsx'],
  budgetMs: { quick: 60_000, full: 120_000 },
  async run(ctx) {
    const count = 10_000
    const executablePath = chromiumPath()
    if (!executablePath) throw new Error('no Chromium found (set CHROMIUM_PATH)')
    // The sections before this one leave gigabytes to write back, which would share the cores.
    await settleDisk()
    const server = await serveStatic(join(ROOT, 'out', 'renderer'))
    const browser = await chromium.launch({ executablePath, args: [...chromiumArgs] })
    try {
      const firsts: number[] = []
      const updates: number[] = []
      const runs = ctx.quick ? 1 : 5
      for (let run = 0; run < runs; run++) {
        const page = await browser.newPage({ viewport: { width: 1200, height: 800 } })
        const errors: string[] = []
        page.on('pageerror', (e) => errors.push(e.message))
        // The page reports its first row through a binding, and nothing here touches the page
        // until then: Playwright's waiting calls (waitForSelector, waitForFunction) first load
        // its own script into the page, 10–25 ms of the page's main thread that landed in the
        // very frame being timed.
        let report: (ms: number | null) => void = () => {}
        const firstRow = new Promise<number | null>((resolve) => (report = resolve))
        await page.exposeFunction('__benchFirstRow', (ms: number) => report(ms))
        const timer = setTimeout(() => report(null), 60_000)
        await page.addInitScript(installFakeHost, count)
        await page.goto(server.url)
        const first = await firstRow.finally(() => clearTimeout(timer))
        if (first === null) {
          const text = (await page.textContent('body'))?.replace(/\s+/g, ' ').slice(0, 200)
          throw new Error(
            `no job row was painted (the renderer may call a channel this stand-in host does not answer; page: "${text ?? ''}"; errors: ${errors.join('; ')})`,
          )
        }
        firsts.push(first)
        updates.push(await page.evaluate(updateAll))
        if (errors.length > 0) throw new Error(`page errors: ${errors.join('; ')}`)
        await page.close()
      }
      ctx.log(`first render ${firsts.map((t) => t.toFixed(0)).join(', ')} ms`)
      return {
        values: {
          first_render_ms: Math.round(percentile(firsts, 50)),
          update_all_ms: Math.round(percentile(updates, 50)),
        },
        details: {
          jobs: count,
          runs,
          first_render_runs_ms: firsts.map((t) => round(t, 0)),
          update_all_runs_ms: updates.map((t) => round(t, 0)),
          renderer_built: existsSync(join(ROOT, 'out', 'renderer', 'index.html')),
        },
        notes: [`${count.toLocaleString('en-US')} jobs, median of ${runs} page loads`],
      }
    } finally {
      await browser.close()
      await server.close()
    }
  },
}
