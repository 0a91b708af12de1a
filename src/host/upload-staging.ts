/**
 * Where the headless host keeps files a browser streamed to it (dropped onto the page) until the
 * engine has uploaded them. Each file gets its own folder so its name (the asset's title) is kept.
 */
import { randomUUID } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'

/** A staging area: receive streams, resolve ids to paths, remove everything on close. */
export interface UploadStaging {
  receive(name: string, body: Readable): Promise<string>
  paths(ids: readonly string[]): readonly string[]
  /** Deletes a staged file once its upload is over (done or cancelled); other paths are ignored. */
  release(path: string): Promise<void>
  close(): Promise<void>
}

const maxNameLength = 200

/** Makes a file name safe to write: no separators, no control characters, no dot-only names. */
export function safeFileName(name: string): string {
  const cleaned = [...name.normalize('NFC')]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || '/\\:*?"<>|'.includes(ch) ? '_' : ch))
    .join('')
    .trim()
  const bounded =
    cleaned.length > maxNameLength ? cleaned.slice(cleaned.length - maxNameLength) : cleaned
  return bounded === '' || /^\.+$/.test(bounded) ? 'dropped-file' : bounded
}

/** Creates a staging folder under the system temp folder. */
export async function createUploadStaging(): Promise<UploadStaging> {
  const root = await mkdtemp(join(tmpdir(), 'playbook-sync-drop-'))
  const staged = new Map<string, string>()
  return {
    async receive(name, body) {
      const id = randomUUID()
      const dir = join(root, id)
      await mkdir(dir)
      const path = join(dir, safeFileName(name))
      await pipeline(body, createWriteStream(path, { flags: 'wx' }))
      staged.set(id, path)
      return id
    },
    paths(ids) {
      return ids.map((id) => {
        const path = staged.get(id)
        if (!path) throw new Error(`upload:staged: unknown upload id ${id}`)
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
