/**
 * The plugin host over real HTTP against the real sandbox: the sandbox invokes the host, the host
 * downloads into a temp folder or uploads web versions, and reports back on the callback.
 */
import { readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import sharp from 'sharp'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startPluginHost } from '../../../src/engine/plugins/plugin-host.ts'
import type { PluginHost } from '../../../src/engine/plugins/plugin-host.ts'
import type { PluginHostEvent } from '../../../src/engine/plugins/plugin-activity.ts'
import { startSandbox } from '../../../src/sandbox/index.ts'
import type { Sandbox } from '../../../src/sandbox/index.ts'
import {
  invoke,
  report,
  sha256,
  signedDownloadUrl,
  uploadAsset,
  waitForStatus,
} from '../../sandbox/plugins/sandbox-helpers.ts'
import type { UploadedAsset } from '../../sandbox/plugins/sandbox-helpers.ts'
import { tempFolders } from '../../support/temp-folders.ts'

const secret = 'test-secret-0123456789abcdef'
const fastRetry = { attempts: 4, baseDelayMs: 10, maxDelayMs: 50 }

let sandbox: Sandbox
let photo: UploadedAsset
let small: UploadedAsset
let text: UploadedAsset
const cleanups: (() => Promise<void>)[] = []

const tempFolder = tempFolders()
const tempDir = (): Promise<string> => tempFolder('plugin-host-')

async function host(
  dest: string,
  stateDir?: string,
  port = 0,
): Promise<{ host: PluginHost; events: PluginHostEvent[] }> {
  const started = await startPluginHost({
    port,
    secret,
    dest,
    retry: fastRetry,
    apiUrl: sandbox.url,
    ...(stateDir === undefined ? {} : { stateDir }),
  })
  const events: PluginHostEvent[] = []
  started.subscribe((event) => events.push(event))
  cleanups.push(() => started.close())
  return { host: started, events }
}

/** Visible files of the destination folder (the state folder is hidden). */
async function files(dest: string): Promise<string[]> {
  return (await readdir(dest)).filter((name) => !name.startsWith('.')).sort()
}

async function faults(rules: unknown[]): Promise<void> {
  const res = await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: rules.length === 0 ? 'DELETE' : 'POST',
    headers: { 'content-type': 'application/json' },
    ...(rules.length === 0 ? {} : { body: JSON.stringify({ rules }) }),
  })
  expect(res.ok).toBe(true)
}

beforeAll(async () => {
  sandbox = await startSandbox({})
  const big = await sharp({
    create: { width: 3000, height: 1500, channels: 3, background: '#cc3366' },
  })
    .jpeg()
    .toBuffer()
  const tiny = await sharp({
    create: { width: 300, height: 200, channels: 4, background: '#00000000' },
  })
    .png()
    .toBuffer()
  photo = await uploadAsset(sandbox, { title: 'Poster', mediaType: 'image/jpeg', bytes: big })
  small = await uploadAsset(sandbox, { title: 'Icon.png', mediaType: 'image/png', bytes: tiny })
  text = await uploadAsset(sandbox, {
    title: 'readme',
    mediaType: 'text/plain',
    bytes: Buffer.from('plain text\n'),
  })
})

afterEach(async () => {
  await faults([])
  while (cleanups.length > 0) await cleanups.pop()?.()
})

afterAll(async () => {
  await sandbox.close()
})

describe('send to desktop', () => {
  it('saves every invoked original byte-for-byte and reports success', async () => {
    const dest = await tempDir()
    const { host: h, events } = await host(dest)
    const { pluginInvocationToken, plugin_status } = await invoke(
      sandbox,
      h.urls['send-to-desktop'],
      [photo.token, small.token, text.token],
    )
    expect(plugin_status).toBe(200)
    const state = await waitForStatus(sandbox, pluginInvocationToken)
    expect(state).toMatchObject({ status: 'success', message: 'Saved 3 files' })
    expect(await files(dest)).toEqual(['Icon.png', 'Poster.jpg', 'readme.txt'])
    expect(sha256(await readFile(join(dest, 'Poster.jpg')))).toBe(photo.sha256)
    expect(sha256(await readFile(join(dest, 'Icon.png')))).toBe(small.sha256)
    expect(sha256(await readFile(join(dest, 'readme.txt')))).toBe(text.sha256)

    await h.idle()
    const rows = h.activity()
    expect(rows.map((r) => r.state.kind)).toEqual(['done', 'done', 'done'])
    expect(rows[0]?.state).toEqual({ kind: 'done', path: join(dest, 'Poster.jpg') })
    expect(events.some((e) => e.type === 'item' && e.item.state.kind === 'downloading')).toBe(true)
    expect(events.at(-1)).toMatchObject({
      type: 'invocation-finished',
      status: 'success',
      reported: true,
    })
  })

  it('neutralises hostile titles and never overwrites: it adds " (1)"', async () => {
    const dest = await tempDir()
    const outside = await tempDir()
    const bytes = Buffer.from('secret payload')
    const traversal = await uploadAsset(sandbox, {
      title: `../../${outside.split('/').at(-1) ?? ''}/passwd`,
      mediaType: 'text/plain',
      bytes,
    })
    const device = await uploadAsset(sandbox, { title: 'CON', mediaType: 'text/plain', bytes })
    const poster = await uploadAsset(sandbox, {
      title: 'Poster',
      mediaType: 'image/jpeg',
      bytes: photo.bytes,
    })
    await writeFile(join(dest, 'Poster.jpg'), 'mine, keep me')
    const { host: h } = await host(dest)
    const { pluginInvocationToken } = await invoke(sandbox, h.urls['send-to-desktop'], [
      traversal.token,
      device.token,
      poster.token,
      photo.token,
    ])
    expect((await waitForStatus(sandbox, pluginInvocationToken)).status).toBe('success')
    const names = await files(dest)
    expect(names).toHaveLength(5)
    expect(names).toContain('_CON.txt')
    expect(names).toContain('Poster (1).jpg')
    expect(names).toContain('Poster (2).jpg')
    expect(names.find((n) => n.endsWith('passwd.txt'))).toMatch(/^[^/\\.][^/\\]*$/)
    expect(await readdir(outside)).toEqual([])
    expect(await readFile(join(dest, 'Poster.jpg'), 'utf8')).toBe('mine, keep me')
    expect(sha256(await readFile(join(dest, 'Poster (1).jpg')))).toBe(photo.sha256)
  })

  it('does a repeated invocation once, also after a restart', async () => {
    const dest = await tempDir()
    const stateDir = await tempDir()
    const first = await host(dest, stateDir)
    const { pluginInvocationToken } = await invoke(sandbox, first.host.urls['send-to-desktop'], [
      small.token,
    ])
    expect((await waitForStatus(sandbox, pluginInvocationToken)).status).toBe('success')
    await first.host.idle()
    expect(await files(dest)).toEqual(['Icon.png'])

    const redeliver = (): Promise<Response> =>
      fetch(`${sandbox.url}/__sandbox/plugins/${pluginInvocationToken}/redeliver`, {
        method: 'POST',
      })
    expect(((await (await redeliver()).json()) as { plugin_status: number }).plugin_status).toBe(
      200,
    )
    await first.host.idle()
    expect(first.events.at(-1)).toMatchObject({
      type: 'invocation-duplicate',
      invocationToken: pluginInvocationToken,
    })
    await first.host.close()

    // Restarted on the same port with the same state folder: the redelivery is still a duplicate.
    const second = await host(dest, stateDir, first.host.port)
    expect(((await (await redeliver()).json()) as { plugin_status: number }).plugin_status).toBe(
      200,
    )
    await second.host.idle()
    expect((await report(sandbox, pluginInvocationToken)).deliveries).toBe(3)
    expect(second.events.map((e) => e.type)).toEqual(['invocation-duplicate'])
    expect(await files(dest)).toEqual(['Icon.png'])
  })

  it('sends a status the callback missed again when the invocation is redelivered', async () => {
    const dest = await tempDir()
    const { host: h, events } = await host(dest)
    await faults([
      { method: 'POST', path: '/plugins/v1/', action: 'status', status: 400, times: 1 },
    ])
    const { pluginInvocationToken } = await invoke(sandbox, h.urls['send-to-desktop'], [
      small.token,
    ])
    for (let i = 0; i < 2000 && !events.some((e) => e.type === 'invocation-finished'); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    expect(events.at(-1)).toMatchObject({ type: 'invocation-finished', reported: false })
    expect((await report(sandbox, pluginInvocationToken)).status).toBe('pending')
    await fetch(`${sandbox.url}/__sandbox/plugins/${pluginInvocationToken}/redeliver`, {
      method: 'POST',
    })
    expect(await waitForStatus(sandbox, pluginInvocationToken)).toMatchObject({
      status: 'success',
      message: 'Saved 1 file',
    })
    await h.idle()
    expect(events.at(-1)).toMatchObject({ type: 'invocation-finished', reported: true })
    expect(await files(dest)).toEqual(['Icon.png'])
  })

  it('retries a download the server answers 503, then succeeds', async () => {
    const dest = await tempDir()
    const { host: h } = await host(dest)
    await faults([
      { method: 'GET', path: '/storage/download', action: 'status', status: 503, times: 2 },
    ])
    const { pluginInvocationToken } = await invoke(sandbox, h.urls['send-to-desktop'], [
      photo.token,
    ])
    expect((await waitForStatus(sandbox, pluginInvocationToken)).status).toBe('success')
    expect(sha256(await readFile(join(dest, 'Poster.jpg')))).toBe(photo.sha256)
  })

  it('fails only the asset whose download keeps failing, and says which', async () => {
    const dest = await tempDir()
    const { host: h } = await host(dest)
    await faults([
      {
        method: 'GET',
        path: `/storage/download/${text.token}`,
        action: 'status',
        status: 403,
        times: 0,
      },
    ])
    const { pluginInvocationToken } = await invoke(sandbox, h.urls['send-to-desktop'], [
      text.token,
      small.token,
    ])
    const state = await waitForStatus(sandbox, pluginInvocationToken)
    expect(state.status).toBe('failed')
    expect(state.message).toContain(`"readme" (${text.token}): download answered HTTP 403`)
    expect(state.message).toContain('Saved 1 file')
    expect(await files(dest)).toEqual(['Icon.png'])
  })
  it('reports a destination it cannot write to without telling Playbook the local path', async () => {
    const parent = await tempDir()
    const dest = join(parent, 'not-a-folder')
    await writeFile(dest, 'a file where the folder should be')
    const { host: h } = await host(dest, join(parent, 'state'))
    const { pluginInvocationToken } = await invoke(sandbox, h.urls['send-to-desktop'], [
      small.token,
    ])
    const state = await waitForStatus(sandbox, pluginInvocationToken)
    expect(state.status).toBe('failed')
    expect(state.message).toMatch(/"Icon\.png" \([A-Za-z0-9]+\): cannot write the file \(E[A-Z]+\)/)
    expect(state.message).not.toContain(parent)
  })
})

describe('make web versions', () => {
  it('adds a WebP (longest side 2000, never upscaled) grouped with each image; skips the rest', async () => {
    const { host: h } = await host(await tempDir())
    const { pluginInvocationToken } = await invoke(sandbox, h.urls['web-versions'], [
      photo.token,
      small.token,
      text.token,
    ])
    const state = await waitForStatus(sandbox, pluginInvocationToken)
    expect(state).toMatchObject({
      status: 'success',
      message: 'Made 2 web versions, skipped 1 (not an image)',
    })
    expect(state.created_assets).toHaveLength(2)
    const byGroup = new Map(state.created_assets.map((a) => [a.group, a]))
    expect(byGroup.get(photo.token)).toMatchObject({
      title: 'Poster (web)',
      media_type: 'image/webp',
      is_skeleton: false,
      collection_token: sandbox.boards[0]?.token,
    })
    expect(byGroup.get(small.token)).toMatchObject({
      title: 'Icon.png (web)',
      media_type: 'image/webp',
    })

    const listed = (await (
      await fetch(`${sandbox.url}/__sandbox/assets?board=${sandbox.boards[0]?.token ?? ''}`)
    ).json()) as {
      data: { token: string; sha256: string | null; group: string | null }[]
    }
    for (const [source, size] of [
      [photo.token, [2000, 1000]],
      [small.token, [300, 200]],
    ] as const) {
      const created = byGroup.get(source)
      expect(listed.data.find((a) => a.token === created?.token)?.group).toBe(source)
      const bytes = await bytesOf(created?.token ?? '')
      const meta = await sharp(bytes).metadata()
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', ...size])
      expect(sha256(bytes)).toBe(created?.sha256)
    }
  })

  it('retries createAssets answered 503 and an upload answered 500, creating no duplicate', async () => {
    const { host: h } = await host(await tempDir())
    await faults([
      {
        method: 'POST',
        path: '/plugins/v1/',
        action: 'status',
        status: 503,
        retry_after: 0,
        times: 1,
      },
      { method: 'PUT', path: '/storage/put/', action: 'status', status: 500, times: 1 },
    ])
    const { pluginInvocationToken } = await invoke(sandbox, h.urls['web-versions'], [small.token])
    const state = await waitForStatus(sandbox, pluginInvocationToken)
    expect(state.status).toBe('success')
    expect(state.created_assets).toHaveLength(1)
    expect(state.created_assets[0]).toMatchObject({
      group: small.token,
      is_skeleton: false,
      media_type: 'image/webp',
    })
  })

  it('fails only an asset that is not a readable image and names it', async () => {
    const broken = await uploadAsset(sandbox, {
      title: 'Broken',
      mediaType: 'image/png',
      bytes: Buffer.from('this is not a png'),
    })
    const { host: h } = await host(await tempDir())
    const { pluginInvocationToken } = await invoke(sandbox, h.urls['web-versions'], [
      broken.token,
      small.token,
    ])
    const state = await waitForStatus(sandbox, pluginInvocationToken)
    expect(state.status).toBe('failed')
    expect(state.message).toContain(`"Broken" (${broken.token}): not a readable image`)
    expect(state.created_assets.map((a) => a.group)).toEqual([small.token])
  })
})

describe('refusals', () => {
  it('refuses a wrong or missing secret, and accepts the secret in a header', async () => {
    const { host: h, events } = await host(await tempDir())
    const wrong = h.urls['send-to-desktop'].replace(secret, 'wrong-secret-0123456789')
    expect((await invoke(sandbox, wrong, [small.token])).plugin_status).toBe(403)
    const bare = `http://127.0.0.1:${h.port}/plugins/send-to-desktop`
    expect((await invoke(sandbox, bare, [small.token])).plugin_status).toBe(401)
    expect(
      (await invoke(sandbox, bare, [small.token], { 'x-plugin-secret': 'nope' })).plugin_status,
    ).toBe(403)
    const ok = await invoke(sandbox, bare, [small.token], { 'x-plugin-secret': secret })
    expect(ok.plugin_status).toBe(200)
    expect((await waitForStatus(sandbox, ok.pluginInvocationToken)).status).toBe('success')
    expect(
      events
        .filter((e) => e.type === 'invocation-refused')
        .map((e) => e.type === 'invocation-refused' && e.status),
    ).toEqual([403, 401, 403])
  })

  it('refuses malformed invocations with 400 naming the field, and other methods and paths', async () => {
    const { host: h } = await host(await tempDir())
    const url = h.urls['send-to-desktop']
    const post = (body: string): Promise<Response> =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    const asset = { token: 'a1', url: `${sandbox.url}/x`, title: 't', type: '.jpg', thumbnails: [] }
    const valid = {
      pluginInvocationToken: 'tok1',
      callbackUrl: `${sandbox.url}/plugins/v1/x`,
      operation: 'invokePlugin',
      assets: [asset],
    }
    const cases: [unknown, string][] = [
      [{ ...valid, pluginInvocationToken: undefined }, 'pluginInvocationToken'],
      [{ ...valid, callbackUrl: 'javascript:alert(1)' }, 'callbackUrl'],
      [{ ...valid, operation: 'createAssets' }, 'operation'],
      [{ ...valid, assets: [] }, 'assets'],
      [{ ...valid, assets: [{ ...asset, url: undefined }] }, 'assets.0.url'],
      [{ ...valid, assets: [{ ...asset, token: '../x' }] }, 'assets.0.token'],
      [{ ...valid, pluginInvocationToken: '../../etc' }, 'pluginInvocationToken'],
    ]
    for (const [body, field] of cases) {
      const res = await post(JSON.stringify(body))
      expect(res.status).toBe(400)
      const answer = (await res.json()) as { issues: string[] }
      expect(answer.issues.join('\n')).toContain(field)
    }
    expect((await post('{not json')).status).toBe(400)
    expect(
      (await post(JSON.stringify({ ...valid, padding: 'x'.repeat(2 * 1024 * 1024) }))).status,
    ).toBe(413)
    expect((await fetch(url)).status).toBe(405)
    expect(
      (await fetch(url.replace('send-to-desktop', 'format-disk'), { method: 'POST', body: '{}' }))
        .status,
    ).toBe(404)
    expect(h.activity()).toEqual([])
  })
})

async function bytesOf(token: string): Promise<Buffer> {
  return Buffer.from(await (await fetch(await signedDownloadUrl(sandbox, token))).arrayBuffer())
}
