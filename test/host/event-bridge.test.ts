import { writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../src/engine/app.ts'
import { createMemorySecretStore } from '../../src/engine/account/file-secret-store.ts'
import { bridgeEngineEvents, bridgePluginEvents } from '../../src/engine/contract-handlers.ts'
import { createPluginService } from '../../src/engine/plugin-service.ts'
import { memoryPluginSettings } from '../../src/host/plugin-settings.ts'
import type { Engine } from '../../src/engine/engine-types.ts'
import type { EventChannel, PluginActivityItem, PluginsState } from '../../src/shared/contract.ts'
import type { JobSnapshot } from '../../src/shared/job-models.ts'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import { invoke, uploadAsset, waitForStatus } from '../sandbox/plugins/sandbox-helpers.ts'
import { tempFolders } from '../support/temp-folders.ts'

// The event bridge both hosts use (Electron IPC and the headless host's socket), over the real
// engine uploading real files to the sandbox in small chunks.

const tempFolder = tempFolders()
let sandbox: Sandbox
let engine: Engine
let home: string

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 })
  home = await tempFolder('pbs-bridge-')
  engine = await createEngine({
    home,
    secrets: createMemorySecretStore(),
    log: { info: () => {}, warn: () => {}, error: () => {} },
    chunkSize: 256 * 1024,
  })
  await engine.signInWithToken({ apiUrl: sandbox.url, token: sandbox.token, org: sandbox.org })
})

afterAll(async () => {
  await engine?.close()
  await sandbox?.close()
})

describe('engine → renderer event bridge', () => {
  it('batches progress, sends state changes at once, and never lets stale progress follow "done"', async () => {
    const files = await Promise.all(
      [0, 1, 2].map(async (i) => {
        const path = join(home, `big-${i}.bin`)
        await writeFile(path, randomBytes(3 * 1024 * 1024))
        return path
      }),
    )
    const sent: { channel: EventChannel; payload: unknown }[] = []
    const stop = bridgeEngineEvents(engine, (channel, payload) => sent.push({ channel, payload }), {
      progressIntervalMs: 50,
    })
    const ids = await engine.uploadPaths(files, sandbox.boards[0]?.token ?? '', { priority: 10 })
    await engine.idle()
    await new Promise((r) => setTimeout(r, 120))
    stop()

    const progress = sent.filter((e) => e.channel === 'job:progress')
    expect(progress.length).toBeGreaterThan(0)
    for (const batch of progress) {
      const jobs = batch.payload as JobSnapshot[]
      expect(Array.isArray(jobs)).toBe(true)
      expect(new Set(jobs.map((j) => j.id)).size).toBe(jobs.length)
    }
    for (const id of ids) {
      const doneAt = sent.findIndex(
        (e) =>
          e.channel === 'job:changed' &&
          (e.payload as JobSnapshot).id === id &&
          (e.payload as JobSnapshot).state.kind === 'done',
      )
      expect(doneAt, id).toBeGreaterThanOrEqual(0)
      const laterProgress = sent
        .slice(doneAt + 1)
        .filter(
          (e) =>
            e.channel === 'job:progress' &&
            (e.payload as JobSnapshot[]).some(
              (j) => j.id === id && j.updatedAt < (sent[doneAt]?.payload as JobSnapshot).updatedAt,
            ),
        )
      expect(laterProgress, id).toEqual([])
    }
    const lastTotals = sent.filter((e) => e.channel === 'totals:changed').pop()?.payload
    expect(lastTotals).toMatchObject({ queued: 0, active: 0, done: 3 })
  })
})

describe('plugin → renderer event bridge', () => {
  it('sends status changes at once and item updates batched, ending with each item done', async () => {
    const dir = await tempFolder('pbs-plugin-bridge-')
    const plugins = await createPluginService({
      settings: memoryPluginSettings(),
      defaultDest: join(dir, 'downloads'),
      stateDir: join(dir, 'state'),
      apiUrl: () => sandbox.url,
    })
    const sent: { channel: EventChannel; payload: unknown }[] = []
    const stop = bridgePluginEvents(plugins, (channel, payload) => sent.push({ channel, payload }))
    try {
      const state = await plugins.set({ enabled: true })
      const statuses = sent
        .filter((s) => s.channel === 'plugins:changed')
        .map((s) => (s.payload as PluginsState).status.kind)
      expect(statuses).toEqual(['starting', 'on'])
      if (state.status.kind !== 'on') throw new Error('plugin host did not start')
      const asset = await uploadAsset(sandbox, {
        title: 'Bridge.txt',
        mediaType: 'text/plain',
        bytes: randomBytes(2048),
      })
      const { pluginInvocationToken } = await invoke(
        sandbox,
        state.status.urls['send-to-desktop'],
        [asset.token],
      )
      await waitForStatus(sandbox, pluginInvocationToken)
      await plugins.idle()
      let last: PluginActivityItem | undefined
      for (let i = 0; i < 100 && last?.state.kind !== 'done'; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20))
        const batches = sent.filter((s) => s.channel === 'plugins:activity')
        last = (batches.at(-1)?.payload as PluginActivityItem[] | undefined)?.at(-1)
      }
      expect(last).toMatchObject({ title: 'Bridge.txt', state: { kind: 'done' } })
      const batches = sent.filter((s) => s.channel === 'plugins:activity')
      // Coalesced: one entry per item in a batch, the latest.
      for (const batch of batches) {
        const ids = (batch.payload as PluginActivityItem[]).map((item) => item.id)
        expect(new Set(ids).size).toBe(ids.length)
      }
    } finally {
      stop()
      await plugins.close()
    }
  })
})
