import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createTerminalConfirm } from '../../src/host/terminal-confirm.ts'

// The host's terminal question over real streams, as a person would answer it.

describe('terminal confirmation', () => {
  it('asks one question at a time; only y/yes allows; escape sequences never reach the screen', async () => {
    const input = new PassThrough()
    const output = new PassThrough()
    let shown = ''
    output.on('data', (d: Buffer) => (shown += d.toString()))
    const terminal = createTerminalConfirm(input, output)
    // A person answers after they see the question.
    const answer = async (line: string) => {
      const asked = (shown.match(/Allow\?/g) ?? []).length
      const answered = (shown.match(/Allowed\.|Refused\./g) ?? []).length
      if (asked <= answered)
        await new Promise<void>((resolve) => {
          const check = () => {
            if ((shown.match(/Allow\?/g) ?? []).length > answered) {
              output.off('data', check)
              resolve()
            }
          }
          output.on('data', check)
        })
      input.write(line)
    }
    const first = terminal.confirm('Sync /a\u001b]0;owned\u0007 to Playbook?')
    const second = terminal.confirm('Sync /b to Playbook?')
    await answer('yes\n')
    expect(await first).toBe(true)
    await answer('n\n')
    expect(await second).toBe(false)
    const third = terminal.confirm('Sync /c?')
    await answer('whatever\n')
    expect(await third).toBe(false)
    expect(shown).toContain('Sync /a]0;owned to Playbook?')
    expect(shown).not.toContain('\u001b')
    expect(shown.indexOf('/b')).toBeGreaterThan(shown.indexOf('Allowed.'))
    const pending = terminal.confirm('Sync /d?')
    input.end()
    expect(await pending).toBe(false)
    expect(await terminal.confirm('Sync /e?')).toBe(false)
    terminal.close()
  })
})
