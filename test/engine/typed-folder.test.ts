import { describe, expect, it } from 'vitest'
import { typedFolder } from '../../src/engine/contract-handlers.ts'
import { describeFailure, describeWait, inWords } from '../../src/shared/plain-words.ts'
import { isJunkFileName } from '../../src/shared/junk-names.ts'

describe('typedFolder (a folder typed in the headless host)', () => {
  it('reads ~ and ~/… as the home folder', () => {
    expect(typedFolder('~', '/home/ada')).toBe('/home/ada')
    expect(typedFolder('~/Exports/Spring', '/home/ada')).toBe('/home/ada/Exports/Spring')
    expect(typedFolder('  /srv/work  ', '/home/ada')).toBe('/srv/work')
  })
  it('refuses a relative path instead of guessing where it is', () => {
    expect(() => typedFolder('Exports', '/home/ada')).toThrow(/starting with \/ or ~\//)
  })
})

describe('plain words', () => {
  it('turns technical errors into sentences, keeping the detail', () => {
    const cases: [string, string][] = [
      ['GET /v1/organizations: unauthenticated (HTTP 401)', 'Your session ended.'],
      ['UND_ERR_SOCKET other side closed', "Can't reach Playbook."],
      ['POST /v1/x/upload_prepare: injected (HTTP 503)', 'Playbook is busy.'],
      ['POST /v1/x/upload_prepare: injected (HTTP 400)', 'Playbook did not accept this file.'],
      ['EACCES', "Playbook Sync isn't allowed to read this file."],
      ['Upload cancelled', 'You cancelled this upload.'],
    ]
    for (const [raw, headline] of cases) {
      const words = describeFailure(raw)
      expect(words.headline, raw).toBe(headline)
      expect(words.detail).toBe(raw)
      expect(words.headline).not.toMatch(/HTTP|UND_ERR|EACCES/)
    }
  })
  it('counts down in words', () => {
    expect(describeWait({ kind: 'offline', until: 20_000, detail: 'x' }, 0).headline).toBe(
      "Can't reach Playbook. Retrying in 20 s.",
    )
    expect(describeWait({ kind: 'busy', until: 8_000, detail: 'x' }, 0).headline).toBe(
      'Playbook is busy. Retrying in 8 s.',
    )
    expect(describeWait({ kind: 'busy', until: 100, detail: 'x' }, 0).headline).toBe(
      'Playbook is busy. Retrying now.',
    )
    expect(inWords(150_000)).toBe('3 min')
  })
})

describe('junk names', () => {
  it('skips system litter, keeps real files', () => {
    for (const name of ['.DS_Store', 'Thumbs.db', '._hero.png', '~$brief.docx', 'clip.mov.part'])
      expect(isJunkFileName(name), name).toBe(true)
    for (const name of ['hero.png', 'Thumbs.png', 'brief.docx'])
      expect(isJunkFileName(name), name).toBe(false)
  })
})
