import { EventEmitter } from 'node:events'
import { describe, expect, it } from 'vitest'
import type { UpdateStatus } from '../../src/shared/update-models.ts'
import {
  createUpdater,
  installUnlessBusy,
  updateDisabledReasons,
  type AutoUpdater,
} from '../../src/main/updater.ts'

const log = { info() {}, warn() {}, error() {} }

/** electron-updater's autoUpdater, as far as the updater drives it (no network, no installer). */
class FakeAutoUpdater extends EventEmitter implements AutoUpdater {
  autoDownload = false
  autoInstallOnAppQuit = true
  logger: unknown = null
  checks = 0
  installs: [boolean | undefined, boolean | undefined][] = []
  active = true
  async checkForUpdates() {
    this.checks++
    if (!this.active) return null
    this.emit('checking-for-update')
    return {}
  }
  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean) {
    this.installs.push([isSilent, isForceRunAfter])
  }
}

describe('self-update', () => {
  it('is off in development, with the reason', async () => {
    const seen: UpdateStatus[] = []
    const updater = await createUpdater({ packaged: false, log, onChange: (s) => seen.push(s) })
    expect(await updater.check()).toEqual({
      kind: 'disabled',
      reason: updateDisabledReasons.development,
    })
    expect(updater.ready()).toBe(false)
  })

  it('checks at start, downloads in the background, and is ready to restart', async () => {
    const fake = new FakeAutoUpdater()
    const seen: string[] = []
    const updater = await createUpdater({
      packaged: true,
      log,
      onChange: (s) => seen.push(s.kind),
      load: async () => fake,
    })
    expect(fake.checks).toBe(1)
    expect(fake.autoDownload).toBe(true)
    // Installing waits for main's bounded shutdown, not electron-updater's own quit hook.
    expect(fake.autoInstallOnAppQuit).toBe(false)
    fake.emit('update-available', { version: '0.2.0' })
    fake.emit('download-progress', { percent: 41.6 })
    expect(updater.status()).toEqual({ kind: 'downloading', version: '0.2.0', percent: 42 })
    fake.emit('update-downloaded', { version: '0.2.0' })
    expect(updater.status()).toEqual({ kind: 'ready', version: '0.2.0' })
    expect(seen).toEqual(['checking', 'downloading', 'downloading', 'ready'])
    updater.quitAndInstall(true)
    expect(fake.installs).toEqual([[false, true]])
    updater.stop()
  })

  it('says so when this copy cannot update itself', async () => {
    const fake = new FakeAutoUpdater()
    fake.active = false
    const updater = await createUpdater({
      packaged: true,
      log,
      onChange() {},
      load: async () => fake,
    })
    expect(await updater.check()).toEqual({
      kind: 'disabled',
      reason: updateDisabledReasons.unsupported,
    })
    updater.stop()
  })

  it('starts even when electron-updater is missing', async () => {
    const updater = await createUpdater({
      packaged: true,
      log,
      onChange() {},
      load: async () => {
        throw new Error("Cannot find package 'electron-updater'")
      },
    })
    expect(updater.status()).toEqual({ kind: 'disabled', reason: updateDisabledReasons.missing })
  })

  it('never restarts over running uploads unless the user says so', async () => {
    const installs: boolean[] = []
    const ready = {
      ready: () => true,
      quitAndInstall: (restart: boolean) => void installs.push(restart),
    }
    const asked: number[] = []
    expect(await installUnlessBusy(ready, 3, async (n) => (asked.push(n), false))).toBe(false)
    expect(installs).toEqual([])
    expect(await installUnlessBusy(ready, 3, async () => true)).toBe(true)
    expect(await installUnlessBusy(ready, 0, async () => false)).toBe(true)
    expect(asked).toEqual([3])
    expect(installs).toEqual([true, true])
  })
})
