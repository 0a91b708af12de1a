import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

const child = join(import.meta.dirname, 'fixtures', 'upload-child.ts')

/** Runs the child; kills it with SIGKILL after `killAfterMs` unless it finished first. */
function runChild(
  args: readonly string[],
  killAfterMs: number | undefined,
): Promise<{ killed: boolean; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
    proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
    const timer =
      killAfterMs === undefined ? undefined : setTimeout(() => proc.kill('SIGKILL'), killAfterMs)
    proc.on('error', reject)
    proc.on('exit', (code, signal) => {
      if (timer !== undefined) clearTimeout(timer)
      if (signal === 'SIGKILL') resolve({ killed: true, stdout, stderr })
      else if (code === 0) resolve({ killed: false, stdout, stderr })
      else reject(new Error(`child exited ${code}: ${stderr}`))
    })
  })
}

describe('crash recovery', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('every file is exactly one asset with the right bytes after repeated SIGKILLs', async () => {
    const sizes = [0, 1, 1000, 300_000, 700_000, 1_500_000, 2_600_000, 3_100_000]
    const files = await Promise.all(sizes.map((s, i) => world.file(`crash-${i}.bin`, s)))
    const dbFile = join(world.dir, 'crash-state.db')
    const args = [
      world.sandbox.url,
      world.token,
      world.sandbox.org,
      world.board,
      dbFile,
      String(512 * 1024),
      ...files.map((f) => f.path),
    ]
    // Random kill moments (bounded: 6 kills), spread over startup, prepare, uploads and completion.
    const killTimes = Array.from({ length: 6 }, () => 250 + Math.floor(Math.random() * 1200))
    let kills = 0
    for (const ms of killTimes) {
      const result = await runChild(args, ms)
      if (result.killed) kills++
      else break
    }
    const last = await runChild(args, undefined)
    expect(last.stdout).toMatch(/drained/)
    expect(kills).toBeGreaterThanOrEqual(3)
    const want = files.map((f, i) => ({ title: `crash-${i}.bin`, sha256: f.sha256 }))
    expect(await landed(world, want)).toEqual(
      want.map((w) => ({ title: w.title, count: 1, sameBytes: true })),
    )
    const stats = await world.stats()
    expect(stats.duplicates).toBe(0)
    // Confirmed bytes are never sent again: at most the chunks in flight (4 × 256 KiB) per kill.
    const total = sizes.reduce((a, b) => a + b, 0)
    expect(stats.bytes_received).toBeLessThanOrEqual(total + kills * 4 * 256 * 1024)
    expect(JSON.parse(last.stdout.replace('drained ', ''))).toMatchObject({
      done: files.length,
      failed: 0,
    })
  })
})
