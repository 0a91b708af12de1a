/**
 * How many uploads run at once, adapted to the work. Large files are bandwidth-bound: `concurrency`
 * of them fill the link, and more only split it. Small files (one request each) are latency-bound:
 * each spends most of its time waiting for round trips, so many more run side by side. Every
 * upload holds memory while it runs (a small file whole, a large one up to two chunks: the one
 * sent and the one read ahead), and all of them together stay within one bound on bytes in flight,
 * so memory stays flat whatever the mix. The limits can change while uploads run: running ones
 * finish, new ones start only under the new limits.
 */

/** The lane policy the queue asks before starting an upload. */
export interface UploadLanes {
  /** True when an upload of `size` bytes may start now. */
  canStart(size: number): boolean
  /** Records a started upload. */
  started(id: string, size: number): void
  /** Records a finished (or stopped) upload. */
  ended(id: string): void
  /** Changes the number of large files at once (small lanes follow); running uploads continue. */
  resize(concurrency: number): void
  /** How many prepared uploads are worth keeping ready: enough to refill every lane. */
  readonly ahead: number
  /** Bytes the running uploads hold (for tests and the bench). */
  readonly bytesInFlight: number
}

/** Options for `createUploadLanes`. */
export interface UploadLaneOptions {
  /** Large files at once (the user's "files at once" setting). */
  readonly concurrency: number
  /** Files of at most this many bytes count as small (one request: the chunk size). */
  readonly smallMaxBytes: number
  /** Small files at once (default 8 × concurrency, at least 32). */
  readonly smallLanes?: number
  /** Bytes that small files in flight may hold together (default 64 MiB). */
  readonly smallBytesInFlight?: number
  /**
   * Bytes all uploads in flight may hold together (default: the small files' bound plus
   * `concurrency` large uploads of two chunks). One upload may always run, however large.
   */
  readonly maxBytesInFlight?: number
}

/** Creates the lane policy. */
export function createUploadLanes(options: UploadLaneOptions): UploadLanes {
  const chunk = Math.max(1, options.smallMaxBytes)
  const smallBytesLimit = options.smallBytesInFlight ?? 64 * 1024 * 1024
  let largeLanes = 1
  let smallLanes = 1
  let bytesLimit = 0
  const resize = (concurrency: number): void => {
    largeLanes = Math.max(1, Math.floor(concurrency))
    smallLanes = Math.max(1, options.smallLanes ?? Math.max(32, 8 * largeLanes))
    bytesLimit = options.maxBytesInFlight ?? smallBytesLimit + largeLanes * 2 * chunk
  }
  resize(options.concurrency)
  const running = new Map<string, number>()
  let large = 0
  let small = 0
  let smallBytes = 0
  let held = 0
  const isSmall = (size: number): boolean => size <= chunk
  /** Memory an upload holds while it runs. */
  const holds = (size: number): number => (isSmall(size) ? size : 2 * chunk)
  return {
    get ahead() {
      return largeLanes + smallLanes
    },
    get bytesInFlight() {
      return held
    },
    canStart(size) {
      if (running.size === 0) return true
      if (held + holds(size) > bytesLimit) return false
      if (!isSmall(size)) return large < largeLanes
      return small < smallLanes && smallBytes + size <= smallBytesLimit
    },
    started(id, size) {
      if (running.has(id)) return
      running.set(id, size)
      held += holds(size)
      if (isSmall(size)) {
        small++
        smallBytes += size
      } else large++
    },
    ended(id) {
      const size = running.get(id)
      if (size === undefined) return
      running.delete(id)
      held -= holds(size)
      if (isSmall(size)) {
        small--
        smallBytes -= size
      } else large--
    },
    resize,
  }
}
