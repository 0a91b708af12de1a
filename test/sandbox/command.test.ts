import { readdir, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { startSandbox } from '../../src/sandbox/index.ts'
import { tempFolders } from '../support/temp-folders.ts'
import { spawnSandbox, type ChildSandbox } from './child.ts'
import { eventually } from './helpers.ts'

describe('playbook-sync sandbox (the command)', () => {
  const tempFolder = tempFolders()
  const children: ChildSandbox[] = []
  afterEach(() => {
    for (const c of children.splice(0)) c.child.kill('SIGKILL')
  })

  it('prints the info line first, logs requests to stderr without secrets, stops on SIGTERM', async () => {
    const sb = await spawnSandbox(['--port', '0'])
    children.push(sb)
    expect(Object.keys(sb.info).sort()).toEqual([
      'boards',
      'integrationToken',
      'org',
      'readToken',
      'token',
      'url',
    ])
    expect(sb.info.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const prep = await fetch(`${sb.info.url}/v1/${sb.info.org}/assets/upload_prepare`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${sb.info.token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ asset: { title: 'a.txt', media_type: 'text/plain', size: 1 } }),
    })
    const url = ((await prep.json()) as { data: { upload_url: string } }).data.upload_url
    await fetch(url, { method: 'PUT', body: 'a' })
    const log = await eventually(async () => {
      const text = sb.stderr()
      return text.includes('PUT /storage/upload/:id 200') ? text : undefined
    })
    expect(log).toContain('POST /v1/:org/assets/upload_prepare 200')
    expect(log).toContain('PUT /storage/upload/:id 200')
    expect(log).not.toContain(sb.info.token)
    expect(log).not.toContain('X-Goog-Signature')
    const dataDir = /data in (\S+) \(temporary\)/.exec(log)?.[1] as string
    await stat(dataDir)
    sb.child.kill('SIGTERM')
    expect(await sb.exited).toBe(0)
    await expect(stat(dataDir)).rejects.toThrow(/ENOENT/)
  })

  it('stops cleanly on SIGINT too', async () => {
    const sb = await spawnSandbox([])
    children.push(sb)
    sb.child.kill('SIGINT')
    expect(await sb.exited).toBe(0)
  })

  it('refuses bad arguments and non-loopback hosts with exit code 2', async () => {
    await expect(spawnSandbox(['--port', 'abc'])).rejects.toThrow(/exited \(2\).*--port/s)
    await expect(spawnSandbox(['--bogus'])).rejects.toThrow(/exited \(2\).*unknown option/s)
    await expect(spawnSandbox(['--upload-url-method', 'GET'])).rejects.toThrow(
      /exited \(2\).*--upload-url-method must be any, POST or PUT/s,
    )
    await expect(spawnSandbox(['--host', '0.0.0.0'])).rejects.toThrow(/exited \(2\).*loopback/s)
    await expect(startSandbox({ host: '192.168.1.1' })).rejects.toThrow(/loopback/)
  })

  it('removes its temp folder on close', async () => {
    const sb = await startSandbox()
    expect(sb.dataDir.startsWith(tmpdir())).toBe(true)
    await stat(sb.dataDir)
    await sb.close()
    await expect(stat(sb.dataDir)).rejects.toThrow(/ENOENT/)
  })

  it('keeps a --data folder on close', async () => {
    const dir = await tempFolder('sandbox-data-')
    const sb = await startSandbox({ dataDir: dir })
    await sb.close()
    expect(await readdir(dir)).toContain('state.json')
  })
})
