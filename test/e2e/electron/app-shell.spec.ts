import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron as electron, expect, test } from '@playwright/test'
import { findElectron } from '../support/electron.ts'

const found = findElectron()

test.describe('Electron app', () => {
  test.skip('reason' in found, `No Electron binary here: ${'reason' in found ? found.reason : ''}`)

  test('opens one locked-down window showing the first screen', async () => {
    const userData = await mkdtemp(join(tmpdir(), 'pbs-electron-'))
    const app = await electron.launch({
      executablePath: 'path' in found ? found.path : undefined,
      args: ['.', `--user-data-dir=${userData}`],
      env: { ...process.env, PLAYBOOK_SYNC_HOME: join(userData, 'home') },
    })
    try {
      const window = await app.firstWindow()
      await expect(window.getByRole('heading', { name: 'Playbook Sync' })).toBeVisible()
      await expect(window.getByRole('button', { name: 'Try it with the sandbox' })).toBeVisible()
      // No Node in the page (sandbox + contextIsolation + no nodeIntegration), only the contract object.
      expect(
        await window.evaluate(() => typeof (globalThis as { process?: unknown }).process),
      ).toBe('undefined')
      expect(
        await window.evaluate(() =>
          Object.keys((globalThis as { playbook?: object }).playbook ?? {}),
        ),
      ).toEqual(['invoke', 'on', 'sendFiles'])
      expect(
        await window.evaluate(() => typeof (globalThis as { require?: unknown }).require),
      ).toBe('undefined')
      // Untrusted IPC input is refused with a message naming the channel.
      const refused = await window.evaluate(async () => {
        const api = (
          globalThis as unknown as {
            playbook: { invoke(c: string, p?: unknown): Promise<unknown> }
          }
        ).playbook
        return api.invoke('shell:open-external', { url: 'file:///etc/passwd' }).then(
          () => 'accepted',
          (e: Error) => e.message,
        )
      })
      expect(refused).toMatch(/shell:open-external: invalid request/)
    } finally {
      await app.close()
      await rm(userData, { recursive: true, force: true })
    }
  })
})
