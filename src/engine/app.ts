/**
 * The engine, composed from its ports: the state database, the Playbook client, the transfer
 * queue, the sync engine and the account module, behind one `Engine` with one event stream. The
 * desktop app, the headless host and the CLI all run exactly this; none has logic of its own.
 */
import { cannotUploadNotice } from '../shared/plain-words.ts'
import { chmod, mkdir } from 'node:fs/promises'
import { basename, join } from 'node:path'
import type { Engine, EngineEvent, EnginePorts } from './engine-types.ts'
import { createAccountService } from './account/account-service.ts'
import type { StartedSandbox } from './account/account-service.ts'
import { createHttp } from './playbook/http.ts'
import { openDatabase } from './store/database.ts'
import { acquireHomeLock } from './store/home-lock.ts'
import { recognise } from './transfer/board-recognition.ts'
import { createTransferQueue } from './transfer/queue.ts'
import { Priority } from './transfer/types.ts'
import type { QueueEvent } from './transfer/types.ts'
import { createSyncEngine } from './sync/sync-engine.ts'
import { createRouteMissingMemory } from './playbook/assumed/route-missing.ts'
import type { SyncEvent } from './sync/sync-engine.ts'
import { createBoardDirectory } from './sync/board-map-directory.ts'
import { previewBoardTree } from './sync/board-map-preview.ts'
import { folderOf } from './sync/board-map.ts'
import type { PreviewBranch } from '../shared/pair-models.ts'
import { assertNever } from '../shared/assert-never.ts'
import { describeLocalTrouble } from './store/local-trouble.ts'
import { describeFailure } from '../shared/plain-words.ts'
import type { SyncOverview } from '../shared/sync-status-models.ts'
import { overviewOf } from './status/overview.ts'
import { assetPreviewBytes } from './asset-preview.ts'
import { createUrlPolicy } from './plugins/url-policy.ts'
import { expandUploadPaths, fileUploadRequest, urlUploadRequest } from './app-upload-paths.ts'

/** Starts the built-in sandbox with its data under `home/sandbox`, so boards survive restarts. */
async function startBuiltInSandbox(home: string): Promise<StartedSandbox> {
  const { startSandbox } = await import('../sandbox/index.ts')
  const sandbox = await startSandbox({ port: 0, dataDir: join(home, 'sandbox') })
  return {
    url: sandbox.url,
    org: sandbox.org,
    token: sandbox.token,
    boards: sandbox.boards,
    close: () => sandbox.close(),
  }
}

/** Builds and starts the engine. `close()` stops it at a safe point; the next start resumes. */
export async function createEngine(ports: EnginePorts): Promise<Engine> {
  const { home, log } = ports
  // The home folder holds the state database, settings and (for the CLI) the token: owner only.
  await mkdir(home, { recursive: true, mode: 0o700 })
  await chmod(home, 0o700)
  // One writer per home, taken before the state is read: a second app, host or CLI on this home
  // waits here (saying so) instead of preparing, uploading or completing the same files.
  const writer = (ports.startQueue ?? true) || (ports.startSync ?? true)
  const lock = writer
    ? await acquireHomeLock(home, {
        what: ports.processName ?? 'Playbook Sync',
        onWait: (message) => {
          log.warn(message)
          ports.onWaitingForHome?.(message)
        },
      })
    : undefined
  const requireWriter = (what: string): void => {
    if (lock === undefined)
      throw new Error(`${what}: this engine was opened read-only (no queue); open it to upload`)
  }
  const db = openDatabase(join(home, 'state.db'))
  const http = createHttp()
  const listeners = new Set<(event: EngineEvent) => void>()
  const emit = (event: EngineEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event)
      } catch (e) {
        log.error('engine listener failed', { error: e instanceof Error ? e.message : String(e) })
      }
    }
  }

  const account = createAccountService({
    home,
    secrets: ports.secrets,
    log,
    persist: ports.persistSession ?? true,
    http,
    startSandbox: () => startBuiltInSandbox(home),
    ...(ports.clock ? { now: () => ports.clock?.now() ?? Date.now() } : {}),
  })
  // Which assumed routes this Playbook lacks: one memory for the queue and sync (route-missing.ts).
  const routes = createRouteMissingMemory()
  const queue = createTransferQueue({
    db,
    client: account.client,
    routes,
    http,
    log,
    ...(ports.clock ? { clock: ports.clock } : {}),
    ...(ports.concurrency !== undefined ? { concurrency: ports.concurrency } : {}),
    ...(ports.chunkSize !== undefined ? { chunkSize: ports.chunkSize } : {}),
    ...(ports.bwlimit !== undefined ? { bwlimit: ports.bwlimit } : {}),
  })
  const sync = createSyncEngine({
    db,
    queue,
    log,
    client: account.client,
    ...(ports.ignorePatterns ? { sharedIgnorePatterns: ports.ignorePatterns } : {}),
    ...(ports.clock ? { clock: ports.clock } : {}),
    watch: ports.watch ?? true,
    onTrouble: (error) => halt(error),
    routes,
    boardDirectory: createBoardDirectory(account.client, routes),
  })
  /** The state database failed: say so once, in words that name the folder (see local-trouble.ts). */
  let halted = false
  const halt = (error: unknown): void => {
    if (halted) return
    halted = true
    const trouble = describeLocalTrouble(error, home)
    emit({
      type: 'notice',
      level: 'error',
      message: trouble
        ? `${trouble.message}; ${trouble.hint}`
        : `Uploads stopped: ${String(error)}`,
      halted: true,
    })
  }

  let authBlocked = false
  let offline = false
  const overview = (): SyncOverview =>
    overviewOf({
      pairs: sync.pairs(),
      signedIn: account.session().kind === 'signed-in',
      now: ports.clock?.now() ?? Date.now(),
    })
  // The overview follows every change that can move it, at most every 250 ms, only when it changed.
  let overviewTimer: ReturnType<typeof setTimeout> | undefined
  let lastOverview = ''
  const overviewChanged = (): void => {
    if (overviewTimer) return
    overviewTimer = setTimeout(() => {
      overviewTimer = undefined
      const next = overview()
      const text = JSON.stringify({ ...next, headline: next.wait ? '' : next.headline })
      if (text === lastOverview) return
      lastOverview = text
      emit({ type: 'overview', overview: next })
    }, 250)
  }
  const unsubscribers = [
    account.subscribe((session) => {
      emit({ type: 'session', session })
      overviewChanged()
      if (session.kind === 'signed-in' && authBlocked) {
        authBlocked = false
        queue.resume()
      }
    }),
    queue.subscribe((event: QueueEvent) => {
      switch (event.type) {
        case 'job-added':
        case 'job-changed':
        case 'job-source-changed':
          emit({ type: 'job', job: event.job })
          return
        case 'job-progress':
          emit({ type: 'job-progress', job: event.job })
          return
        case 'totals':
          emit({ type: 'totals', totals: event.totals })
          return
        case 'auth-required': {
          authBlocked = true
          account.unauthorized()
          const words = describeFailure('401 unauthenticated')
          emit({ type: 'notice', level: 'error', message: `${words.headline} ${words.next}` })
          overviewChanged()
          return
        }
        case 'offline':
          overviewChanged()
          if (offline) return
          offline = true
          emit({
            type: 'notice',
            level: 'warning',
            message: "Can't reach Playbook. Uploads continue when the connection is back.",
          })
          return
        case 'online':
          offline = false
          overviewChanged()
          emit({ type: 'notice', level: 'info', message: 'Connected to Playbook again.' })
          return
        case 'halted':
          halt(event.error)
          return
        default:
          assertNever(event, 'queue event')
      }
    }),
    sync.subscribe((event: SyncEvent) => {
      emit(event)
      if (event.type !== 'notice') overviewChanged()
    }),
    // An assumed route this Playbook lacks: the fallback in use, said once (route-missing.ts).
    routes.onTold((notice) => emit({ type: 'notice', level: 'warning', message: notice.message })),
  ]

  await account.restore()
  if (ports.startQueue ?? true) queue.start()
  let syncStarted = false
  const startSync = async (): Promise<void> => {
    if (syncStarted) return
    syncStarted = true
    await sync.start()
  }
  if (ports.startSync ?? true) await startSync()

  let closed = false
  let previewPolicy: ReturnType<typeof createUrlPolicy> | undefined
  const engine: Engine = {
    session: () => account.session(),
    signInWithToken: (input) => account.signInWithToken(input),
    requestMagicLink: (input) => account.requestMagicLink(input),
    completeMagicLink: (link) => account.completeMagicLink(link),
    useSandbox: () => account.useSandbox(),
    sandboxInfo: () => account.sandboxInfo(),
    bootstrap: (input) => account.bootstrap(input),
    signOut: () => account.signOut(),
    orgs: () => account.orgs(),
    selectOrg: (slug) => account.selectOrg(slug),
    boards: (query) => account.boards(query),

    async uploadPaths(paths, board, options) {
      requireWriter('upload')
      const org = account.orgSlug()
      const found = await expandUploadPaths(paths)
      for (const problem of found.problems) {
        log.warn('cannot upload', { path: problem.path, error: problem.message })
        emit({
          type: 'notice',
          level: 'error',
          message: cannotUploadNotice(problem.path, problem.message),
          file: { path: problem.path, reason: problem.message },
        })
      }
      const priority = options?.priority ?? Priority.user
      const force = options?.force === true
      const ids = queue.enqueue(
        found.files.map((f) => fileUploadRequest(f, org, board, priority, force)),
      )
      queue.start()
      return ids
    },
    async uploadUrls(urls, board, options) {
      requireWriter('upload')
      const org = account.orgSlug()
      const ids = queue.enqueue(
        urls.map((u) => urlUploadRequest(u, org, board, options?.asLink ?? false, Priority.user)),
      )
      queue.start()
      return ids
    },
    jobs: (options) => queue.jobs(options),
    totals: () => queue.totals(),
    pause: (jobId) => queue.pause(jobId),
    resume: (jobId) => queue.resume(jobId),
    cancel: (jobId) => queue.cancel(jobId),
    retry: (jobId) => queue.retry(jobId),

    async previewFolder(folder, settings, board, mapping) {
      if (board === undefined) return sync.preview(folder, settings)
      const org = account.orgSlug()
      let tree: Promise<readonly PreviewBranch[]> | undefined
      const treeOf = (files: readonly { relPath: string; size: number }[]) =>
        (tree ??= previewBoardTree(account.client, org, board, files, mapping))
      return sync.preview(
        folder,
        settings,
        async (files) => {
          // Each file is looked for on the board its folder goes to (boards that exist only).
          const where = new Map((await treeOf(files)).map((b) => [b.path, b.lands]))
          const byBoard = new Map<string, { title: string; size: number }[]>()
          for (const f of files) {
            const lands = where.get(folderOf(f.relPath))
            if (lands?.kind !== 'existing') continue
            const list = byBoard.get(lands.board) ?? []
            list.push({ title: basename(f.relPath), size: f.size })
            byBoard.set(lands.board, list)
          }
          let found = 0
          for (const [target, local] of byBoard) {
            const assets = await account.client.allBoardAssets(org, target)
            found += recognise(local, assets, queue.store.claimedAssets(target)).size
          }
          return found
        },
        treeOf,
      )
    },
    async addPair(input) {
      requireWriter('add a synced folder')
      const pair = await sync.addPair({ ...input, org: account.orgSlug() })
      queue.start()
      await startSync()
      return pair
    },
    removePair: (pairId) => sync.removePair(pairId),
    mapPair: (pairId, mapping) => sync.updatePair(pairId, { mapping }),
    pairs: () => sync.pairs(),
    async syncNow(pairId) {
      requireWriter('sync')
      queue.start()
      await startSync()
      await sync.retryIssues(pairId)
      await sync.scan(pairId)
    },
    pausePair: (pairId) => sync.pause(pairId),
    resumePair: (pairId) => sync.resume(pairId),
    async updatePair(pairId, settings) {
      if ('includeHidden' in settings)
        throw new Error('Hidden files are chosen with the folder (add it again to change that)')
      return sync.updatePair(pairId, { settings })
    },
    setLimits(limits) {
      queue.setLimits(limits)
      log.info('upload limits changed', { ...limits })
    },
    setSharedIgnore: (patterns) => sync.setSharedIgnore(patterns),
    issues: (pairId) => sync.issues(pairId),
    skipped: (pairId) => sync.skipped(pairId),
    async assetPreview(jobId) {
      const job = queue.job(jobId)
      if (job?.source.kind !== 'url' || job.state.kind !== 'done') return null
      const session = account.session()
      if (session.kind !== 'signed-in') return null
      // Only where the app already sends requests: Playbook's hosts, or the loopback sandbox.
      previewPolicy ??= createUrlPolicy({
        apiUrl: () => {
          const now = account.session()
          return now.kind === 'signed-in' || now.kind === 'expired' ? now.apiUrl : ''
        },
      })
      return assetPreviewBytes(
        { client: account.client, policy: previewPolicy },
        job.org,
        job.state.assetToken,
      )
    },
    async uploadAnyway(input) {
      requireWriter('upload')
      queue.start()
      return sync.uploadAnyway(input.pairId, input.relPath)
    },
    async retryIssues(input) {
      queue.start()
      await startSync()
      return sync.retryIssues(
        input?.pairId,
        input?.relPath === undefined ? undefined : [input.relPath],
      )
    },
    overview,

    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    async idle(pairId) {
      await sync.idle(pairId)
      await queue.drained()
    },
    async close() {
      if (closed) return
      closed = true
      if (overviewTimer) clearTimeout(overviewTimer)
      await sync.stop()
      await queue.stop()
      for (const u of unsubscribers) u()
      listeners.clear()
      await account.close()
      await http.close()
      db.close()
      lock?.release()
    },
  }
  return engine
}
