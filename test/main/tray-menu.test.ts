import { describe, expect, it } from 'vitest'
import type { PairSnapshot } from '../../src/shared/pair-models.ts'
import { defaultPairSettings } from '../../src/shared/pair-models.ts'
import {
  tomorrowMorning,
  trayMenu,
  type TrayActions,
  type TrayItem,
  type TrayModel,
} from '../../src/main/tray-menu.ts'

const pair = (over: Partial<PairSnapshot> = {}): PairSnapshot => ({
  id: 'p1',
  folder: '/Users/d/Work/Renders',
  org: 'o',
  board: 'b1',
  boardTitle: 'Spring Campaign',
  settings: defaultPairSettings,
  status: { kind: 'idle' },
  counts: { synced: 3, pending: 0, failed: 0, ignored: 0 },
  tally: { onBoard: 3, sameContent: 0, uploading: 0, waiting: 0, skipped: 0, attention: 0 },
  upToDate: true,
  lastSyncAt: null,
  ...over,
})

const model = (over: Partial<TrayModel> = {}): TrayModel => ({
  status: { state: 'idle', line: 'Up to date', tooltip: 't', progress: null },
  paused: false,
  pausedUntil: null,
  failed: 0,
  pairs: [pair()],
  recent: [],
  update: { kind: 'idle' },
  ...over,
})

function recorder() {
  const calls: string[] = []
  const actions = new Proxy({} as TrayActions, {
    get: (_t, name: string) => (arg?: unknown) =>
      calls.push(arg === undefined ? name : `${name}(${JSON.stringify(arg)})`),
  })
  return { calls, actions }
}

const find = (items: readonly TrayItem[], label: string) => {
  const item = items.find((i) => i.label?.startsWith(label))
  if (!item) throw new Error(`no ${label} in ${items.map((i) => i.label).join('|')}`)
  return item
}

describe('the tray menu', () => {
  it('says the status in words and lists each folder with its actions', () => {
    const { calls, actions } = recorder()
    const menu = trayMenu(model(), actions)
    expect(menu[0]).toEqual({ label: 'Up to date', enabled: false })
    const folder = find(menu, 'Renders → Spring Campaign: Up to date')
    for (const label of ['Open board', 'Open folder', 'Pause'])
      find(folder.submenu!, label).click!()
    expect(calls).toEqual(['openBoard("p1")', 'openFolder("p1")', 'pausePair("p1")'])
  })

  it('offers resume for a paused folder, retry for failures, timed pauses and resume', () => {
    const { calls, actions } = recorder()
    const menu = trayMenu(
      model({ failed: 3, pairs: [pair({ status: { kind: 'paused' } })] }),
      actions,
    )
    find(find(menu, 'Renders → Spring Campaign: Paused').submenu!, 'Resume').click!()
    find(menu, '3 failed · Retry all').click!()
    find(menu, 'Pause for 1 hour').click!()
    find(menu, 'Pause until tomorrow').click!()
    find(menu, 'Check for updates').click!()
    find(menu, 'Quit Playbook Sync').click!()
    expect(calls).toEqual([
      'resumePair("p1")',
      'retryAll',
      'pauseAll("hour")',
      'pauseAll("tomorrow")',
      'checkForUpdates',
      'quit',
    ])
    const paused = trayMenu(model({ paused: true, pausedUntil: Date.now() + 3_600_000 }), actions)
    find(paused, 'Resume syncing (paused until').click!()
    expect(calls.at(-1)).toBe('resumeAll')
  })

  it('offers "Restart to update" once an update is downloaded', () => {
    const { calls, actions } = recorder()
    const menu = trayMenu(model({ update: { kind: 'ready', version: '0.2.0' } }), actions)
    find(menu, 'Restart to update (0.2.0)').click!()
    expect(calls).toEqual(['installUpdate'])
    expect(menu.some((i) => i.label === 'Check for updates')).toBe(false)
  })

  it('pauses until 9:00 the next day', () => {
    const at = new Date(tomorrowMorning(new Date(2026, 4, 10, 22, 30).getTime()))
    expect([at.getDate(), at.getHours(), at.getMinutes()]).toEqual([11, 9, 0])
  })
})
