/**
 * The built-in junk list as one regular expression over a whole relative path. Every pattern of
 * the list is a name pattern (no slash but a trailing one, only `*` as a wildcard, no negation; a `!` inside a name is
 * literal),
 * so in gitignore terms it matches a name at any depth, and a folder it matches takes everything
 * under it. A rescan asks about every file of the pair: one test per path instead of the ignore
 * library's one expression per pattern (about sixty) is most of the cost of the ignore rules.
 * The library stays the reference: the specs check that both agree, and `explain` uses it.
 */

/** Characters a pattern holds literally that a regular expression does not. */
const SPECIAL = /[.+?^${}()|[\]\\]/g

/** A name pattern (trailing slash removed) as a regular expression source for one path segment. */
function segmentSource(pattern: string): string {
  return pattern.replace(SPECIAL, (c) => `\\${c}`).replaceAll('*', '[^/]*')
}

/**
 * Compiles name patterns (gitignore syntax, as in BUILTIN_JUNK) into a test of a relative path
 * with forward slashes; a folder is asked about with a trailing slash, as the ignore library is.
 * Case-insensitive, as the library is by default. Throws on a pattern it cannot take, so a new
 * entry the expression would misread is caught when the module loads (and by the specs).
 */
export function compileJunk(patterns: readonly string[]): (path: string) => boolean {
  const anyKind: string[] = []
  const dirOnly: string[] = []
  for (const pattern of patterns) {
    const dir = pattern.endsWith('/')
    const name = dir ? pattern.slice(0, -1) : pattern
    const unplain = /[/?[\]\\]/.test(name) || name.startsWith('!') || name.startsWith('#')
    if (name === '' || unplain || name.trim() !== name) {
      throw new Error(`not a plain name pattern: ${pattern}`)
    }
    ;(dir ? dirOnly : anyKind).push(segmentSource(name))
  }
  const parts: string[] = []
  // A name of any kind: the segment ends the path or a folder does.
  if (anyKind.length > 0) parts.push(`(?:${anyKind.join('|')})(?:/|$)`)
  // A folder-only name: the segment is followed by a slash (a parent, or a folder asked about).
  if (dirOnly.length > 0) parts.push(`(?:${dirOnly.join('|')})/`)
  if (parts.length === 0) return () => false
  const expression = new RegExp(`(?:^|/)(?:${parts.join('|')})`, 'i')
  return (path) => expression.test(path)
}
