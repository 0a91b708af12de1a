import { readFile, writeFile } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createEngine } from '../../../src/engine/app.ts'
import { createFileSecretStore, tokenFile } from '../../../src/engine/account/file-secret-store.ts'
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts'
import { tempFolders } from '../../support/temp-folders.ts'
import { quiet } from '../support/waiting.ts'

// The stored token goes only to the server that issued it, and a sign-in link completes only when
// this app asked for it (nonce) within the last 15 minutes. Real sandbox, a real catcher server.

const tempFolder = tempFolders()
let sandbox: Sandbox
let dir: string
let catcher: Server
let catcherUrl: string
const caught: string[] = []

/** The newest link the sandbox mailed to `email`. */
async function mailedLink(email: string): Promise<string> {
  const mails = (await (await fetch(`${sandbox.url}/__sandbox/mailbox`)).json()) as {
    data: { to: string; link: string }[]
  }
  return mails.data.filter((m) => m.to === email).at(-1)?.link ?? ''
}

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 })
  dir = await tempFolder('pbs-binding-')
  // Accepts link requests like Playbook would, and records every Authorization header it gets.
  catcher = createServer((req, res) => {
    if (req.headers.authorization) caught.push(req.headers.authorization)
    req.resume()
    res.writeHead(req.url?.endsWith('/auth/magic_link') ? 202 : 200, {
      'content-type': 'application/json',
    })
    res.end(JSON.stringify({ data: [{ id: 1, slug: 'evil', name: 'Evil' }] }))
  })
  await new Promise<void>((resolve) => catcher.listen(0, '127.0.0.1', resolve))
  catcherUrl = `http://127.0.0.1:${(catcher.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => catcher?.close(resolve))
  await sandbox?.close()
})

describe('credentials bound to their server', () => {
  it('keeps the signed-in server when a link is requested elsewhere, across a restart', async () => {
    const home = join(dir, 'rebind')
    const open = () =>
      createEngine({ home, secrets: createFileSecretStore(tokenFile(home)), log: quiet })
    const engine = await open()
    try {
      await engine.signInWithToken({ apiUrl: sandbox.url, token: sandbox.token })
      // What a hostile page or process asked for: a link from another server, while signed in.
      await engine.requestMagicLink({
        apiUrl: catcherUrl,
        email: 'victim@studio.test',
        redirectUri: 'playbook-sync://auth',
      })
      expect(engine.session()).toMatchObject({ kind: 'signed-in', apiUrl: sandbox.url })
    } finally {
      await engine.close()
    }
    const again = await open()
    try {
      expect(again.session()).toMatchObject({ kind: 'signed-in', apiUrl: sandbox.url })
      await again.orgs()
      expect(caught.filter((h) => h.includes(sandbox.token))).toEqual([])
    } finally {
      await again.close()
    }
  })

  it('does not pair a token with a server it was not stored for', async () => {
    const home = join(dir, 'legacy')
    const engine = await createEngine({
      home,
      secrets: createFileSecretStore(tokenFile(home)),
      log: quiet,
    })
    await engine.signInWithToken({ apiUrl: sandbox.url, token: sandbox.token })
    await engine.close()
    // Someone rewrites the saved server (as the old link request did) but cannot refingerprint.
    const file = join(home, 'settings.json')
    const saved = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>
    await writeFile(file, JSON.stringify({ ...saved, apiUrl: catcherUrl }))
    const again = await createEngine({
      home,
      secrets: createFileSecretStore(tokenFile(home)),
      log: quiet,
    })
    try {
      expect(again.session().kind).not.toBe('signed-in')
      await again.orgs().catch(() => [])
      expect(caught.filter((h) => h.includes(sandbox.token))).toEqual([])
    } finally {
      await again.close()
    }
    // A file from before fingerprints, written by a link request: not trusted either.
    await writeFile(
      file,
      JSON.stringify({ apiUrl: catcherUrl, pendingEmail: 'victim@studio.test', org: saved.org }),
    )
    const legacy = await createEngine({
      home,
      secrets: createFileSecretStore(tokenFile(home)),
      log: quiet,
    })
    try {
      expect(legacy.session().kind).not.toBe('signed-in')
    } finally {
      await legacy.close()
    }
  })
})

describe('sign-in links (login CSRF)', () => {
  it("refuses a link minted for someone else's request, and takes the one it asked for", async () => {
    const home = join(dir, 'csrf')
    const engine = await createEngine({
      home,
      secrets: createFileSecretStore(tokenFile(home)),
      log: quiet,
    })
    try {
      await engine.requestMagicLink({
        apiUrl: sandbox.url,
        email: 'me@studio.test',
        redirectUri: 'playbook-sync://auth',
      })
      // The attacker asks for a link to their own account with the app's redirect URI.
      await fetch(`${sandbox.url}/v1/auth/magic_link`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          email: 'attacker@studio.test',
          redirect_uri: 'playbook-sync://auth',
        }),
      })
      const forged = await mailedLink('attacker@studio.test')
      await expect(engine.completeMagicLink(forged)).rejects.toThrow(
        /not the one sent to me@studio\.test/,
      )
      const withWrongState = `${forged}&state=guess`
      await expect(engine.completeMagicLink(withWrongState)).rejects.toThrow(/not the one/)
      expect(engine.session()).toEqual({ kind: 'waiting-for-link', email: 'me@studio.test' })
      const mine = await mailedLink('me@studio.test')
      expect(new URL(mine).searchParams.get('state')).toBeTruthy()
      expect(await engine.completeMagicLink(mine)).toMatchObject({ kind: 'signed-in' })
      // Used once: the same link cannot sign in again later.
      await expect(engine.completeMagicLink(mine)).rejects.toThrow(/did not ask/)
    } finally {
      await engine.close()
    }
  })

  it('lets a requested link expire after 15 minutes, also across a restart', async () => {
    const home = join(dir, 'expiry')
    let now = Date.parse('2026-01-01T10:00:00Z')
    const ports = () => ({
      home,
      secrets: createFileSecretStore(tokenFile(home)),
      log: quiet,
      clock: { now: () => now },
    })
    const engine = await createEngine(ports())
    try {
      await engine.requestMagicLink({
        apiUrl: sandbox.url,
        email: 'late@studio.test',
        redirectUri: 'playbook-sync://auth',
      })
    } finally {
      await engine.close()
    }
    now += 16 * 60 * 1000
    const later = await createEngine(ports())
    try {
      expect(later.session()).toEqual({ kind: 'signed-out' })
      await expect(later.completeMagicLink(await mailedLink('late@studio.test'))).rejects.toThrow(
        /older than 15 minutes/,
      )
      expect(later.session()).toEqual({ kind: 'signed-out' })
    } finally {
      await later.close()
    }
  })
})
