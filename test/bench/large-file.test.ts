/**
 * The large-file section's reference clients against a real sandbox: curl and the bare Node client
 * (bench/workers/plain-put.ts) each land the file once with its exact bytes, so their times are
 * times of a correct upload. The file spans several segments and ends mid-piece, so the bare
 * client reuses its buffers and sends a short last piece.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runWorker } from '../../bench/lib/child.ts'
import { writeLargeFile } from '../../bench/lib/data.ts'
import { sandboxArgs, startBenchSandbox } from '../../bench/lib/sandbox.ts'
import type { BenchSandbox } from '../../bench/lib/sandbox.ts'
import { ROOT } from '../../bench/lib/section.ts'
import { curlUpload } from '../../bench/sections/large-file.ts'

const SIZE = 13 * 1024 * 1024 + 5

describe('large-file reference clients', () => {
  let dir: string
  let path: string
  let sha256: string
  let sb: BenchSandbox

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bench-large-file-'))
    path = join(dir, 'large.bin')
    sha256 = await writeLargeFile(path, SIZE)
    sb = await startBenchSandbox()
  })

  afterAll(async () => {
    await sb?.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('curl lands the file once, byte for byte', async () => {
    const seconds = await curlUpload(sb, path, SIZE)
    expect(seconds).toBeGreaterThan(0)
    const landed = (await sb.assets()).filter((a) => a.title === 'curl.bin')
    expect(landed.map((a) => [a.size, a.sha256])).toEqual([[SIZE, sha256]])
  })

  it('the bare Node client lands the file once, byte for byte, and reports its time', async () => {
    const result = await runWorker(join(ROOT, 'bench', 'workers', 'plain-put.ts'), [
      ...sandboxArgs(sb),
      '--file',
      path,
    ])
    const done = result.messages.find((m) => m.type === 'done')
    expect(done?.elapsedMs).toBeGreaterThan(0)
    const landed = (await sb.assets()).filter((a) => a.title === 'large.bin')
    expect(landed.map((a) => [a.size, a.sha256])).toEqual([[SIZE, sha256]])
  })
})
