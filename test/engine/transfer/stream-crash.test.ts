import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

const child = join(import.meta.dirname, 'fixtures', 'upload-child.ts')
const MiB = 1024 * 1024

function start(args: readonly string[]): {
  proc: ChildProcess
  done: Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }>
} {
  const proc = spawn(process.execPath, [child, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, UPLOAD_MODE: 'stream' },
  })
  let stdout = ''
  let stderr = ''
  proc.stdout?.on('data', (d: Buffer) => (stdout += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const done = new Promise<{
    code: number | null
    signal: string | null
    stdout: string
    stderr: string
  }>((resolve, reject) => {
    proc.on('error', reject)
    proc.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }))
  })
  return { proc, done }
}

describe('a streamed upload killed mid-stream', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('resumes after SIGKILL from what storage holds and lands once with its bytes', async () => {
    const size = 14 * MiB + 4321
    const f = await world.file('killed-mid-stream.bin', size)
    const dbFile = join(world.dir, 'stream-crash.db')
    const base = [world.sandbox.url, world.token, world.sandbox.org, world.board, dbFile]
    // Slowed down so storage's byte count can be watched; killed once it passed 6 MiB (the
    // stream is then inside its second 4 MiB segment), whatever the machine's speed.
    const slow = start([...base, String(2 * MiB), f.path])
    let received = 0
    for (let i = 0; i < 2000 && received < 6 * MiB; i++) {
      await new Promise((r) => setTimeout(r, 25))
      received = (await world.stats()).bytes_received
    }
    expect(received).toBeGreaterThanOrEqual(6 * MiB)
    expect(received).toBeLessThan(size)
    slow.proc.kill('SIGKILL')
    const killed = await slow.done
    expect(killed.signal).toBe('SIGKILL')

    const again = start([...base, String(1024 * MiB), f.path])
    const result = await again.done
    expect(result.code, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/drained/)
    expect(await landed(world, [{ title: 'killed-mid-stream.bin', sha256: f.sha256 }])).toEqual([
      { title: 'killed-mid-stream.bin', count: 1, sameBytes: true },
    ])
    const stats = await world.stats()
    expect(stats.duplicates).toBe(0)
    // The second run sent only what storage lacked (not the file again from byte 0): at most the
    // part of a 256 KiB block that had arrived but was not kept when the connection died.
    expect(stats.bytes_received - size).toBeLessThan(256 * 1024)
  })
})
