/**
 * Reads a bounded JSON request body: an invocation is small, and the endpoint is reachable by
 * anyone who can reach the port, so it never buffers more than it must.
 */
import type { IncomingMessage } from 'node:http'

/** Why a body could not be read, with the HTTP status to answer. */
export class BodyError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.name = 'BodyError'
    this.status = status
  }
}

/** Parses the request body as JSON; 413 past `limit` bytes, 400 when it is not JSON. */
export async function readJsonBody(req: IncomingMessage, limit: number): Promise<unknown> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (Number.isFinite(declared) && declared > limit) {
    req.resume()
    throw new BodyError(413, `body larger than ${limit} bytes`)
  }
  const body = await new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    const onData = (chunk: Buffer): void => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      req.off('data', onData)
      req.off('end', onEnd)
      req.resume() // discard the rest; the answer closes the connection
      reject(new BodyError(413, `body larger than ${limit} bytes`))
    }
    const onEnd = (): void => resolve(Buffer.concat(chunks))
    req.on('data', onData)
    req.on('end', onEnd)
    req.once('error', reject)
  })
  try {
    return JSON.parse(body.toString('utf8')) as unknown
  } catch {
    throw new BodyError(400, 'body is not valid JSON')
  }
}
