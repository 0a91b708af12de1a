/**
 * Where the headless host keeps files a browser streamed to it (dropped onto the page) until the
 * engine has uploaded them. Each file gets its own folder so its name (the asset's title) is kept.
 * Names and bodies come from the browser and are untrusted: the name is reduced to one safe path
 * component, the body is streamed to disk and cut off past a size limit, and anything half written
 * is removed.
 */
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Transform, type Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { safeFileName } from '../engine/plugins/safe-file-name.ts'

/** A staging area: receive streams, resolve ids to paths, remove everything on close. */
export interface UploadStaging {
  /** Streams `body` to a new staged file; rejects (and keeps nothing) past `maxBytes`. */
  receive(name: string, body: Readable, maxBytes?: number): Promise<string>
  paths(ids: readonly string[]): readonly string[]
  /** Deletes a staged file once its upload is over (done or cancelled); other paths are ignored. */
  release(path: string): Promise<void>
  close(): Promise<void>
}

/** Thrown when a streamed body is larger than allowed (the host answers 413). */
export class UploadTooLargeError extends Error {
  readonly maxBytes: number
  constructor(maxBytes: number) {
    super(`upload is larger than ${maxBytes} bytes`)
    this.name = 'UploadTooLargeError'
    this.maxBytes = maxBytes
  }
}

/**
 * Makes a browser-given file name safe to write as one path component: no separators, traversal,
 * control characters, reserved Windows names or trailing dots, at most 255 UTF-8 bytes with the
 * extension kept.
 */
export function stagedFileName(name: string): string {
  // Only the last component of whatever path a browser sends (`C:\x\a.png`, `../../a.png`).
  const base = name.split(/[/\\]/).pop() ?? ''
  const dot = base.lastIndexOf('.')
  // An extension it does not recognise stays part of the (cleaned) stem.
  return safeFileName(base, dot > 0 ? base.slice(dot) : '')
}

/** Counts bytes through a stream and fails it once more than `maxBytes` went by. */
function byteLimit(maxBytes: number): Transform {
  let seen = 0
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      seen += chunk.length
      if (seen > maxBytes) done(new UploadTooLargeError(maxBytes))
      else done(null, chunk)
    },
  })
}

const stagingPrefix = 'playbook-sync-drop-'
const ownerFile = 'owner.pid'
/** A staging folder without a living owner and untouched this long was left by a crashed host. */
export const staleStagingMs = 24 * 60 * 60 * 1000

/** True while process `pid` runs (EPERM: it runs, as someone else). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Removes staging folders a crashed host left behind (best effort, never throws). */
export async function sweepStaleStaging(parent = tmpdir(), now = Date.now()): Promise<void> {
  const names = await readdir(parent).catch(() => [] as string[])
  for (const name of names) {
    if (!name.startsWith(stagingPrefix)) continue
    const path = join(parent, name)
    const info = await stat(path).catch(() => null)
    if (!info?.isDirectory() || now - info.mtimeMs <= staleStagingMs) continue
    const owner = Number(await readFile(join(path, ownerFile), 'utf8').catch(() => ''))
    if (Number.isSafeInteger(owner) && owner > 0 && alive(owner)) continue
    await rm(path, { recursive: true, force: true }).catch(() => {})
  }
}

/** Creates a staging folder under `parent` (the system temp folder), sweeping stale ones first. */
export async function createUploadStaging(parent = tmpdir()): Promise<UploadStaging> {
  await sweepStaleStaging(parent)
  const root = await mkdtemp(join(parent, stagingPrefix))
  await writeFile(join(root, ownerFile), String(process.pid), { mode: 0o600 })
  const staged = new Map<string, string>()
  return {
    async receive(name, body, maxBytes = Number.MAX_SAFE_INTEGER) {
      const id = randomUUID()
      const dir = join(root, id)
      await mkdir(dir, { mode: 0o700 })
      const path = join(dir, stagedFileName(name))
      try {
        await pipeline(
          body,
          byteLimit(maxBytes),
          createWriteStream(path, { flags: 'wx', mode: 0o600 }),
        )
      } catch (error) {
        await rm(dir, { recursive: true, force: true })
        throw error
      }
      staged.set(id, path)
      return id
    },
    paths(ids) {
      return ids.map((id) => {
        const path = staged.get(id)
        if (!path) throw new Error(`upload:staged: unknown upload id ${id.slice(0, 100)}`)
        return path
      })
    },
    async release(path) {
      for (const [id, stagedPath] of staged) {
        if (stagedPath !== path) continue
        staged.delete(id)
        await rm(join(root, id), { recursive: true, force: true })
      }
    },
    async close() {
      staged.clear()
      await rm(root, { recursive: true, force: true })
    },
  }
}
