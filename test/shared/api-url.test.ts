import { beforeAll, describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/cli/config.ts'
import { createEngine } from '../../src/engine/app.ts'
import { createMemorySecretStore } from '../../src/engine/account/file-secret-store.ts'
import { partnerBootstrapInput } from '../../src/main/partner-config.ts'
import { apiUrlProblem } from '../../src/shared/api-url.ts'
import { tempFolders } from '../support/temp-folders.ts'

// A credential never crosses a network in the clear: plain http only to this machine, wherever
// the API URL comes from (flag, environment, partner.json, the engine's own calls).

const tempFolder = tempFolders()
let home: string
beforeAll(async () => {
  home = await tempFolder('pbs-api-url-')
})

describe('plain http only for loopback API URLs', () => {
  it('is the one rule', () => {
    for (const ok of ['https://api.playbook.com', 'http://127.0.0.1:4010', 'http://localhost:9'])
      expect(apiUrlProblem(ok), ok).toBeNull()
    for (const bad of ['http://api.playbook.com', 'http://192.168.1.10:4010', 'https://u:p@a.test'])
      expect(apiUrlProblem(bad), bad).not.toBeNull()
  })

  it('refuses --api and PLAYBOOK_API_URL pointing at a remote plain-http server', async () => {
    await expect(resolveConfig({ home, api: 'http://api.playbook.com' }, {})).rejects.toMatchObject(
      { exitCode: 2, message: expect.stringMatching(/--api must be https/) as unknown },
    )
    await expect(
      resolveConfig({ home }, { PLAYBOOK_API_URL: 'http://10.0.0.5:8080' }),
    ).rejects.toMatchObject({ exitCode: 2 })
  })

  it('refuses partner.json with a remote plain-http API', () => {
    expect(() =>
      partnerBootstrapInput(
        {
          apiUrl: 'http://partner-proxy.test',
          integrationToken: 'it_0123456789',
          partnerUserId: 'u1',
          email: 'a@b.test',
          name: 'A',
          orgName: 'O',
        },
        {},
        'https://api.playbook.com',
      ),
    ).toThrow(/apiUrl must be https/)
  })

  it('never sends a token or link request to a remote plain-http API from the engine', async () => {
    const engine = await createEngine({
      home,
      secrets: createMemorySecretStore(),
      log: { info() {}, warn() {}, error() {} },
      startSync: false,
    })
    try {
      await expect(
        engine.signInWithToken({ apiUrl: 'http://api.playbook.test', token: 'pb_secret_token' }),
      ).rejects.toThrow(/must be https/)
      await expect(
        engine.requestMagicLink({
          apiUrl: 'http://api.playbook.test',
          email: 'a@b.test',
          redirectUri: 'playbook-sync://auth',
        }),
      ).rejects.toThrow(/must be https/)
    } finally {
      await engine.close()
    }
  })
})
