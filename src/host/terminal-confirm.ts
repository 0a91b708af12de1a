/**
 * The headless host's way to ask the person who started it: a yes/no question on the terminal.
 * A web page (or anything that got into it) can type a folder path, but only someone at this
 * terminal can agree to it. Questions are asked one at a time; anything but "y"/"yes" is a no,
 * and so is a closed input.
 */
import { createInterface } from 'node:readline'
import type { Readable, Writable } from 'node:stream'
import { plainText } from '../shared/plain-text.ts'

/** A confirmation port over a terminal; `close()` stops reading (pending questions get a no). */
export interface TerminalConfirm {
  confirm(question: string): Promise<boolean>
  close(): void
}

/** Asks on `output`, reads answers from `input` (standard input and error by default). */
export function createTerminalConfirm(
  input: Readable = process.stdin,
  output: Writable = process.stderr,
): TerminalConfirm {
  const lines = createInterface({ input, terminal: false })
  const waiting: ((answer: string | null) => void)[] = []
  let closed = false
  lines.on('line', (line) => waiting.shift()?.(line))
  lines.on('close', () => {
    closed = true
    for (const answer of waiting.splice(0)) answer(null)
  })
  let chain: Promise<unknown> = Promise.resolve()
  const ask = async (question: string): Promise<boolean> => {
    if (closed) return false
    output.write(`\n${plainText(question)}\nAllow? [y/N] `)
    const answer = await new Promise<string | null>((resolve) => waiting.push(resolve))
    const yes = answer !== null && /^\s*y(es)?\s*$/i.test(answer)
    output.write(yes ? 'Allowed.\n' : 'Refused.\n')
    return yes
  }
  return {
    confirm(question) {
      const next = chain.then(() => ask(question))
      chain = next.catch(() => {})
      return next
    },
    close() {
      lines.close()
    },
  }
}
