import { createHash, randomBytes } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { boardAssets, ensureCliBuilt, runCli, startCli, summaryOf } from './cli-harness.ts'
import type { CliProcess } from './cli-harness.ts'
import { tempFolders } from '../support/temp-folders.ts'

const MiB = 1024 * 1024

/** The info line `playbook-sync sandbox` prints first. */
interface SandboxInfo {
  readonly url: string
  readonly token: string
  readonly org: string
  readonly boards: readonly { readonly token: string }[]
}

// The sandbox's flags as a user types them, through the built CLI's own argument parser (the
// sandbox's parser alone is tested in test/sandbox/command.test.ts).
describe('playbook-sync sandbox (the built CLI) with a network link and another storage', () => {
  const tempFolder = tempFolders()
  let dir: string
  let sandbox: CliProcess | undefined
  beforeAll(async () => {
    await ensureCliBuilt()
    dir = await tempFolder('pbs-cli-sandbox-')
  })
  afterAll(async () => {
    sandbox?.kill('SIGTERM')
    await sandbox?.done
  })

  it('takes --network wan and --storage backblaze, and uploads land through them', async () => {
    sandbox = startCli(['sandbox', '--port', '0', '--network', 'wan', '--storage', 'backblaze'])
    const info = JSON.parse(await sandbox.waitForLine(/^\{/, 30_000)) as SandboxInfo
    const board = info.boards[0]?.token ?? ''
    const small = join(dir, 'small.bin')
    const large = join(dir, 'large.bin')
    const bytes = { small: randomBytes(300_000), large: randomBytes(20 * MiB + 12_345) }
    await writeFile(small, bytes.small)
    await writeFile(large, bytes.large)
    const env = { PLAYBOOK_API_URL: info.url, PLAYBOOK_TOKEN: info.token, PLAYBOOK_ORG: info.org }
    const run = await runCli(['upload', small, large, '--board', board, '--json'], env, 120_000)
    expect(summaryOf(run)).toMatchObject({ uploaded: 2, failed: 0 })
    const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')
    const landed = await boardAssets(info.url, board)
    expect(
      landed
        .filter((a) => a.title === 'small.bin' || a.title === 'large.bin')
        .map((a) => [a.title, a.sha256])
        .sort(),
    ).toEqual([
      ['large.bin', sha(bytes.large)],
      ['small.bin', sha(bytes.small)],
    ])
    // The large file went up in Backblaze parts, and no file through a GCS session.
    const stats = (await (await fetch(`${info.url}/__sandbox/stats`)).json()) as {
      requests: Record<string, number>
    }
    const routes = Object.keys(stats.requests)
    expect(routes.some((r) => r.includes('/storage/parts/'))).toBe(true)
    expect(routes.some((r) => r.includes('/storage/session/'))).toBe(false)
    // The link is on: the sandbox says so when it starts.
    expect(sandbox.stderr()).toMatch(/network 40 ms round trip, 200 Mbit\/s/)
  })

  it('refuses a link profile it does not know, in words, with exit code 2', async () => {
    const run = await runCli(['sandbox', '--port', '0', '--network', 'moon'])
    expect(run.code).toBe(2)
    expect(run.stderr).toMatch(/moon/)
  })
})
