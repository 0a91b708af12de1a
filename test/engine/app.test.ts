import { mkdir, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../src/engine/app.ts'
import { createFileSecretStore, tokenFile } from '../../src/engine/account/file-secret-store.ts'
import type { EngineEvent } from '../../src/engine/engine-types.ts'
import { startSandbox } from '../../src/sandbox/index.ts'
import type { Sandbox } from '../../src/sandbox/index.ts'
import { quiet } from './support/waiting.ts'
import { tempFolders } from '../support/temp-folders.ts'

describe('createEngine (composition over the real sandbox)', () => {
  const tempFolder = tempFolders()
  let sandbox: Sandbox
  let dir: string
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 })
    dir = await tempFolder('pbs-engine-')
  })
  afterAll(async () => {
    await sandbox?.close()
  })

  it('signs in, uploads a folder through the queue, and restores the session after a restart', async () => {
    const home = join(dir, 'home-a')
    const folder = join(dir, 'drop')
    await rm(folder, { recursive: true, force: true })
    await mkdir(folder, { recursive: true })
    await writeFile(join(folder, 'a.txt'), 'alpha')
    await writeFile(join(folder, 'b.txt'), 'bravo')
    await writeFile(join(folder, '.DS_Store'), 'junk')
    const secrets = createFileSecretStore(tokenFile(home))
    const engine = await createEngine({ home, secrets, log: quiet })
    const events: EngineEvent[] = []
    engine.subscribe((e) => events.push(e))
    expect(engine.session()).toEqual({ kind: 'signed-out' })
    const session = await engine.signInWithToken({ apiUrl: sandbox.url, token: sandbox.token })
    expect(session).toMatchObject({ kind: 'signed-in', org: { slug: sandbox.org }, sandbox: false })
    const board = sandbox.boards[0]?.token ?? ''
    const ids = await engine.uploadPaths([folder], board)
    expect(ids).toHaveLength(2)
    await engine.idle()
    expect(
      engine
        .jobs()
        .filter((j) => ids.includes(j.id))
        .map((j) => j.state.kind),
    ).toEqual(['done', 'done'])
    expect(events.some((e) => e.type === 'session')).toBe(true)
    expect(events.filter((e) => e.type === 'job').length).toBeGreaterThanOrEqual(4)
    await engine.close()

    const again = await createEngine({
      home,
      secrets: createFileSecretStore(tokenFile(home)),
      log: quiet,
    })
    try {
      expect(again.session()).toMatchObject({
        kind: 'signed-in',
        apiUrl: sandbox.url,
        org: { slug: sandbox.org },
      })
      expect(again.jobs().filter((j) => j.state.kind === 'done')).toHaveLength(2)
      expect((await again.boards()).map((b) => b.token)).toContain(board)
    } finally {
      await again.close()
    }
  })

  it('turns a 401 anywhere into an expired session, and names an unknown org', async () => {
    const home = join(dir, 'home-b')
    const engine = await createEngine({
      home,
      secrets: createFileSecretStore(tokenFile(home)),
      log: quiet,
    })
    try {
      await engine.requestMagicLink({
        apiUrl: sandbox.url,
        email: 'expiry@studio.test',
        redirectUri: 'playbook-sync://auth',
      })
      expect(engine.session()).toEqual({ kind: 'waiting-for-link', email: 'expiry@studio.test' })
      const mails = (await (await fetch(`${sandbox.url}/__sandbox/mailbox`)).json()) as {
        data: { to: string; link: string }[]
      }
      const link = mails.data.filter((m) => m.to === 'expiry@studio.test').at(-1)?.link ?? ''
      const signedIn = await engine.completeMagicLink(link)
      expect(signedIn.kind).toBe('signed-in')
      await expect(engine.selectOrg('no-such-org')).rejects.toThrow(
        /unknown organization "no-such-org"/,
      )
      const token = await createFileSecretStore(tokenFile(home)).get()
      const revoke = await fetch(`${sandbox.url}/__sandbox/tokens/revoke`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token }),
      })
      expect(revoke.ok).toBe(true)
      const seen: string[] = []
      engine.subscribe((e) => {
        if (e.type === 'session') seen.push(e.session.kind)
      })
      await expect(engine.orgs()).rejects.toMatchObject({ kind: 'auth' })
      expect(engine.session()).toEqual({ kind: 'expired', apiUrl: sandbox.url })
      expect(seen).toEqual(['expired'])
      await engine.signOut()
      expect(engine.session()).toEqual({ kind: 'signed-out' })
      expect(await createFileSecretStore(tokenFile(home)).get()).toBeUndefined()
    } finally {
      await engine.close()
    }
  })

  it('useSandbox starts the built-in sandbox in-process and signs in to it', async () => {
    const home = join(dir, 'home-c')
    const engine = await createEngine({
      home,
      secrets: createFileSecretStore(tokenFile(home)),
      log: quiet,
      startSync: false,
    })
    try {
      const session = await engine.useSandbox()
      expect(session).toMatchObject({ kind: 'signed-in', sandbox: true })
      const info = engine.sandboxInfo()
      expect(info?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      expect((await engine.boards()).length).toBe(info?.boards.length)
    } finally {
      await engine.close()
    }
    // Closing the engine stops its sandbox.
    const info = engine.sandboxInfo()
    expect(info).toBeUndefined()
  })
})
