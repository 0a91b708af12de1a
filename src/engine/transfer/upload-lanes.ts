/**
 * How many uploads run at once. Large files are bandwidth-bound: `concurrency` of them fill the
 * link, and more only split it. Small files (one request each) are latency-bound: each spends most
 * of its time waiting for round trips, so many more run side by side, bounded by a count and by
 * the bytes they hold in flight so memory stays flat.
 */

/** The lane policy the queue asks before starting an upload. */
export interface UploadLanes {
  /** True when an upload of `size` bytes may start now. */
  canStart(size: number): boolean
  /** Records a started upload. */
  started(id: string, size: number): void
  /** Records a finished (or stopped) upload. */
  ended(id: string): void
  /** How many prepared uploads are worth keeping ready: enough to refill every lane. */
  readonly ahead: number
  /**
   * Changes the number of large-file lanes (and the small lanes that follow from it) while
   * uploads run: uploads already running finish, new ones start only while under the new count.
   */
  resize(concurrency: number): void
}

/** Options for `createUploadLanes`. */
export interface UploadLaneOptions {
  /** Large files at once (the user's "files at once" setting). */
  readonly concurrency: number
  /** Files of at most this many bytes count as small (one request: the chunk size). */
  readonly smallMaxBytes: number
  /** Small files at once (default 4 × concurrency, at least 16). */
  readonly smallLanes?: number
  /** Bytes that small files in flight may hold together (default 64 MiB). */
  readonly smallBytesInFlight?: number
}

/** Creates the lane policy. */
export function createUploadLanes(options: UploadLaneOptions): UploadLanes {
  let largeLanes = Math.max(1, options.concurrency)
  const smallLanesFor = (large: number): number =>
    Math.max(1, options.smallLanes ?? Math.max(32, 8 * large))
  let smallLanes = smallLanesFor(largeLanes)
  const smallBytesLimit = options.smallBytesInFlight ?? 64 * 1024 * 1024
  const running = new Map<string, number>()
  let large = 0
  let small = 0
  let smallBytes = 0
  const isSmall = (size: number): boolean => size <= options.smallMaxBytes
  return {
    get ahead() {
      return largeLanes + smallLanes
    },
    resize(concurrency) {
      largeLanes = Math.max(1, concurrency)
      smallLanes = smallLanesFor(largeLanes)
    },
    canStart(size) {
      if (running.size === 0) return true
      if (!isSmall(size)) return large < largeLanes
      return small < smallLanes && smallBytes + size <= smallBytesLimit
    },
    started(id, size) {
      if (running.has(id)) return
      running.set(id, size)
      if (isSmall(size)) {
        small++
        smallBytes += size
      } else large++
    },
    ended(id) {
      const size = running.get(id)
      if (size === undefined) return
      running.delete(id)
      if (isSmall(size)) {
        small--
        smallBytes -= size
      } else large--
    },
  }
}
