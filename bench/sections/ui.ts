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
 * `answers` below. As Electron's preload does, the stand-in places the first screen main draws
 * (drawn here in Node with main's code, and handed over once that drawing's time has passed).
 */
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { chromium } from '@playwright/test'
import { chromiumArgs, chromiumPath } from '../../test/e2e/support/chromium.ts'
import { serveStatic } from '../../test/e2e/support/static-server.ts'
import { firstScreenFile, loadFirstScreenDrawing } from '../../src/engine/first-screen.ts'
import { firstScreenJobs, type FirstScreenAnswers } from '../../src/shared/first-screen.ts'
import {
  placeFirstScreen,
  placeWhenParsed,
  type FirstScreenDocument,
} from '../../src/preload/first-screen.ts'
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
  readonly document: FirstScreenDocument & {
    querySelector(selector: string): BrowserNode | null
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

/** The stand-in host's data: its jobs (job i is the i-th newest), totals and answers. */
export interface StandInData {
  job(i: number): Record<string, unknown>
  readonly totals: Record<string, unknown>
  readonly answers: Readonly<Record<string, unknown>>
}

/**
 * The stand-in host's data for `count` jobs at `now`. Self-contained: it runs in Node (to draw the
 * first screen, as main does) and, as source, in the page (see `fakeHostScript`).
 */
export function standInData(count: number, now: number): StandInData {
  // Job i is the i-th newest. The host keeps them; the page holds only those it was sent.
  const job = (i: number) => ({
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
  return { job, totals, answers }
}

/** The first screen's answers from the stand-in's data (what main gathers from its handlers). */
export function standInFirstScreen(data: StandInData, count: number): FirstScreenAnswers {
  const a = data.answers
  return {
    info: a['app:info'],
    session: a['session:get'],
    settings: a['settings:get'],
    plugins: a['plugins:get'],
    pluginItems: a['plugins:items'],
    signedIn: {
      snapshot: {
        jobs: Array.from({ length: Math.min(firstScreenJobs, count) }, (_, i) => data.job(i)),
        totals: data.totals,
      },
      pairs: a['pairs:list'],
      overview: a['status:overview'],
      issues: a['issues:list'],
    },
  } as unknown as FirstScreenAnswers
}

/** What the page-side stand-in is told. */
export interface FakeHostOptions {
  readonly count: number
  readonly now: number
  /**
   * The first screen the stand-in preload places, and when its answer comes (ms after the page
   * starts: main's time to draw it); null: none (the renderer draws everything itself).
   */
  readonly firstScreen: { readonly html: string; readonly afterMs: number } | null
}

/**
 * The init script for a page with the stand-in host: `installFakeHost` with its options, the data
 * function and the preload's placing code, as source (a page function cannot close over Node's).
 */
export function fakeHostScript(options: FakeHostOptions): { readonly content: string } {
  const place = `(() => { const placeFirstScreen = ${placeFirstScreen.toString()}; return ${placeWhenParsed.toString()} })()`
  return {
    content: `(${installFakeHost.toString()})(${JSON.stringify(options)}, ${standInData.toString()}, ${place})`,
  }
}

/** Installed before the page's scripts: a fake host with `count` jobs. Runs in the browser. */
export function installFakeHost(
  options: FakeHostOptions,
  data: typeof standInData,
  place: typeof placeWhenParsed,
): void {
  const count = options.count
  const page = globalThis as unknown as BrowserGlobals
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  const { job: makeJob, totals, answers } = data(count, options.now)
  let all: unknown[] | null = null
  const allJobs = () => (all ??= Array.from({ length: count }, (_, i) => makeJob(i)))
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
  // From the document's start: rows may come with the page (the first screen placed below) or
  // from the renderer's script.
  observer.observe(page.document, { childList: true, subtree: true })
  // The preload's first screen, with the preload's own code (src/preload/first-screen.ts): asked
  // for as the page starts, its answer in a task of its own once main would have drawn it (the
  // bench draws it in Node with main's code, and times that), placed while the outline is there.
  const firstScreen = options.firstScreen
  if (firstScreen) setTimeout(() => place(page.document, firstScreen.html), firstScreen.afterMs)
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
  const frame = () => new Promise((resolve) => page.requestAnimationFrame(() => resolve(null)))
  // The update is timed on the whole list: once the page has every job and has drawn 20 frames
  // with them (the answer's own work is over).
  for (let i = 0; i < 600 && !side.allSent; i++) await frame()
  if (!side.allSent) throw new Error('the page never asked for every job')
  for (let i = 0; i < 20; i++) await frame()
  // The app's own list: a first screen placed before it was replaced when the app took over.
  const list = page.document.querySelector('[role="list"]')
  if (!list) throw new Error('no job list on the page')
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
  requires: [
    'out/renderer/index.html',
    'out/first-screen/index.js',
    'src/renderer/src/features/activity/activity-screen.tsx',
  ],
  budgetMs: { quick: 60_000, full: 120_000 },
  async run(ctx) {
    const count = 10_000
    const executablePath = chromiumPath()
    if (!executablePath) throw new Error('no Chromium found (set CHROMIUM_PATH)')
    // The sections before this one leave gigabytes to write back, which would share the cores.
    await settleDisk()
    const server = await serveStatic(join(ROOT, 'out', 'renderer'))
    const draw = await loadFirstScreenDrawing(firstScreenFile(join(ROOT, 'out', 'renderer')))
    if (!draw) throw new Error('out/first-screen is not built (npm run build)')
    const browser = await chromium.launch({ executablePath, args: [...chromiumArgs] })
    try {
      const firsts: number[] = []
      const updates: number[] = []
      const draws: number[] = []
      const runs = ctx.quick ? 1 : 5
      const viewport = { width: 1200, height: 800 }
      for (let run = 0; run < runs; run++) {
        const page = await browser.newPage({ viewport })
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
        // Main's part of the preload's first screen: drawn here with main's code, and timed.
        const now = Date.now()
        const drawStart = performance.now()
        // Drawn for the page's window, whose height the preload sends with its request.
        const html = draw(standInFirstScreen(standInData(count, now), count), viewport.height)
        const drawMs = performance.now() - drawStart
        draws.push(drawMs)
        await page.addInitScript(
          fakeHostScript({ count, now, firstScreen: { html, afterMs: drawMs } }),
        )
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
          first_screen_draw_runs_ms: draws.map((t) => round(t, 1)),
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
