import { mkdir, symlink, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createMemorySecretStore } from '../../src/engine/account/file-secret-store.ts'
import { startHost, type RunningHost } from '../../src/host/index.ts'
import type { ServerMessage } from '../../src/shared/contract.ts'
import { startSandbox, type Sandbox } from '../../src/sandbox/index.ts'
import { hostCookie } from './support/host-session.ts'
import { tempFolders } from '../support/temp-folders.ts'

// Paths need the user's intent: a page can only type a folder, the person at the host's terminal
// agrees to it (here a recorded stand-in for that terminal), and some folders are never taken.

const tempFolder = tempFolders()
let sandbox: Sandbox
let host: RunningHost
let home: string
let work: string
let cookie: string
const questions: string[] = []
const answers: boolean[] = []

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 })
  home = await tempFolder('pbs-intent-home-')
  work = await tempFolder('pbs-intent-work-')
  const rendererDir = join(work, 'renderer')
  await mkdir(rendererDir)
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>x</title>')
  host = await startHost({
    enginePorts: {
      home,
      secrets: createMemorySecretStore(),
      log: { info: () => {}, warn: () => {}, error: () => {} },
    },
    rendererDir,
    defaultApiUrl: sandbox.url,
    confirm: (question) => {
      questions.push(question)
      return Promise.resolve(answers.shift() ?? false)
    },
  })
  cookie = await hostCookie(host)
})

afterAll(async () => {
  await host?.close()
  await sandbox?.close()
})

/** One invoke over an authenticated socket; resolves with the value or rejects with the error. */
async function invoke(channel: string, payload?: unknown): Promise<unknown> {
  const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, {
    origin: host.origin,
    headers: { cookie },
  })
  try {
    const message = await new Promise<ServerMessage>((resolve, reject) => {
      ws.on('message', (data) => {
        const m = JSON.parse(String(data)) as ServerMessage
        if (m.type === 'hello') ws.send(JSON.stringify({ type: 'invoke', id: 1, channel, payload }))
        if (m.type === 'result') resolve(m)
      })
      ws.once('error', reject)
    })
    if (message.type !== 'result') throw new Error('no result')
    if (!message.ok) throw new Error(message.error)
    return message.value
  } finally {
    ws.close()
  }
}

describe('path channels need the user’s intent', () => {
  it('takes no folder path from the page: pairs and previews need a chosen handle', async () => {
    const board = sandbox.boards[0]?.token ?? ''
    await expect(invoke('pairs:preview', { folder: '/' })).rejects.toThrow(
      /Choose the folder again/,
    )
    await expect(invoke('pairs:add', { folder: join(homedir(), '.ssh'), board })).rejects.toThrow(
      /Choose the folder again/,
    )
  })

  it('refuses the disk, the home folder, dot-folders (also behind a link) and relative paths before asking', async () => {
    const hiddenTarget = join(work, '.secret-keys')
    await mkdir(hiddenTarget)
    await symlink(hiddenTarget, join(work, 'innocent'))
    const cases: [string, RegExp][] = [
      ['/', /top of the disk/],
      [homedir(), /whole home folder/],
      [join(homedir(), '.ssh'), /hidden folder/],
      [join(homedir(), '.config', 'autostart'), /hidden folder/],
      [join(work, 'innocent'), /hidden folder/],
      ['relative/folder', /full path/],
    ]
    for (const [typed, refusal] of cases) {
      answers.push(true)
      await expect(invoke('dialog:pick-folder', { purpose: 'pair', typed }), typed).rejects.toThrow(
        refusal,
      )
      answers.length = 0
    }
    expect(questions).toEqual([])
  })

  it('uses a typed folder only after a yes at the host, and hidden files only when that yes named them', async () => {
    const folder = join(work, 'Exports')
    await mkdir(folder)
    await writeFile(join(folder, 'a.txt'), 'a')
    await writeFile(join(folder, '.env'), 'SECRET=1')
    answers.push(false)
    expect(await invoke('dialog:pick-folder', { purpose: 'pair', typed: folder })).toBeNull()
    expect(questions.at(-1)).toContain(folder)

    answers.push(true)
    const plain = (await invoke('dialog:pick-folder', { purpose: 'pair', typed: folder })) as {
      handle: string
      includeHidden: boolean
    }
    expect(plain.includeHidden).toBe(false)
    const board = sandbox.boards[0]?.token ?? ''
    await expect(
      invoke('pairs:add', { folder: plain.handle, board, settings: { includeHidden: true } }),
    ).rejects.toThrow(/Hidden files are uploaded only when you agree/)

    answers.push(true)
    const hidden = (await invoke('dialog:pick-folder', {
      purpose: 'pair',
      typed: folder,
      includeHidden: true,
    })) as { handle: string; includeHidden: boolean }
    expect(questions.at(-1)).toMatch(/hidden files included/)
    expect(hidden.includeHidden).toBe(true)
    const preview = (await invoke('pairs:preview', { folder: hidden.handle })) as {
      files: number
    }
    expect(preview.files).toBe(2)
  })

  it('points "Send to desktop" only at a folder agreed to for it (the autostart write)', async () => {
    const autostart = join(homedir(), '.config', 'autostart')
    await expect(invoke('plugins:set', { dest: autostart })).rejects.toThrow(
      /Choose the folder again/,
    )
    answers.push(true)
    await expect(
      invoke('dialog:pick-folder', { purpose: 'plugin-dest', typed: autostart }),
    ).rejects.toThrow(/hidden folder/)
    const downloads = join(work, 'Downloads')
    answers.push(true)
    const pairChoice = (await invoke('dialog:pick-folder', {
      purpose: 'pair',
      typed: downloads,
    })) as { handle: string }
    // A handle chosen for syncing is not a download destination.
    await expect(invoke('plugins:set', { dest: pairChoice.handle })).rejects.toThrow(
      /Choose the folder again/,
    )
    answers.push(true)
    const choice = (await invoke('dialog:pick-folder', {
      purpose: 'plugin-dest',
      typed: downloads,
    })) as { handle: string }
    expect(await invoke('plugins:set', { dest: choice.handle })).toMatchObject({ dest: downloads })
    // Used once.
    await expect(invoke('plugins:set', { dest: choice.handle })).rejects.toThrow(/again/)
  })
})
