import { readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { beforeEach, describe, expect, it } from 'vitest'
import { openInvocationLedger } from '../../../src/engine/plugins/invocation-ledger.ts'
import { tempFolders } from '../../support/temp-folders.ts'

const tempFolder = tempFolders()
let dir: string
let file: string

beforeEach(async () => {
  dir = await tempFolder('plugin-ledger-')
  file = join(dir, 'state', 'ledger.json')
})

describe('invocation ledger', () => {
  it('claims a token once, in this process and after a restart', async () => {
    const ledger = await openInvocationLedger(file)
    const first = ledger.claim('tok', 'send-to-desktop')
    expect(first.result).toBe('new')
    expect(ledger.claim('tok', 'send-to-desktop').result).toBe('duplicate')
    await first.saved
    await ledger.finish('tok', { status: 'success', message: 'Saved 1 file', reported: true })
    expect(ledger.claim('tok', 'send-to-desktop').result).toBe('duplicate')

    const reopened = await openInvocationLedger(file)
    expect(reopened.state('tok')).toBe('success')
    expect(reopened.claim('tok', 'web-versions').result).toBe('duplicate')
    expect(reopened.unreported('tok')).toBeUndefined()
  })

  it('lets a redelivery resume an interrupted invocation, keeping its finished assets', async () => {
    const ledger = await openInvocationLedger(file)
    await ledger.claim('tok', 'send-to-desktop').saved
    await ledger.assetDone('tok', 1, { path: '/x/a.jpg' })
    ledger.release('tok') // the process went away mid-run

    const reopened = await openInvocationLedger(file)
    const resumed = reopened.claim('tok', 'send-to-desktop')
    expect(resumed.result).toBe('resume')
    await resumed.saved
    expect([...reopened.doneAssets('tok')]).toEqual([[1, { path: '/x/a.jpg' }]])
  })

  it('remembers a status the callback never got', async () => {
    const ledger = await openInvocationLedger(file)
    await ledger.claim('tok', 'web-versions').saved
    await ledger.finish('tok', { status: 'failed', message: 'm', reported: false })
    const reopened = await openInvocationLedger(file)
    expect(reopened.unreported('tok')).toEqual({ status: 'failed', message: 'm', reported: false })
  })

  it('sets a corrupt file aside and starts empty', async () => {
    await openInvocationLedger(file).then((l) => l.claim('x', 'web-versions').saved)
    await writeFile(file, '{not json')
    const warnings: string[] = []
    const ledger = await openInvocationLedger(file, Date.now, (m) => warnings.push(m))
    expect(warnings[0]).toContain('unreadable')
    const claimed = ledger.claim('x', 'web-versions')
    expect(claimed.result).toBe('new')
    await claimed.saved // let the write finish before the temp folder is removed
    expect(
      (await readdir(join(dir, 'state'))).some((n) => n.startsWith('ledger.json.corrupt-')),
    ).toBe(true)
  })
})
