import { readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runCli } from './cli-harness.ts'
import { useCliSandbox } from './cli-sandbox.ts'

describe('playbook-sync accounts (built CLI against the sandbox)', () => {
  const cli = useCliSandbox('cli-account')

  it('login --token stores the token privately; whoami and boards use it; logout forgets it', async () => {
    const home = join(cli.dir, 'token-home')
    const login = await runCli([
      'login',
      '--token',
      cli.sandbox.token,
      '--api',
      cli.sandbox.url,
      '--home',
      home,
      '--json',
    ])
    expect(login.code, login.stderr).toBe(0)
    expect(login.events.at(-1)).toMatchObject({
      type: 'session',
      session: { kind: 'signed-in', org: { slug: cli.sandbox.org } },
    })
    expect((await stat(join(home, 'token'))).mode & 0o777).toBe(0o600)
    const settings = await readFile(join(home, 'settings.json'), 'utf8')
    expect(settings).not.toContain(cli.sandbox.token)

    const whoami = await runCli(['whoami', '--home', home, '--json'])
    expect(whoami.code, whoami.stderr).toBe(0)
    expect(whoami.events[0]).toMatchObject({
      type: 'whoami',
      apiUrl: cli.sandbox.url,
      org: { slug: cli.sandbox.org },
    })

    const boards = await runCli(['boards', '--home', home, '--json'])
    expect(boards.code, boards.stderr).toBe(0)
    const listed = (
      boards.events[0] as { boards: { token: string; title: string; depth: number }[] }
    ).boards
    expect(listed.map((b) => b.token).sort()).toEqual(cli.sandbox.boards.map((b) => b.token).sort())
    expect(listed.some((b) => b.depth > 0)).toBe(true)

    const human = await runCli(['boards', '--home', home])
    expect(human.stdout).toContain(cli.sandbox.boards[0]?.title)

    const logs = await runCli(['logout', '--home', home])
    expect(logs.code).toBe(0)
    await expect(stat(join(home, 'token'))).rejects.toThrow()
    const after = await runCli(['whoami', '--home', home])
    expect(after.code).toBe(3)
    expect(after.stderr).toMatch(/not signed in[\s\S]*playbook-sync login/)

    const logFile = (await readdir(join(home, 'logs')))[0] ?? ''
    const logText = await readFile(join(home, 'logs', logFile), 'utf8')
    expect(logText).not.toContain(cli.sandbox.token)
  })

  it('exits 3 for a rejected token and for no token at all, saying what to do', async () => {
    const home = join(cli.dir, 'bad-token')
    const bad = await runCli(['boards', '--home', home], {
      PLAYBOOK_API_URL: cli.sandbox.url,
      PLAYBOOK_TOKEN: 'pb_not_a_real_token_123',
    })
    expect(bad.code).toBe(3)
    expect(bad.stderr).toContain('rejected')
    expect(bad.stderr).not.toContain('pb_not_a_real_token_123')
    const org = await runCli(['boards', '--org', 'no-such-org', '--home', home], {
      PLAYBOOK_API_URL: cli.sandbox.url,
      PLAYBOOK_TOKEN: cli.sandbox.token,
    })
    expect(org.code).toBe(2)
    expect(org.stderr).toContain('no-such-org')
    const none = await runCli(['upload', 'x.png', '--board', 'B', '--home', home, '--json'], {
      PLAYBOOK_API_URL: cli.sandbox.url,
    })
    expect(none.code).toBe(3)
    expect(none.stderr).toContain('PLAYBOOK_TOKEN')
    expect(none.events.at(-1)).toMatchObject({ type: 'error', exitCode: 3 })
  })

  it('signs in with a magic link: --email sends it, --link finishes', async () => {
    const home = join(cli.dir, 'magic')
    const email = `magic-${Date.now()}@studio.test`
    const sent = await runCli(['login', '--email', email, '--api', cli.sandbox.url, '--home', home])
    expect(sent.code, sent.stderr).toBe(0)
    expect(sent.stdout).toContain('login --link')
    const mails = (await (await fetch(`${cli.sandbox.url}/__sandbox/mailbox`)).json()) as {
      data: { to: string; link: string }[]
    }
    const mail = mails.data.filter((m) => m.to === email).at(-1)
    // The link carries the request's nonce: only this home's pending request accepts it.
    expect(mail?.link).toMatch(/^playbook-sync:\/\/auth\?state=[\w-]+&code=/)
    const done = await runCli(['login', '--link', mail?.link ?? '', '--home', home, '--json'])
    expect(done.code, done.stderr).toBe(0)
    expect(done.events.at(-1)).toMatchObject({
      session: { kind: 'signed-in', apiUrl: cli.sandbox.url },
    })
    const who = await runCli(['whoami', '--home', home, '--json'])
    expect(who.code, who.stderr).toBe(0)
    // A code works once.
    const again = await runCli([
      'login',
      '--link',
      mail?.link ?? '',
      '--home',
      join(cli.dir, 'magic-2'),
      '--api',
      cli.sandbox.url,
    ])
    expect(again.code).not.toBe(0)
  })

  it('bootstraps a partner user with the integration token from the environment only', async () => {
    const home = join(cli.dir, 'bootstrap')
    const boardsFile = join(cli.dir, 'boards.json')
    await writeFile(boardsFile, JSON.stringify([{ title: 'Partner Board', assets: [] }]))
    const args = [
      'bootstrap',
      '--partner-user-id',
      'user-42',
      '--email',
      'jane@client.test',
      '--name',
      'Jane Doe',
      '--org-name',
      'Acme Partner',
      '--boards',
      boardsFile,
      '--api',
      cli.sandbox.url,
      '--home',
      home,
      '--json',
    ]
    const missing = await runCli(args)
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('PLAYBOOK_INTEGRATION_TOKEN')
    const ok = await runCli(args, { PLAYBOOK_INTEGRATION_TOKEN: cli.sandbox.integrationToken })
    expect(ok.code, ok.stderr).toBe(0)
    const result = ok.events.at(-1) as {
      type: string
      status: string
      redirectUrl: string
      org: { slug: string; name: string }
    }
    expect(result.type).toBe('bootstrap')
    expect(result.redirectUrl).toContain('magic_login')
    const boards = await runCli(['boards', '--home', home, '--json'])
    expect(boards.code, boards.stderr).toBe(0)
    expect(
      (boards.events[0] as { boards: { title: string }[] }).boards.map((b) => b.title),
    ).toContain('Partner Board')
    const wrong = await runCli(args, { PLAYBOOK_INTEGRATION_TOKEN: 'pb_wrong_integration_token' })
    expect(wrong.code).toBe(2)
  })

  it('rejects bad arguments with exit 2 and a usage hint', async () => {
    const home = join(cli.dir, 'usage')
    for (const args of [
      ['frobnicate'],
      ['upload', '--board'],
      ['upload', 'a', '--bored', 'x'],
      ['login'],
      ['login', '--token', 'a', '--email', 'b@c.d'],
      ['sync', '--board', 'X'],
      ['upload', 'a', '--board', 'B', '--concurrency', 'lots'],
      ['upload', 'a', '--board', 'B', '--chunk-size', '1000'],
    ]) {
      const run = await runCli([...args, '--home', home])
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(2)
      expect(run.stderr).toMatch(/playbook-sync: /)
    }
    const help = await runCli(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('Exit codes')
    const sub = await runCli(['upload', '--help'])
    expect(sub.stdout).toContain('--as-link')
  })
})
