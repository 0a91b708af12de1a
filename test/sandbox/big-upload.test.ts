import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSandbox, type ChildSandbox } from './child.ts'
import { adminAssets, api, prepare, startSession } from './helpers.ts'

/**
 * Streams a large upload through the sandbox (in a child process, so its memory can be read) and
 * checks the bytes arrive intact while its RSS stays far below the upload size. 256 MiB by default;
 * set SANDBOX_BIG_UPLOAD_MB (e.g. 1536) for a multi-GB-class run.
 */
const TOTAL = Number(process.env.SANDBOX_BIG_UPLOAD_MB ?? '256') * 1024 * 1024
const CHUNK = 64 * 1024 * 1024
const PIECE = 1024 * 1024

async function rssOf(pid: number): Promise<number | undefined> {
  try {
    const status = await readFile(`/proc/${pid}/status`, 'utf8')
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1]
    return kb ? Number(kb) * 1024 : undefined
  } catch {
    return undefined // not Linux: the memory check is skipped, the byte check still runs
  }
}

/** PUTs `length` bytes starting at `offset`, generated piece by piece (never all in memory). */
function putStream(
  url: string,
  offset: number,
  length: number,
  total: number,
  hash: ReturnType<typeof createHash>,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'PUT',
        headers: {
          'Content-Range': `bytes ${offset}-${offset + length - 1}/${total}`,
          'Content-Length': length,
        },
      },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode ?? 0))
      },
    )
    req.on('error', reject)
    const piece = Buffer.alloc(PIECE)
    let sent = 0
    const pump = (): void => {
      while (sent < length) {
        const n = Math.min(PIECE, length - sent)
        const at = offset + sent
        for (let i = 0; i < n; i += 4096) piece.writeUInt32LE((at + i) >>> 0, i)
        const out = Buffer.from(piece.subarray(0, n))
        hash.update(out)
        sent += n
        if (!req.write(out)) {
          req.once('drain', pump)
          return
        }
      }
      req.end()
    }
    pump()
  })
}

describe('sandbox streams big uploads to disk', () => {
  let sb: ChildSandbox
  beforeAll(async () => {
    sb = await spawnSandbox(['--port', '0'])
  })
  afterAll(async () => {
    sb.child.kill('SIGTERM')
    await sb.exited
  })

  it(`stores ${TOTAL / 1024 / 1024} MiB in 64 MiB chunks without holding it in memory`, async () => {
    const box = sb.info
    const prep = await prepare(box, 'big.mov', TOTAL, 'video/quicktime')
    const session = await startSession(prep, 'video/quicktime')
    const hash = createHash('sha256')
    const before = await rssOf(sb.child.pid as number)
    let peak = 0
    for (let offset = 0; offset < TOTAL; offset += CHUNK) {
      const length = Math.min(CHUNK, TOTAL - offset)
      const status = await putStream(session, offset, length, TOTAL, hash)
      expect(status).toBe(offset + length === TOTAL ? 200 : 308)
      peak = Math.max(peak, (await rssOf(sb.child.pid as number)) ?? 0)
    }
    const done = await api(box, 'POST', `/v1/${box.org}/assets/upload_complete`, {
      asset: {
        signed_gcs_id: prep.signed_gcs_id,
        title: 'big.mov',
        media_type: 'video/quicktime',
        size: TOTAL,
      },
    })
    expect(done.status).toBe(200)
    const stored = (await adminAssets(box)).find((a) => a.token === done.body.data.token)
    expect(stored?.sha256).toBe(hash.digest('hex'))
    if (before !== undefined)
      expect(peak - before).toBeLessThan(Math.min(TOTAL / 2, 160 * 1024 * 1024))
  })
})
