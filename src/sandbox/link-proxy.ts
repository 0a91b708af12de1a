/**
 * A TCP proxy in front of the sandbox that behaves like a network link: a connection costs one
 * round trip before its first byte arrives, every byte arrives half a round trip after it was
 * sent, and each direction is one shared pipe of the profile's bandwidth. A bounded window per
 * connection (like TCP's) pauses the sender instead of buffering without limit, so memory stays
 * flat for multi-GB uploads. Resets and half-closes pass through.
 */
import { connect, createServer } from 'node:net'
import type { AddressInfo, Socket } from 'node:net'
import type { LinkProfile } from './link-profile.ts'

/** A running link proxy. */
export interface LinkProxy {
  readonly port: number
  close(): Promise<void>
}

/** One direction of the link, shared by every connection: when its pipe is next free. */
class Pipe {
  private nextFree = 0
  private readonly bytesPerMs: number | null

  constructor(bytesPerMs: number | null) {
    this.bytesPerMs = bytesPerMs
  }

  /** Reserves the pipe for `bytes` from `earliest`; returns when the last byte has left. */
  reserve(bytes: number, earliest: number): number {
    if (this.bytesPerMs === null) return earliest
    const start = Math.max(earliest, this.nextFree)
    this.nextFree = start + bytes / this.bytesPerMs
    return this.nextFree
  }
}

type Entry = { readonly at: number; readonly chunk: Buffer | null }

/**
 * Carries `source` to `dest` through `pipe`, each chunk released `oneWayMs` after it has left the
 * pipe, in order, and never before `notBefore`. `chunk: null` marks the source's end.
 */
function carry(
  source: Socket,
  dest: Socket,
  pipe: Pipe,
  oneWayMs: number,
  notBefore: number,
  window: number,
): void {
  const queue: Entry[] = []
  let inFlight = 0
  let last = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  const pump = (): void => {
    timer = undefined
    const now = performance.now()
    while (queue.length > 0 && (queue[0] as Entry).at <= now) {
      const { chunk } = queue.shift() as Entry
      if (chunk === null) {
        dest.end()
        continue
      }
      inFlight -= chunk.length
      if (!dest.destroyed) dest.write(chunk)
    }
    if (source.isPaused() && inFlight <= window / 2 && !source.destroyed) source.resume()
    const head = queue[0]
    if (head !== undefined) timer = setTimeout(pump, Math.max(0, head.at - now))
  }
  const push = (chunk: Buffer | null): void => {
    const now = performance.now()
    const left = pipe.reserve(chunk?.length ?? 0, Math.max(now, notBefore))
    last = Math.max(last, left + oneWayMs)
    queue.push({ at: last, chunk })
    if (chunk !== null) {
      inFlight += chunk.length
      if (inFlight > window) source.pause()
    }
    if (timer === undefined) timer = setTimeout(pump, Math.max(0, (queue[0] as Entry).at - now))
  }
  source.on('data', (chunk: Buffer) => push(chunk))
  source.on('end', () => push(null))
  const stop = (): void => {
    if (timer !== undefined) clearTimeout(timer)
    queue.length = 0
    dest.destroy()
  }
  // A reset (or any close without an orderly end) resets the other side too.
  source.on('error', stop)
  source.on('close', (hadError) => {
    if (hadError || !source.readableEnded) stop()
  })
}

/** Starts a proxy on `listen` that forwards to `target` through a link shaped by `profile`. */
export async function startLinkProxy(
  target: { readonly host: string; readonly port: number },
  listen: { readonly host: string; readonly port: number },
  profile: LinkProfile,
): Promise<LinkProxy> {
  const bytesPerMs = profile.bandwidthMbit === null ? null : (profile.bandwidthMbit * 1e6) / 8 / 1e3
  const up = new Pipe(bytesPerMs)
  const down = new Pipe(bytesPerMs)
  const oneWay = profile.latencyMs / 2
  // Twice the bandwidth-delay product (at least 256 KiB), like a tuned TCP window.
  const window =
    bytesPerMs === null
      ? 16 * 1024 * 1024
      : Math.max(256 * 1024, 2 * bytesPerMs * Math.max(profile.latencyMs, 1))
  const sockets = new Set<Socket>()
  const server = createServer({ allowHalfOpen: true }, (client) => {
    const accepted = performance.now()
    const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true })
    for (const s of [client, upstream]) {
      sockets.add(s)
      s.on('close', () => sockets.delete(s))
      s.setNoDelay(true)
    }
    // The handshake costs a round trip before the client's first byte can arrive.
    carry(client, upstream, up, oneWay, accepted + profile.latencyMs, window)
    carry(upstream, client, down, oneWay, 0, window)
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(listen.port, listen.host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        for (const s of sockets) s.destroy()
      }),
  }
}
