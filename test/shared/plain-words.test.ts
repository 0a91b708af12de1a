import { describe, expect, it } from 'vitest'
import { cannotUploadNotice } from '../../src/shared/plain-words.ts'
import { NOT_UTF8_REASON } from '../../src/engine/sync/scanner.ts'

describe('the notice for a file that cannot be uploaded', () => {
  it('says what happened and what to do, never the raw code', () => {
    const notice = cannotUploadNotice('/art/locked.psd', 'EACCES')
    expect(notice).toBe(
      "Can't upload /art/locked.psd: Playbook Sync isn't allowed to read this file. Check its permissions (or unlock it), then retry.",
    )
    expect(notice).not.toContain('EACCES')
  })

  it('keeps a reason that is already written for people', () => {
    expect(cannotUploadNotice('/art/x', NOT_UTF8_REASON)).toBe(
      `Can't upload /art/x: ${NOT_UTF8_REASON}`,
    )
  })
})
