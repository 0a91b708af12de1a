import { createHash } from 'node:crypto'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  _electron as electron,
  expect,
  test,
  type ElectronApplication,
  type Page,
} from '@playwright/test'
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts'
import { findElectron } from '../support/electron.ts'
import { latestMagicLink, sandboxAssets, setFaults } from '../support/host-fixture.ts'

// The same flows as the Chromium spec, in the real Electron app (preload + IPC instead of the
// headless host's socket). Skips, saying why, where no Electron binary is installed.

const found = findElectron()
const email = 'designer@studio.test'

test.describe('Electron app: sign in, pair, drop, pause, recover', () => {
  test.skip('reason' in found, `No Electron binary here: ${'reason' in found ? found.reason : ''}`)

  let sandbox: Sandbox
  let userData: string
  let folder: string
  let app: ElectronApplication
  let window: Page

  test.beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 })
    userData = await mkdtemp(join(tmpdir(), 'pbs-electron-'))
    folder = await mkdtemp(join(tmpdir(), 'pbs-electron-folder-'))
    await writeFile(join(folder, 'brief.txt'), 'Spring campaign\n')
    app = await electron.launch({
      executablePath: 'path' in found ? found.path : undefined,
      args: ['.', `--user-data-dir=${userData}`],
      env: {
        ...process.env,
        PLAYBOOK_SYNC_HOME: join(userData, 'home'),
        PLAYBOOK_API_URL: sandbox.url,
      },
    })
    window = await app.firstWindow()
  })

  test.afterAll(async () => {
    await app?.close()
    await sandbox?.close()
    await rm(userData, { recursive: true, force: true })
    await rm(folder, { recursive: true, force: true })
  })

  test('signs in with the pasted mailbox link', async () => {
    await window.getByRole('textbox', { name: 'Email', exact: true }).fill(email)
    await window.getByRole('button', { name: 'Send link' }).click()
    await window
      .getByRole('textbox', { name: 'Paste the link from the email' })
      .fill(await latestMagicLink(sandbox, email))
    await window.getByRole('button', { name: 'Finish sign-in' }).click()
    await expect(window.getByRole('heading', { name: 'Activity' })).toBeVisible()
  })

  test('pairs a folder chosen in the native dialog and syncs it', async () => {
    const board = sandbox.boards[0]
    if (!board) throw new Error('no board')
    // The native dialog cannot be clicked by Playwright: answer it from the main process.
    await app.evaluate(({ dialog }, path) => {
      dialog.showOpenDialog = async () => ({ canceled: false, filePaths: [path] })
    }, folder)
    await window.getByRole('button', { name: 'Folders', exact: true }).click()
    await window.getByRole('button', { name: 'Add folder' }).first().click()
    await window.getByRole('button', { name: 'Choose folder…' }).click()
    await window
      .getByRole('listbox', { name: 'Board for this folder' })
      .getByRole('option', { name: board.title })
      .click()
    await expect(window.getByText(/1 file, .* to upload/)).toBeVisible()
    await window.getByRole('button', { name: 'Start syncing' }).click()
    await window.getByRole('button', { name: 'Activity' }).click()
    const row = window.getByRole('listitem', { name: /^brief\.txt:/ })
    await expect(row).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
    const assets = await sandboxAssets(sandbox, board.token)
    const sha = createHash('sha256')
      .update(await readFile(join(folder, 'brief.txt')))
      .digest('hex')
    expect(assets.find((a) => a.title === 'brief.txt')?.sha256).toBe(sha)
  })

  test('drops a file, pauses and resumes, and recovers from a fault with retry', async () => {
    const dropped = join(folder, '..', `pbs-drop-${Date.now()}.txt`)
    await writeFile(dropped, 'dropped\n')
    try {
      await window.getByRole('button', { name: 'Pause all' }).click()
      await window.getByTestId('file-input').setInputFiles(dropped)
      const name = dropped.split(/[/\\]/).pop() ?? ''
      const row = window.getByRole('listitem', {
        name: new RegExp(`^${name.replace('.', '\\.')}:`),
      })
      await expect(row.getByText('Paused', { exact: true })).toBeVisible()
      await setFaults(sandbox, [
        { method: 'POST', path: '/*upload_prepare', action: 'status', status: 400, times: 0 },
      ])
      await window.getByRole('button', { name: 'Resume all' }).click()
      await expect(row).toHaveAttribute('data-state', 'failed', { timeout: 30_000 })
      await setFaults(sandbox, null)
      await window.getByRole('button', { name: 'Retry all failed' }).click()
      await expect(row).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
    } finally {
      await rm(dropped, { force: true })
    }
  })
})
