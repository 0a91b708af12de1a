import { beforeEach, describe, expect, it, vi } from 'vitest'

// Stand-in for Electron's dialog (through main's one Electron import): no Electron binary can run on these machines. The test
// records what the app would show and answers as a person would; the rest is the real code.
const shown: { kind: 'open' | 'message'; options: Record<string, unknown> }[] = []
const answers = { folder: null as string | null, hiddenOk: false }
vi.mock('../../src/main/electron-api.ts', () => ({
  dialog: {
    showOpenDialog: (...args: unknown[]) => {
      shown.push({ kind: 'open', options: args.at(-1) as Record<string, unknown> })
      return Promise.resolve(
        answers.folder === null
          ? { canceled: true, filePaths: [] }
          : { canceled: false, filePaths: [answers.folder] },
      )
    },
    showMessageBox: (...args: unknown[]) => {
      shown.push({ kind: 'message', options: args.at(-1) as Record<string, unknown> })
      return Promise.resolve({ response: answers.hiddenOk ? 0 : 1 })
    },
  },
}))

const { electronFolderChooser } = await import('../../src/main/folder-chooser.ts')

beforeEach(() => {
  shown.length = 0
})

describe('the app’s folder choice (native dialog only)', () => {
  it('takes the folder from the native dialog, never from the typed text', async () => {
    const choose = electronFolderChooser(() => null)
    answers.folder = '/Users/me/Exports'
    expect(await choose({ purpose: 'pair', typed: '/Users/me/.ssh' })).toBe('/Users/me/Exports')
    expect(shown.map((s) => s.kind)).toEqual(['open'])
    answers.folder = null
    expect(await choose({ purpose: 'plugin-dest' })).toBeNull()
  })

  it('asks a second question, naming the folder, before hidden files are included', async () => {
    const choose = electronFolderChooser(() => null)
    answers.folder = '/Users/me/Exports'
    answers.hiddenOk = false
    expect(await choose({ purpose: 'pair', includeHidden: true })).toBeNull()
    expect(shown.map((s) => s.kind)).toEqual(['open', 'message'])
    expect(String(shown[1]?.options.message)).toContain('/Users/me/Exports')
    answers.hiddenOk = true
    expect(await choose({ purpose: 'pair', includeHidden: true })).toBe('/Users/me/Exports')
  })
})
