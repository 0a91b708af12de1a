/** Serves stored bytes with single-range support (used by /files and signed downloads). */
import { createReadStream } from 'node:fs'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { pipeline } from 'node:stream/promises'

/** Streams `path` (`size` bytes) as `mediaType`, honouring one `Range: bytes=a-b`. */
export async function serveFile(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  size: number,
  mediaType: string,
): Promise<void> {
  const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '')
  let start = 0
  let end = size - 1
  let status = 200
  if (range && (range[1] || range[2])) {
    if (range[1]) {
      start = Number(range[1])
      end = range[2] ? Math.min(Number(range[2]), size - 1) : size - 1
    } else {
      start = Math.max(0, size - Number(range[2]))
    }
    if (start > end || start >= size) {
      res.writeHead(416, { 'Content-Range': `bytes */${size}` })
      res.end()
      return
    }
    status = 206
  }
  const headers: Record<string, string | number> = {
    'Content-Type': mediaType,
    'Content-Length': size === 0 ? 0 : end - start + 1,
    'Accept-Ranges': 'bytes',
  }
  if (status === 206) headers['Content-Range'] = `bytes ${start}-${end}/${size}`
  res.writeHead(status, headers)
  if (req.method === 'HEAD' || size === 0) {
    res.end()
    return
  }
  await pipeline(createReadStream(path, { start, end }), res)
}
