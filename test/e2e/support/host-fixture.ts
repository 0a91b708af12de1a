import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createEngine } from '../../../src/engine/app.ts'
import { createMemorySecretStore } from '../../../src/engine/account/file-secret-store.ts'
import type { Engine, Logger } from '../../../src/engine/engine-types.ts'
import { startHost, type RunningHost } from '../../../src/host/index.ts'
import { startSandbox, type Sandbox } from '../../../src/sandbox/index.ts'

/** A real sandbox, a real engine in a temp home, and the headless host serving out/renderer. */
export interface HostFixture {
  readonly sandbox: Sandbox
  readonly engine: Engine
  readonly host: RunningHost
  readonly home: string
  close(): Promise<void>
}

const quiet: Logger = { info: () => {}, warn: () => {}, error: () => {} }

/** Starts everything on loopback; `close()` stops it all and removes the temp folders. */
export async function startHostFixture(): Promise<HostFixture> {
  const sandbox = await startSandbox({ port: 0 })
  const home = await mkdtemp(join(tmpdir(), 'pbs-host-e2e-'))
  // Small chunks, so progress moves visibly when a test slows storage down.
  const engine = await createEngine({
    home,
    secrets: createMemorySecretStore(),
    log: quiet,
    chunkSize: 256 * 1024,
  })
  const host = await startHost({
    engine,
    rendererDir: resolve('out/renderer'),
    defaultApiUrl: sandbox.url,
    version: 'e2e',
    // Stand-in for the person answering "Allow? [y/N]" at the host's terminal; the CLI host
    // test answers a real one through the process's standard input.
    confirm: () => Promise.resolve(true),
  })
  return {
    sandbox,
    engine,
    host,
    home,
    async close() {
      await host.close()
      await engine.close()
      await sandbox.close()
      await rm(home, { recursive: true, force: true })
    },
  }
}

/** One asset as the sandbox's admin API lists it. */
export interface SandboxAsset {
  readonly token: string
  readonly title: string
  readonly collection_token: string
  readonly sha256: string | null
  readonly is_skeleton: boolean
}

/** The assets on a board, straight from the sandbox. */
export async function sandboxAssets(
  sandbox: Sandbox,
  board: string,
): Promise<readonly SandboxAsset[]> {
  const response = await fetch(`${sandbox.url}/__sandbox/assets?board=${encodeURIComponent(board)}`)
  return ((await response.json()) as { data: SandboxAsset[] }).data
}

/** The newest sign-in link the sandbox e-mailed to `email`. */
export async function latestMagicLink(sandbox: Sandbox, email: string): Promise<string> {
  const response = await fetch(`${sandbox.url}/__sandbox/mailbox`)
  const mails = ((await response.json()) as { data: { to: string; link: string }[] }).data
  const mail = mails.filter((m) => m.to === email).pop()
  if (!mail) throw new Error(`no mail to ${email} in the sandbox mailbox`)
  return mail.link
}

/** Injects sandbox faults (`rules` as the sandbox's admin API takes them), or clears them. */
export async function setFaults(sandbox: Sandbox, rules: readonly object[] | null): Promise<void> {
  const response = await fetch(`${sandbox.url}/__sandbox/faults`, {
    method: rules ? 'POST' : 'DELETE',
    headers: { 'content-type': 'application/json' },
    body: rules ? JSON.stringify({ rules }) : undefined,
  })
  if (!response.ok) throw new Error(`faults: ${response.status} ${await response.text()}`)
}
