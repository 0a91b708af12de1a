/**
 * The floor a Node client reaches on this machine: the documented flow with the file's bytes sent
 * in one PUT through undici (the transport ours uses, its body a stream as ours is), read in 4 MiB
 * segments into reused buffers and handed over in 1 MiB pieces as ours are, with no hashing, no
 * marks and no state. Beside curl and ours it tells how much of a gap is Node's own.
 *   --api URL --token T --org SLUG --board TOKEN --file PATH
 */
import { open, stat } from 'node:fs/promises'
import { basename } from 'node:path'
import { Readable } from 'node:stream'
import { request } from 'undici'
import { directUpload } from '../lib/direct-upload.ts'
import { runMain, send, workerArgs } from './protocol.ts'

const SEGMENT = 4 * 1024 * 1024
const PIECE = 1024 * 1024

/**
 * The file's bytes in pieces. Three buffers in turn: one is refilled only after the two segments
 * since have been handed over (8 pieces), while the transport holds at most two.
 */
async function* pieces(path: string, size: number): AsyncGenerator<Uint8Array> {
  const handle = await open(path)
  try {
    const ring = [0, 1, 2].map(() => Buffer.allocUnsafeSlow(SEGMENT))
    for (let pos = 0, n = 0; pos < size; pos += SEGMENT, n++) {
      const buffer = ring[n % ring.length] as Buffer
      const length = Math.min(SEGMENT, size - pos)
      let got = 0
      while (got < length) {
        const { bytesRead } = await handle.read(buffer, got, length - got, pos + got)
        if (bytesRead === 0) throw new Error(`${path} became shorter`)
        got += bytesRead
      }
      for (let i = 0; i < length; i += PIECE) yield buffer.subarray(i, Math.min(length, i + PIECE))
    }
  } finally {
    await handle.close()
  }
}

runMain(async () => {
  const args = workerArgs(['api', 'token', 'org', 'board', 'file'])
  const { size } = await stat(args.file)
  const cpuAtStart = process.cpuUsage()
  const seconds = await directUpload(args, basename(args.file), size, async (session, type) => {
    const res = await request(session, {
      method: 'PUT',
      headers: {
        'content-range': `bytes 0-${size - 1}/${size}`,
        'content-length': String(size),
        'content-type': type,
      },
      body: Readable.from(pieces(args.file, size)),
    })
    await res.body.dump()
    return res.statusCode
  })
  const cpu = process.cpuUsage(cpuAtStart)
  send('done', { elapsedMs: seconds * 1000, cpuMs: (cpu.user + cpu.system) / 1000 })
})
