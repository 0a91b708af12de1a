/**
 * Typed setting values on their way to the host, and its answer when it refuses one: the
 * contract (and the engine) answer "channel: refused: <sentence>"; the field shows the sentence
 * and keeps what was typed, never a reset value. Shared by the settings screen and a folder's
 * settings panel.
 */
import { errorMessage } from '../../store/host-sync.ts'

/** The sentence of a refusal (or the whole message when it is another kind of failure). */
export function refusalWords(error: unknown): string {
  return errorMessage(error)
    .replace(/^[\w:-]+: (refused|invalid request): /, '')
    .replace(/^Error: /, '')
}

/** A typed number; empty text is NaN, so the host refuses it in words instead of reading 0. */
export function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text)
}

/** One pattern per non-empty line. */
export function patternLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
}
