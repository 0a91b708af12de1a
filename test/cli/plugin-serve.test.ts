import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { ensureCliBuilt, runCli, startCli } from './cli-harness.ts'
import { tempFolders } from '../support/temp-folders.ts'

describe('playbook-sync plugin serve (built CLI)', () => {
  const tempFolder = tempFolders()
  let dir: string
  beforeAll(async () => {
    await ensureCliBuilt()
    dir = await tempFolder('pbs-cli-plugin-')
  }, 180_000)

  it('prints the plugin URLs as its first line, refuses a request without the secret, stops on SIGTERM', async () => {
    const secret = 'test-secret-0123456789'
    const host = startCli([
      'plugin',
      'serve',
      '--port',
      '0',
      '--secret',
      secret,
      '--dest',
      join(dir, 'dest'),
      '--home',
      join(dir, 'home'),
    ])
    const first = JSON.parse(await host.waitForLine(/^\{"plugins"/)) as {
      plugins: Record<string, string>
    }
    const url = first.plugins['send-to-desktop'] ?? ''
    expect(url).toContain(secret)
    const refused = await fetch(url.replace(secret, 'wrong-secret-0123456789'), {
      method: 'POST',
      body: '{}',
    })
    expect(refused.status).toBeGreaterThanOrEqual(400)
    host.kill('SIGTERM')
    expect((await host.done).code).toBe(0)
  })

  it('needs --dest (exit 2)', async () => {
    const run = await runCli(['plugin', 'serve', '--port', '0', '--home', join(dir, 'home')])
    expect(run.code).toBe(2)
    expect(run.stderr).toContain('--dest')
  })
})
