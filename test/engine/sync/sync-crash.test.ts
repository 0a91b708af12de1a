import { spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { startSyncWorld } from './support/sync-world.ts'
import type { SyncWorld } from './support/sync-world.ts'

const child = fileURLToPath(new URL('./fixtures/sync-child.ts', import.meta.url))

/** How a run ends early: after a delay, or once the board holds a number of assets. */
type Kill = { readonly afterMs: number } | { readonly atAssets: number }

/** Runs the sync child; SIGKILLs it when `kill` says so, unless it finished first. */
function runChild(
  world: SyncWorld,
  folder: string,
  kill?: Kill,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(
      process.execPath,
      [child, world.sandbox.url, world.sandbox.token, world.org, world.board, folder, world.dbFile],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    let stderr = ''
    proc.stderr.on('data', (data: Buffer) => (stderr += data.toString()))
    let timer: ReturnType<typeof setTimeout> | undefined
    if (kill && 'afterMs' in kill) timer = setTimeout(() => proc.kill('SIGKILL'), kill.afterMs)
    if (kill && 'atAssets' in kill) {
      const poll = (): void => {
        timer = setTimeout(() => {
          void world.assets().then((assets) => {
            if (assets.length >= kill.atAssets) proc.kill('SIGKILL')
            else if (proc.exitCode === null && proc.signalCode === null) poll()
          }, poll)
        }, 25)
      }
      poll()
    }
    const guard = setTimeout(() => proc.kill('SIGKILL'), 90_000)
    proc.on('error', reject)
    proc.on('exit', (code, signal) => {
      clearTimeout(timer)
      clearTimeout(guard)
      resolve({ code, signal, stderr })
    })
  })
}

describe('sync engine: crash and restart', () => {
  let world: SyncWorld
  beforeEach(async () => {
    world = await startSyncWorld()
  })
  afterEach(async () => {
    await world.close()
  })

  it('uploads every file exactly once with the right bytes across SIGKILLs at random moments', async () => {
    expect(Number(process.versions.node.split('.')[0])).toBeGreaterThanOrEqual(24)
    const folder = await world.folder('crashy')
    const expected = new Map<string, string>()
    const addFiles = async (prefix: string, count: number): Promise<void> => {
      for (let i = 0; i < count; i++) {
        const size = i % 5 === 0 ? 700_000 + i * 1000 : 2000 + i * 37
        const relPath = `${prefix}/${i % 3 === 0 ? 'nested/' : ''}file-${i}.bin`
        expected.set(relPath, await world.write(folder, relPath, randomBytes(size)))
      }
    }
    await addFiles('batch-a', 30)

    // Every request takes a little longer, so that kills land in the middle of the work.
    await world.admin('/__sandbox/faults', {
      rules: [{ path: '/', action: 'delay', delay_ms: 40, times: 0 }],
    })
    const jitter = (): number => Math.floor(Math.random() * 400)
    const kills: Kill[] = [
      { afterMs: 400 + jitter() },
      { atAssets: 3 + (jitter() % 6) },
      { afterMs: 700 + jitter() },
      { atAssets: 16 + (jitter() % 8) },
      { atAssets: 30 + (jitter() % 6) },
    ]
    for (const [round, kill] of kills.entries()) {
      // Each run is killed mid-way (the board's count is checked below, not here).
      const result = await runChild(world, folder, kill)
      if (result.signal === null) expect(result.code, result.stderr).toBe(0)
      // Files that appear while the app is closed are caught up on the next start.
      if (round === 1) await addFiles('batch-b', 10)
    }
    const last = await runChild(world, folder)
    expect(last.code, last.stderr).toBe(0)

    const assets = await world.assets()
    const byPath = new Map<string, string[]>()
    for (const asset of assets) {
      const list = byPath.get(asset.description ?? '') ?? []
      list.push(asset.sha256 ?? 'none')
      byPath.set(asset.description ?? '', list)
    }
    expect(assets).toHaveLength(expected.size)
    for (const [relPath, hash] of expected) expect(byPath.get(relPath), relPath).toEqual([hash])
    expect(new Set(assets.map((asset) => asset.sha256))).toEqual(new Set(expected.values()))
  })
})
