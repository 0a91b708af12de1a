/** Shared helpers for transfer tests: a real sandbox, real temp files, and its admin API. */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../../../src/engine/store/database.ts'
import { createPlaybookClient } from '../../../src/engine/playbook/client.ts'
import type { PlaybookClient } from '../../../src/engine/playbook/client.ts'
import { createTransferQueue } from '../../../src/engine/transfer/queue.ts'
import type { TransferQueueHandle } from '../../../src/engine/transfer/queue.ts'
import type { TransferQueueOptions } from '../../../src/engine/transfer/queue-options.ts'
import type { QueueEvent, UploadRequest } from '../../../src/engine/transfer/types.ts'
import { startSandbox } from '../../../src/sandbox/index.ts'
import type { Sandbox } from '../../../src/sandbox/index.ts'

/** An asset as the sandbox's admin API shows it. */
export interface AdminAsset {
  readonly token: string
  readonly title: string
  readonly sha256: string | null
  readonly signed_gcs_id: string | null
  readonly size: number | null
}

/** A running sandbox plus a temp folder, torn down by `close`. */
export interface World {
  readonly sandbox: Sandbox
  readonly dir: string
  readonly board: string
  token: string
  admin(path: string, body?: unknown): Promise<unknown>
  assets(board?: string): Promise<readonly AdminAsset[]>
  stats(): Promise<{ duplicates: number; requests: Record<string, number>; bytes_received: number }>
  faults(rules: readonly Record<string, unknown>[]): Promise<void>
  file(
    name: string,
    size: number,
  ): Promise<{ path: string; sha256: string; size: number; mtimeMs: number }>
  request(
    file: { path: string; size: number; mtimeMs: number },
    title: string,
    extra?: Partial<UploadRequest>,
  ): UploadRequest
  client(): PlaybookClient
  queue(options?: Partial<TransferQueueOptions> & { dbFile?: string }): {
    queue: TransferQueueHandle
    events: QueueEvent[]
  }
  close(): Promise<void>
}

/** Starts a sandbox and a temp folder. */
export async function startWorld(): Promise<World> {
  const sandbox = await startSandbox()
  const dir = await mkdtemp(join(tmpdir(), 'transfer-test-'))
  const board = sandbox.boards[0]?.token ?? ''
  const cleanups: (() => Promise<void>)[] = []
  const world: World = {
    sandbox,
    dir,
    board,
    token: sandbox.token,
    async admin(path, body) {
      const res = await fetch(`${sandbox.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${await res.text()}`)
      return res.json()
    },
    async assets(b = board) {
      const j = (await world.admin(`/__sandbox/assets?board=${encodeURIComponent(b)}`)) as {
        data: AdminAsset[]
      }
      return j.data
    },
    async stats() {
      return (await world.admin('/__sandbox/stats')) as {
        duplicates: number
        requests: Record<string, number>
        bytes_received: number
      }
    },
    async faults(rules) {
      await world.admin('/__sandbox/faults', { rules })
    },
    async file(name, size) {
      const path = join(dir, name)
      const hash = createHash('sha256')
      const piece = 4 * 1024 * 1024
      const { open } = await import('node:fs/promises')
      const handle = await open(path, 'w')
      try {
        for (let written = 0; written < size;) {
          const n = Math.min(piece, size - written)
          const buf = randomBytes(n)
          hash.update(buf)
          await handle.write(buf)
          written += n
        }
      } finally {
        await handle.close()
      }
      if (size === 0) await writeFile(path, '')
      const st = await stat(path)
      return { path, sha256: hash.digest('hex'), size, mtimeMs: st.mtimeMs }
    },
    request(file, title, extra = {}) {
      return {
        dedupeKey: file.path,
        source: { kind: 'file', path: file.path, size: file.size, mtimeMs: file.mtimeMs },
        org: sandbox.org,
        board,
        title,
        ...extra,
      }
    },
    client() {
      const client = createPlaybookClient({ baseUrl: sandbox.url, getToken: () => world.token })
      cleanups.push(() => client.close())
      return client
    },
    queue(options = {}) {
      const db = openDatabase(
        options.dbFile ?? join(dir, `state-${Math.random().toString(36).slice(2)}.db`),
      )
      const queue = createTransferQueue({
        db,
        client: world.client(),
        random: () => 0.5,
        ...options,
      })
      const events: QueueEvent[] = []
      queue.subscribe((e) => events.push(e))
      cleanups.push(async () => {
        await queue.stop()
        db.close()
      })
      return { queue, events }
    },
    async close() {
      for (const c of cleanups.reverse()) await c().catch(() => {})
      await sandbox.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
  return world
}

/** Asserts-friendly summary: for each file, how many assets carry its title and whether bytes match. */
export async function landed(
  world: World,
  files: readonly { title: string; sha256: string }[],
): Promise<{ title: string; count: number; sameBytes: boolean }[]> {
  const assets = await world.assets()
  return files.map((f) => {
    const matching = assets.filter((a) => a.title === f.title)
    return {
      title: f.title,
      count: matching.length,
      sameBytes: matching.every((a) => a.sha256 === f.sha256),
    }
  })
}
