/**
 * SIGKILL the uploading process (a real child) while Playbook has done a completion but holds
 * its answer; start it again: every file is exactly one asset with equal bytes, and the
 * completion is not sent twice. Public records carry no signed_gcs_id.
 */
import { spawn } from 'node:child_process'
import type { ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { landed, startWorld } from './sandbox-helpers.ts'
import type { World } from './sandbox-helpers.ts'

const childScript = join(import.meta.dirname, 'fixtures', 'upload-child.ts')

function start(args: readonly string[]): { proc: ChildProcess; exit: Promise<string> } {
  const proc = spawn(process.execPath, [childScript, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, GRACE_MS: '1500' },
  })
  let out = ''
  proc.stdout?.on('data', (d: Buffer) => (out += d.toString()))
  proc.stderr?.on('data', (d: Buffer) => (out += d.toString()))
  const exit = new Promise<string>((resolve) => proc.on('exit', () => resolve(out)))
  return { proc, exit }
}

describe('SIGKILL while a completion is held', () => {
  let world: World
  beforeEach(async () => {
    world = await startWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  for (const route of ['upload_complete', 'batch_upload_complete'] as const) {
    it(`${route}: killed after Playbook created the assets, restarted: each file once`, async () => {
      const count = route === 'upload_complete' ? 1 : 4
      const files = await Promise.all(
        Array.from({ length: count }, (_, i) => world.file(`held-${i}.bin`, 1000 + i * 70_000)),
      )
      const args = [
        world.sandbox.url,
        world.token,
        world.sandbox.org,
        world.board,
        join(world.dir, 'state.db'),
        '0',
        ...files.map((f) => f.path),
      ]
      await world.faults([
        { method: 'POST', path: `/v1/*/${route}`, action: 'hold', hold_ms: 120_000 },
      ])
      const first = start(args)
      // Wait until the completion took effect on the server (its answer is still held back).
      for (let i = 0; i < 600 && (await world.assets()).length < count; i++)
        await new Promise((r) => setTimeout(r, 50))
      expect((await world.assets()).length).toBe(count)
      first.proc.kill('SIGKILL')
      await first.exit
      expect(first.proc.signalCode).toBe('SIGKILL')

      const second = start(args)
      const out = await second.exit
      expect(out).toMatch(/drained/)
      const want = files.map((f, i) => ({ title: `held-${i}.bin`, sha256: f.sha256 }))
      expect(await landed(world, want)).toEqual(
        want.map((w) => ({ title: w.title, count: 1, sameBytes: true })),
      )
      const stats = await world.stats()
      expect(stats.duplicates).toBe(0)
      expect(stats.requests[`POST /v1/:org/assets/${route}`]).toBe(1)
      expect(JSON.parse(out.replace(/^[\s\S]*drained /, ''))).toMatchObject({
        done: count,
        failed: 0,
      })
    })
  }
})
