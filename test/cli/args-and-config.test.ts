import { beforeEach, describe, expect, it } from 'vitest'
import { helpText, parseCommandLine } from '../../src/cli/args.ts'
import { resolveConfig } from '../../src/cli/config.ts'
import { CliError } from '../../src/cli/exit-codes.ts'
import { redactFields, redactText } from '../../src/shared/redact.ts'
import { tempFolders } from '../support/temp-folders.ts'

function usageFails(fn: () => unknown): CliError {
  try {
    fn()
  } catch (e) {
    expect(e).toBeInstanceOf(CliError)
    expect((e as CliError).exitCode).toBe(2)
    return e as CliError
  }
  throw new Error('expected a usage error')
}

describe('parseCommandLine', () => {
  it('finds the command among global options and keeps positionals', () => {
    const p = parseCommandLine(['--home', '/h', 'upload', 'a.png', 'dir', '--board', 'B', '--json'])
    expect(p.command).toBe('upload')
    expect(p.positionals).toEqual(['a.png', 'dir'])
    expect(p.values).toMatchObject({ home: '/h', board: 'B', json: true })
  })

  it('rejects unknown commands, unknown options and extra arguments', () => {
    expect(usageFails(() => parseCommandLine(['frobnicate'])).message).toContain('frobnicate')
    expect(usageFails(() => parseCommandLine(['upload', 'a', '--bored', 'x'])).message).toContain(
      '--bored',
    )
    expect(
      usageFails(() => parseCommandLine(['sync', 'a', 'b', '--board', 'x'])).message,
    ).toContain('b')
  })

  it('passes the raw rest through for the sandbox', () => {
    expect(parseCommandLine(['sandbox', '--port', '0']).rest).toEqual(['--port', '0'])
  })

  it('has help for every command', () => {
    expect(helpText()).toContain('upload <files, folders or http(s) URLs…>')
    expect(helpText('bootstrap')).toContain('--partner-user-id')
  })
})

describe('resolveConfig', () => {
  const tempFolder = tempFolders()
  let home: string
  beforeEach(async () => {
    home = await tempFolder('pbs-config-')
  })

  it('lets flags win over environment variables', async () => {
    const c = await resolveConfig(
      { home, api: 'http://127.0.0.1:9/', org: 'flag-org' },
      { PLAYBOOK_API_URL: 'http://env', PLAYBOOK_ORG: 'env-org', PLAYBOOK_TOKEN: 'tok' },
    )
    expect(c).toMatchObject({
      home,
      apiUrl: 'http://127.0.0.1:9',
      org: 'flag-org',
      tokenFlag: 'tok',
    })
    const e = await resolveConfig(
      {},
      { PLAYBOOK_SYNC_HOME: home, PLAYBOOK_API_URL: 'https://env.test' },
    )
    expect(e).toMatchObject({ home, apiUrl: 'https://env.test', tokenFlag: undefined })
  })

  it('rejects bad numbers and URLs with a usage error', async () => {
    await expect(resolveConfig({ home, concurrency: 'many' }, {})).rejects.toMatchObject({
      exitCode: 2,
    })
    await expect(resolveConfig({ home, 'chunk-size': '1000' }, {})).rejects.toThrow(
      /multiple of 262144/,
    )
    await expect(resolveConfig({ home, api: 'ftp://x' }, {})).rejects.toMatchObject({ exitCode: 2 })
  })
})

describe('redaction', () => {
  it('removes tokens and URL signatures from log text and fields', () => {
    const line = redactText(
      'GET https://s/x?X-Goog-Signature=abcdef&upload_id=123 Authorization: Bearer pb_live_1234567890 with secret-value',
      ['secret-value'],
    )
    expect(line).not.toMatch(/abcdef|123\b|pb_live_1234567890|secret-value/)
    expect(redactFields({ token: 'x', nested: { url: 'http://a/?sig=zzz' } })).toEqual({
      token: '[redacted]',
      nested: { url: 'http://a/?sig=[redacted]' },
    })
    const s3 = redactText('PUT https://b/o?X-Amz-Credential=AKIA1/x&X-Amz-Signature=f00d&x=1')
    expect(s3).not.toMatch(/AKIA1|f00d/)
    expect(s3).toContain('x=1')
  })
})
