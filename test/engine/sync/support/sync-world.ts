/**
 * Shared setup for sync integration tests: a real sandbox over HTTP, a real transfer queue on a
 * real state database, real folders in a temp dir, and the sandbox's admin API to check assets.
 */
import { createRouteMissingMemory } from '../../../../src/engine/playbook/assumed/route-missing.ts'
import type { RouteMissingMemory } from '../../../../src/engine/playbook/assumed/route-missing.ts'
import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import type { DatabaseSync } from 'node:sqlite'
import type { Logger } from '../../../../src/engine/engine-types.ts'
import { createPlaybookClient } from '../../../../src/engine/playbook/client.ts'
import { openDatabase } from '../../../../src/engine/store/database.ts'
import { createSyncEngine } from '../../../../src/engine/sync/sync-engine.ts'
import type {
  SyncEngine,
  SyncEngineOptions,
  SyncEvent,
} from '../../../../src/engine/sync/sync-engine.ts'
import { createTransferQueue } from '../../../../src/engine/transfer/queue.ts'
import type { TransferQueueHandle } from '../../../../src/engine/transfer/queue.ts'
import type { UploadRequest } from '../../../../src/engine/transfer/types.ts'
import type { PairSnapshot } from '../../../../src/shared/pair-models.ts'
import { startSandbox } from '../../../../src/sandbox/index.ts'
import type { Sandbox } from '../../../../src/sandbox/index.ts'

/** An asset as the sandbox's admin API shows it. */
export interface AdminAsset {
  readonly token: string
  readonly title: string
  readonly description?: string | null
  readonly sha256: string | null
  readonly size: number | null
}

/** One engine on one database, with what it emitted and how often it called `enqueue`. */
export interface EngineRig {
  readonly engine: SyncEngine
  readonly queue: TransferQueueHandle
  readonly db: DatabaseSync
  readonly events: SyncEvent[]
  readonly enqueueCalls: number[]
  readonly warnings: string[]
  /** The rig's memory of assumed routes the sandbox lacks; its notices are the user's. */
  readonly routes: RouteMissingMemory
  close(): Promise<void>
}

/** The test world. */
export interface SyncWorld {
  readonly sandbox: Sandbox
  readonly root: string
  readonly org: string
  readonly board: string
  readonly dbFile: string
  /** Makes an empty folder under the temp root. */
  folder(name: string): Promise<string>
  /** Writes a file (creating folders); returns its sha256. */
  write(folder: string, relPath: string, content: string | Buffer): Promise<string>
  assets(): Promise<readonly AdminAsset[]>
  /** POSTs JSON to one of the sandbox's test routes (`/__sandbox/faults`…); throws unless it is taken. */
  admin(path: string, body: unknown): Promise<void>
  /** A real queue and sync engine on the world's database (closed by `close`). */
  rig(options?: Partial<Omit<SyncEngineOptions, 'db' | 'queue' | 'log'>>): EngineRig
  /**
   * A folder `name` holding `files` (path → content), paired with the world's board on a new rig,
   * scanned and synced: where most specs start.
   */
  synced(
    name: string,
    files: Readonly<Record<string, string>>,
  ): Promise<{ readonly folder: string; readonly rig: EngineRig; readonly pair: PairSnapshot }>
  close(): Promise<void>
}

/** sha256 of a buffer or string, hex. */
export function sha(content: string | Buffer): string {
  return createHash('sha256').update(content).digest('hex')
}

/** sha256 of a file on disk. */
export async function shaOfFile(path: string): Promise<string> {
  return sha(await readFile(path))
}

/** Polls `check` (bounded) until it holds. */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  tries = 300,
): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return
    await sleep(50)
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** Starts the sandbox and a temp root. */
export async function startSyncWorld(): Promise<SyncWorld> {
  const sandbox = await startSandbox()
  const root = await mkdtemp(join(tmpdir(), 'pbs-sync-'))
  const board = sandbox.boards[0]?.token ?? ''
  const dbFile = join(root, 'state', 'state.db')
  const rigs: EngineRig[] = []
  const world: SyncWorld = {
    sandbox,
    root,
    org: sandbox.org,
    board,
    dbFile,
    async folder(name) {
      const path = join(root, name)
      await mkdir(path, { recursive: true })
      return path
    },
    async write(folder, relPath, content) {
      const path = join(folder, ...relPath.split('/'))
      await mkdir(dirname(path), { recursive: true })
      await writeFile(path, content)
      return sha(content)
    },
    async assets() {
      const res = await fetch(`${sandbox.url}/__sandbox/assets?board=${encodeURIComponent(board)}`)
      if (!res.ok) throw new Error(`assets: HTTP ${res.status}`)
      return ((await res.json()) as { data: AdminAsset[] }).data
    },
    async admin(path, body) {
      const res = await fetch(`${sandbox.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status}`)
    },
    async synced(name, files) {
      const folder = await world.folder(name)
      for (const [relPath, content] of Object.entries(files))
        await world.write(folder, relPath, content)
      const rig = world.rig()
      const pair = await rig.engine.addPair({ folder, org: sandbox.org, board })
      await rig.engine.scan()
      await rig.engine.idle()
      return { folder, rig, pair }
    },
    rig(options = {}) {
      const db = openDatabase(dbFile)
      const client = createPlaybookClient({ baseUrl: sandbox.url, getToken: () => sandbox.token })
      const routes = createRouteMissingMemory()
      const queue = createTransferQueue({
        db,
        client,
        completeIdleMs: 50,
        random: () => 0.5,
        routes,
      })
      const enqueueCalls: number[] = []
      const counted: TransferQueueHandle = Object.assign(
        Object.create(queue) as TransferQueueHandle,
        {
          enqueue(requests: readonly UploadRequest[]) {
            enqueueCalls.push(requests.length)
            return queue.enqueue(requests)
          },
        },
      )
      const warnings: string[] = []
      const log: Logger = {
        info: () => {},
        warn: (message) => warnings.push(message),
        error: (message, fields) => warnings.push(`${message} ${JSON.stringify(fields)}`),
      }
      const engine = createSyncEngine({
        db,
        queue: counted,
        log,
        client,
        watch: false,
        routes,
        defaults: { settleMs: 300 },
        ...options,
      })
      const events: SyncEvent[] = []
      engine.subscribe((event) => events.push(event))
      queue.start()
      let closed = false
      const rig: EngineRig = {
        engine,
        queue,
        db,
        events,
        enqueueCalls,
        warnings,
        routes,
        async close() {
          if (closed) return
          closed = true
          await engine.stop()
          await queue.stop()
          await client.close()
          db.close()
        },
      }
      rigs.push(rig)
      return rig
    },
    async close() {
      for (const rig of rigs.reverse()) await rig.close().catch(() => {})
      await sandbox.close()
      await rm(root, { recursive: true, force: true })
    },
  }
  return world
}
