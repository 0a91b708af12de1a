/**
 * The setup every CLI spec shares: a sandbox over real HTTP, a scratch folder and the environment
 * that points the built CLI at them, started once per file or afresh for each test, plus the
 * sandbox's fault switch. Specs read the live values through the returned object.
 */
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { startSandbox } from '../../src/sandbox/index.ts'
import type { Sandbox } from '../../src/sandbox/index.ts'
import { tempFolders } from '../support/temp-folders.ts'
import { ensureCliBuilt } from './cli-harness.ts'

/** One sandbox fault rule, as `/__sandbox/faults` takes it. */
export type FaultRule = Readonly<Record<string, unknown>>

/** What a CLI spec works with; every field reads the current test's values. */
export interface CliSandbox {
  readonly sandbox: Sandbox
  /** A scratch folder, removed after the file (or the test). */
  readonly dir: string
  /** PLAYBOOK_API_URL, PLAYBOOK_TOKEN and PLAYBOOK_ORG for the sandbox. */
  readonly env: Record<string, string>
  /** The sandbox's first board. */
  readonly board: string
  /** Replaces the sandbox's fault rules (none: clears them). */
  faults(rules?: readonly FaultRule[]): Promise<void>
}

/**
 * Registers the hooks that build the CLI and start a sandbox and a scratch folder named after
 * `prefix`: once for the whole file (`'file'`) or for each test (`'each'`, when tests change the
 * sandbox's state in ways the next must not see).
 */
export function useCliSandbox(prefix: string, scope: 'file' | 'each' = 'file'): CliSandbox {
  const tempFolder = tempFolders()
  let current: { sandbox: Sandbox; dir: string } | undefined
  const live = (): { sandbox: Sandbox; dir: string } => {
    if (current === undefined) throw new Error('the CLI sandbox is used outside a test')
    return current
  }
  const open = async (): Promise<void> => {
    current = {
      sandbox: await startSandbox({ port: 0 }),
      dir: await tempFolder(`pbs-${prefix}-`),
    }
  }
  const close = async (): Promise<void> => {
    const was = current
    current = undefined
    await was?.sandbox.close()
  }
  beforeAll(ensureCliBuilt, 180_000)
  if (scope === 'file') {
    beforeAll(open)
    afterAll(close)
  } else {
    beforeEach(open)
    afterEach(close)
  }
  return {
    get sandbox() {
      return live().sandbox
    },
    get dir() {
      return live().dir
    },
    get env() {
      const { sandbox } = live()
      return {
        PLAYBOOK_API_URL: sandbox.url,
        PLAYBOOK_TOKEN: sandbox.token,
        PLAYBOOK_ORG: sandbox.org,
      }
    },
    get board() {
      return live().sandbox.boards[0]?.token ?? ''
    },
    async faults(rules = []) {
      const url = `${live().sandbox.url}/__sandbox/faults`
      const cleared = await fetch(url, { method: 'DELETE' })
      if (!cleared.ok) throw new Error(`clearing faults: HTTP ${cleared.status}`)
      if (rules.length === 0) return
      const set = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ rules }),
      })
      if (!set.ok) throw new Error(`setting faults: HTTP ${set.status}`)
    },
  }
}
