/**
 * Checks one ignore pattern (gitignore syntax) before it is stored, so a pattern that would
 * silently match nothing (a comment, an unclosed bracket, a lone backslash) is refused in words
 * instead. Shared by the contract's schemas, the engine and the renderer (no Node here).
 */

/** The longest pattern accepted. */
export const maxIgnorePatternLength = 500

/** Why `pattern` cannot be used, in plain words, or undefined when it is a usable pattern. */
export function ignorePatternProblem(pattern: string): string | undefined {
  const shown = `"${pattern.length > 40 ? `${pattern.slice(0, 40)}…` : pattern}"`
  if (pattern.trim() === '') return 'An ignore pattern cannot be empty'
  if (pattern.length > maxIgnorePatternLength)
    return `The ignore pattern ${shown} is longer than ${maxIgnorePatternLength} characters`
  if (/[\0\r\n]/.test(pattern)) return `The ignore pattern ${shown} must be on one line`
  if (pattern.startsWith('#'))
    return `The ignore pattern ${shown} starts with "#", which makes it a comment that ignores nothing (write "\\#" for names that start with #)`
  const body = pattern.startsWith('!') ? pattern.slice(1) : pattern
  if (body.trim() === '' || body === '/')
    return `The ignore pattern ${shown} names no file or folder`
  if (trailingLoneBackslash(pattern)) return `The ignore pattern ${shown} ends with a lone "\\"`
  if (unclosedBracket(body)) return `The ignore pattern ${shown} has a "[" without a closing "]"`
  return undefined
}

/** The first problem among `patterns` (each checked, then duplicates), or undefined. */
export function ignorePatternsProblem(patterns: readonly string[]): string | undefined {
  for (const pattern of patterns) {
    const problem = ignorePatternProblem(pattern)
    if (problem !== undefined) return problem
  }
  return undefined
}

function trailingLoneBackslash(pattern: string): boolean {
  let n = 0
  for (let i = pattern.length - 1; i >= 0 && pattern[i] === '\\'; i--) n++
  return n % 2 === 1
}

/** True when a `[` opens a character class that never closes (escapes respected). */
function unclosedBracket(pattern: string): boolean {
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]
    if (c === '\\') {
      i++
      continue
    }
    if (c !== '[') continue
    let j = i + 1
    if (pattern[j] === '!' || pattern[j] === '^') j++
    if (pattern[j] === ']') j++
    while (j < pattern.length && pattern[j] !== ']') {
      if (pattern[j] === '\\') j++
      j++
    }
    if (j >= pattern.length) return true
    i = j
  }
  return false
}
