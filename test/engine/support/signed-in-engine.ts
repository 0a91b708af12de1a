/**
 * The start of specs of the whole engine: a sandbox, a temp folder, and the real engine (its home
 * in that folder) signed in to the sandbox with its token; set up once per spec file, closed after.
 */
import { join } from 'node:path'
import { afterAll, beforeAll } from 'vitest'
import { createEngine } from '../../../src/engine/app.ts'
import { createMemorySecretStore } from '../../../src/engine/account/file-secret-store.ts'
import type { Engine } from '../../../src/engine/engine-types.ts'
import { startSandbox } from '../../../src/sandbox/index.ts'
import type { Sandbox } from '../../../src/sandbox/index.ts'
import { tempFolders } from '../../support/temp-folders.ts'
import { quiet } from './waiting.ts'

/** What the spec uses (read inside its hooks and tests, once the set-up ran). */
export interface SignedInEngine {
  readonly sandbox: Sandbox
  /** The temp folder (the engine's home is `home` in it). */
  readonly dir: string
  readonly engine: Engine
  /** The sandbox's first board. */
  readonly board: string
}

/** Registers the set-up (`beforeAll`) and the clean-up (`afterAll`); `prefix` names the temp folder. */
export function useSignedInEngine(prefix: string): SignedInEngine {
  const tempFolder = tempFolders()
  let sandbox: Sandbox | undefined
  let dir: string | undefined
  let engine: Engine | undefined
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not set up yet`)
    return value
  }
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 })
    dir = await tempFolder(prefix)
    engine = await createEngine({
      home: join(dir, 'home'),
      secrets: createMemorySecretStore(),
      log: quiet,
    })
    await engine.signInWithToken({ apiUrl: sandbox.url, token: sandbox.token })
  })
  afterAll(async () => {
    await engine?.close()
    await sandbox?.close()
  })
  return {
    get sandbox() {
      return ready(sandbox, 'the sandbox')
    },
    get dir() {
      return ready(dir, 'the temp folder')
    },
    get engine() {
      return ready(engine, 'the engine')
    },
    get board() {
      return ready(sandbox, 'the sandbox').boards[0]?.token ?? ''
    },
  }
}
