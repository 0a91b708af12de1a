/**
 * The storage side's bookkeeping: sessions, their running hashes (rebuilt from disk after a
 * restart), per-session locks, and finalizing a session into a stored object.
 */
import { createHash } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { mkdir, rename, stat, truncate, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'
import { BLOCK, type RunningHashes } from './block-writer.ts'
import { randomId } from './ids.ts'
import type { StorageObject, StoredBlob, UploadSession } from './model.ts'
import type { SandboxStore } from './store.ts'

/** Sessions live this long (sandbox clock); afterwards PUTs get 410. */
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000
/** Signed upload URLs from prepare live this long. */
export const UPLOAD_URL_TTL_S = 24 * 3600

/** Runtime-only storage state. */
export class StorageRuntime {
  private readonly hashes = new Map<string, RunningHashes>()
  private readonly locks = new Map<string, Promise<void>>()
  private readonly store: SandboxStore

  constructor(store: SandboxStore) {
    this.store = store
  }

  /** Runs `fn` with the session locked (chunks of one session never interleave). */
  async withLock<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(id) ?? Promise.resolve()
    let release: () => void = () => {}
    const mine = new Promise<void>((resolve) => {
      release = resolve
    })
    const chained = previous.then(() => mine)
    this.locks.set(id, chained)
    await previous
    try {
      return await fn()
    } finally {
      release()
      if (this.locks.get(id) === chained) this.locks.delete(id)
    }
  }

  /** Opens a new session for an object: an empty file under sessions/. */
  async openSession(object: StorageObject, contentType: string): Promise<UploadSession> {
    const id = randomId(40)
    const now = this.store.clock.now()
    const session: UploadSession = {
      id,
      objectId: object.id,
      createdAtMs: now,
      expiresAtMs: now + SESSION_TTL_MS,
      contentType,
      offset: 0,
      total: null,
      file: `sessions/${id}.part`,
      finalized: false,
    }
    const path = this.store.path(session.file)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, '')
    this.store.state.sessions[id] = session
    this.hashes.set(id, freshHashes())
    // Not awaited: a session lost in a crash is a 404, and the client prepares again. The first
    // chunk's commit makes it durable.
    this.store.save()
    return session
  }

  /** Hashes of the session's stored bytes, rebuilt from the file when missing (after a restart). */
  async hashesFor(session: UploadSession): Promise<RunningHashes> {
    const known = this.hashes.get(session.id)
    if (known && known.at === session.offset) return known
    const fresh = freshHashes()
    if (session.offset > 0) {
      const stream = createReadStream(this.store.path(session.file), {
        start: 0,
        end: session.offset - 1,
      })
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        fresh.md5.update(chunk)
        fresh.sha256.update(chunk)
        fresh.at += chunk.length
      }
    }
    this.hashes.set(session.id, fresh)
    return fresh
  }

  /** Starts the session over from byte 0. */
  async restart(session: UploadSession): Promise<RunningHashes> {
    await truncate(this.store.path(session.file), 0)
    session.offset = 0
    session.total = null
    const fresh = freshHashes()
    this.hashes.set(session.id, fresh)
    return fresh
  }

  /** Turns a complete session into the object's stored blob. */
  async finalize(session: UploadSession, object: StorageObject): Promise<StoredBlob> {
    const hashes = await this.hashesFor(session)
    const file = `blobs/${object.id}-${session.id}`
    const path = this.store.path(file)
    await mkdir(dirname(path), { recursive: true })
    await truncate(this.store.path(session.file), session.offset)
    await rename(this.store.path(session.file), path)
    const blob: StoredBlob = {
      file,
      size: session.offset,
      md5: hashes.md5.digest('base64'),
      sha256: hashes.sha256.digest('hex'),
      contentType: session.contentType,
    }
    session.finalized = true
    session.total = session.offset
    object.finalized = blob
    this.hashes.delete(session.id)
    await this.store.commit()
    return blob
  }

  /**
   * After a restart: trims every open session's file to whole blocks it really holds (bytes past
   * the recorded offset were written but maybe not acknowledged).
   */
  async recover(): Promise<void> {
    for (const session of Object.values(this.store.state.sessions)) {
      if (session.finalized) continue
      let size = 0
      try {
        size = (await stat(this.store.path(session.file))).size
      } catch {
        delete this.store.state.sessions[session.id]
        continue
      }
      const offset = Math.floor(size / BLOCK) * BLOCK
      if (offset !== size) await truncate(this.store.path(session.file), offset)
      session.offset = offset
    }
    this.store.save()
  }
}

function freshHashes(): RunningHashes {
  return { md5: createHash('md5'), sha256: createHash('sha256'), at: 0 }
}
