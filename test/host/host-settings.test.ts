import { readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { fileSettings } from '../../src/host/host-settings.ts'
import { stagedFileName } from '../../src/host/upload-staging.ts'
import { defaultSettings } from '../../src/shared/contract.ts'
import { tempFolders } from '../support/temp-folders.ts'

const tempFolder = tempFolders()

describe('headless host settings file', () => {
  it('starts from the defaults, saves changes privately, and reads them back', async () => {
    const dir = await tempFolder('pbs-settings-')
    const file = join(dir, 'app-settings.json')
    const first = await fileSettings(file)
    expect(first.get()).toEqual(defaultSettings)
    await first.set({ concurrency: 8, lastBoard: { token: 'b1', title: 'Moodboard' } })
    expect((await stat(file)).mode & 0o777).toBe(0o600)
    const again = await fileSettings(file)
    expect(again.get()).toMatchObject({
      concurrency: 8,
      lastBoard: { token: 'b1', title: 'Moodboard' },
    })
  })

  it('keeps the good fields of a damaged file and drops the rest', async () => {
    const dir = await tempFolder('pbs-settings-')
    const file = join(dir, 'app-settings.json')
    await writeFile(
      file,
      JSON.stringify({ concurrency: 999, onChange: 'skip', evil: true, ignorePatterns: '*.psd' }),
    )
    const settings = await fileSettings(file)
    expect(settings.get()).toEqual({ ...defaultSettings, onChange: 'skip' })
    await writeFile(file, '{not json')
    expect((await fileSettings(file)).get()).toEqual(defaultSettings)
    expect(await readFile(file, 'utf8')).toBe('{not json')
  })
})

describe('dropped file names', () => {
  it('keeps a readable name but never a path', () => {
    expect(stagedFileName('hero.png')).toBe('hero.png')
    expect(stagedFileName('../../etc/passwd')).toBe('passwd')
    expect(stagedFileName('a\\b:c*?.png')).toBe('b_c_.png')
    expect(stagedFileName('..')).toBe('untitled')
    expect(stagedFileName('   ')).toBe('untitled')
    expect(stagedFileName('line\nbreak.txt')).toBe('linebreak.txt')
    expect(Buffer.byteLength(stagedFileName(`${'x'.repeat(300)}.png`))).toBe(255)
    expect(stagedFileName(`${'x'.repeat(300)}.png`).endsWith('.png')).toBe(true)
    expect(stagedFileName('Cafe\u0301.jpg')).toBe('Café.jpg')
  })
})
