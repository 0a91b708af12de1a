import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { expect, test, type Locator, type Page } from '@playwright/test'
import sharp from 'sharp'
import { createMemorySecretStore } from '../../src/engine/account/file-secret-store.ts'
import { createEngine } from '../../src/engine/app.ts'
import type { Engine, Logger } from '../../src/engine/engine-types.ts'
import { createPluginService, type PluginService } from '../../src/engine/plugin-service.ts'
import { memoryPluginSettings, startHost, type RunningHost } from '../../src/host/index.ts'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import {
  invoke,
  uploadAsset,
  waitForStatus,
  type UploadedAsset,
} from '../sandbox/plugins/sandbox-helpers.ts'

// The plugin host switched on from the settings screen, in Chromium through the headless host,
// over the real engine, the real plugin host and the real sandbox (which invokes the plugin).

const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} }

let sandbox: Sandbox
let home: string
let engine: Engine
let plugins: PluginService
let host: RunningHost
let poster: UploadedAsset
let notes: UploadedAsset

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Screenshots for the README: refreshed in docs/ with UPDATE_SCREENSHOTS=1, else kept in test-results/. */
async function shot(page: Page | Locator, name: string): Promise<void> {
  const dir =
    process.env.UPDATE_SCREENSHOTS === '1' ? 'docs/screenshots' : 'test-results/screenshots'
  await page.screenshot({ path: `${dir}/${name}.png` })
}

test.describe.configure({ mode: 'serial' })
test.use({ viewport: { width: 1100, height: 800 } })

test.beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 })
  home = await mkdtemp(join(tmpdir(), 'pbs-plugins-e2e-'))
  engine = await createEngine({ home, secrets: createMemorySecretStore(), log: quiet })
  // Signing in is not what this spec is about (desktop-app.spec.ts covers it).
  await engine.signInWithToken({ apiUrl: sandbox.url, token: sandbox.token, org: sandbox.org })
  plugins = await createPluginService({
    settings: memoryPluginSettings(),
    defaultDest: join(home, 'downloads'),
    stateDir: join(home, 'plugins'),
    log: quiet,
    apiUrl: () => sandbox.url,
  })
  host = await startHost({
    engine,
    plugins,
    rendererDir: resolve('out/renderer'),
    defaultApiUrl: sandbox.url,
    version: 'e2e',
    // Stand-in for the person answering "Allow? [y/N]" at the host's terminal (see the CLI test).
    confirm: () => Promise.resolve(true),
  })
  const png = await sharp({
    create: { width: 640, height: 400, channels: 3, background: '#5b8def' },
  })
    .png()
    .toBuffer()
  poster = await uploadAsset(sandbox, {
    title: 'Spring poster.png',
    mediaType: 'image/png',
    bytes: png,
  })
  notes = await uploadAsset(sandbox, {
    title: '../../etc/passwd',
    mediaType: 'text/plain',
    bytes: Buffer.from('not a password file\n'),
  })
})

test.afterAll(async () => {
  await host?.close()
  await plugins?.close()
  await engine?.close()
  await sandbox?.close()
  if (home) await rm(home, { recursive: true, force: true })
})

test('turns the plugin host on in settings; a sandbox invocation lands in the folder and the activity list', async ({
  page,
}) => {
  const errors: string[] = []
  page.on('pageerror', (e) => errors.push(e.message))
  const dest = join(home, 'chosen-downloads')

  await page.goto(host.url)
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible()
  // Off by default: no plugin filter until it is turned on.
  await expect(page.getByRole('button', { name: /^Plugins/ })).toHaveCount(0)

  // Settings: choose a folder, turn the host on, read the URL from the screen.
  await page.getByRole('button', { name: 'Settings' }).click()
  await expect(page.getByRole('heading', { name: 'Playbook plugins' })).toBeVisible()
  const status = page.getByRole('status', { name: 'Plugin host status' })
  await expect(status).toHaveAttribute('data-status', 'off')
  const folder = page.getByRole('textbox', { name: 'Save downloads to' })
  await expect(folder).toHaveValue(join(home, 'downloads'))
  await folder.fill('relative/folder')
  await folder.press('Enter')
  await expect(page.getByText('Type the full path of the folder')).toBeVisible()
  await folder.fill(dest)
  await folder.press('Enter')
  await expect(page.getByText('Type the full path of the folder')).toHaveCount(0)
  await page.getByRole('switch', { name: 'Run the plugin host' }).check()
  await expect(status).toHaveAttribute('data-status', 'on')
  const sendUrl = await page.getByRole('textbox', { name: 'Send to desktop URL' }).inputValue()
  expect(sendUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
  const hostStatus = plugins.state().status
  expect(hostStatus.kind === 'on' && hostStatus.urls['send-to-desktop']).toBe(sendUrl)
  await expect(page.getByRole('button', { name: 'Copy the Send to desktop URL' })).toBeVisible()
  await expect(page.getByRole('textbox', { name: 'Web version URL' })).toHaveValue(/^http:/)
  await shot(
    page.getByRole('heading', { name: 'Playbook plugins' }).locator('..'),
    'plugins-settings',
  )

  // The sandbox (standing in for Playbook) invokes the URL from the screen.
  const { pluginInvocationToken, plugin_status } = await invoke(sandbox, sendUrl, [
    poster.token,
    notes.token,
  ])
  expect(plugin_status).toBe(200)
  expect(await waitForStatus(sandbox, pluginInvocationToken)).toMatchObject({ status: 'success' })

  // The activity list shows both downloads reaching done.
  await page.getByRole('button', { name: 'Activity' }).click()
  await page.getByRole('button', { name: /^Plugins/ }).click()
  const list = page.getByRole('list', { name: 'Plugin activity' })
  const row = (title: string) =>
    list.getByRole('listitem', { name: new RegExp(`^${escapeRegExp(title)}: Send to desktop`) })
  await expect(row('Spring poster.png')).toHaveAttribute('data-state', 'done', { timeout: 20_000 })
  await expect(row('../../etc/passwd')).toHaveAttribute('data-state', 'done')
  await shot(page, 'plugins-activity')
  await expect(row('Spring poster.png')).toContainText(
    `Saved to ${join(dest, 'Spring poster.png')}`,
  )

  // The files are in the chosen folder, byte for byte, the hostile title neutralised.
  const saved = (await readdir(dest)).filter((name) => !name.startsWith('.')).sort()
  expect(saved).toHaveLength(2)
  expect(saved).toContain('Spring poster.png')
  expect(sha256(await readFile(join(dest, 'Spring poster.png')))).toBe(poster.sha256)
  const other = saved.find((name) => name !== 'Spring poster.png') ?? ''
  expect(other).not.toMatch(/[/\\]/)
  expect(sha256(await readFile(join(dest, other)))).toBe(notes.sha256)

  // Turning it off stops the endpoint; the rows stay.
  await page.getByRole('button', { name: 'Settings' }).click()
  await page.getByRole('switch', { name: 'Run the plugin host' }).uncheck()
  await expect(status).toHaveAttribute('data-status', 'off')
  await expect(page.getByRole('textbox', { name: 'Send to desktop URL' })).toHaveCount(0)
  await expect(fetch(sendUrl, { method: 'POST', body: '{}' })).rejects.toThrow()
  await page.getByRole('button', { name: 'Activity' }).click()
  await expect(list.getByRole('listitem')).toHaveCount(2)
  expect(errors).toEqual([])
})
