import { Readable } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import { resolveConfig } from '../../src/cli/config.ts'
import { readSecret } from '../../src/engine/secret-input.ts'
import { tempFolders } from '../support/temp-folders.ts'

// Secrets on argv are visible in /proc/PID/cmdline to every user: environment or stdin instead.

const tempFolder = tempFolders()
let home: string
beforeAll(async () => {
  home = await tempFolder('pbs-secret-input-')
})

describe('secrets from the environment or stdin, not argv', () => {
  it('warns when --token is on the command line, naming the safe ways', async () => {
    const warnings: string[] = []
    const config = await resolveConfig(
      { home, token: 'pb_on_argv' },
      {},
      {
        warn: (t) => warnings.push(t),
      },
    )
    expect(config.tokenFlag).toBe('pb_on_argv')
    expect(warnings.join('\n')).toMatch(/--token on the command line.*PLAYBOOK_TOKEN.*--token -/s)
  })

  it('reads --token - from standard input, and PLAYBOOK_TOKEN without a warning', async () => {
    const warnings: string[] = []
    const fromStdin = await resolveConfig(
      { home, token: '-' },
      {},
      {
        stdin: Readable.from(['pb_from_stdin\n']),
        warn: (t) => warnings.push(t),
      },
    )
    expect(fromStdin.tokenFlag).toBe('pb_from_stdin')
    const fromEnv = await resolveConfig(
      { home },
      { PLAYBOOK_TOKEN: 'pb_from_env' },
      {
        warn: (t) => warnings.push(t),
      },
    )
    expect(fromEnv.tokenFlag).toBe('pb_from_env')
    expect(warnings).toEqual([])
    await expect(
      resolveConfig({ home, token: '-' }, {}, { stdin: Readable.from(['']), warn: () => {} }),
    ).rejects.toMatchObject({ exitCode: 2 })
  })

  it('does the same for the plugin secret', async () => {
    const warnings: string[] = []
    const warn = (t: string) => warnings.push(t)
    const base = { flag: 'secret', envName: 'PLAYBOOK_PLUGIN_SECRET', warn }
    expect(await readSecret({ ...base, value: 's'.repeat(20), env: {} })).toBe('s'.repeat(20))
    expect(warnings).toHaveLength(1)
    expect(
      await readSecret({ ...base, value: '-', env: {}, stdin: Readable.from(['t'.repeat(20)]) }),
    ).toBe('t'.repeat(20))
    expect(
      await readSecret({
        ...base,
        value: undefined,
        env: { PLAYBOOK_PLUGIN_SECRET: 'e'.repeat(20) },
      }),
    ).toBe('e'.repeat(20))
    expect(warnings).toHaveLength(1)
  })
})
