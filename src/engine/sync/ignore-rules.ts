/**
 * Which files of a pair are never uploaded: the built-in junk list, hidden files, symlinks, the
 * pair's own patterns and `.playbookignore` files (gitignore syntax) at any depth.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import ignore from 'ignore'
import type { Ignore } from 'ignore'
import { compileJunk } from './junk-matcher.ts'

/** The per-folder ignore file's name; it is read, never uploaded. */
export const IGNORE_FILE = '.playbookignore'

/**
 * Operating-system litter, version-control folders, partial downloads and the lock and temp files
 * that design and office apps write next to the real file while saving.
 */
export const BUILTIN_JUNK: readonly string[] = [
  // macOS
  '.DS_Store',
  '._*',
  '.AppleDouble/',
  '.LSOverride',
  '.Spotlight-V100/',
  '.Trashes/',
  '.fseventsd/',
  '.TemporaryItems/',
  '.DocumentRevisions-V100/',
  '*.icloud',
  // Windows
  'Thumbs.db',
  'ehthumbs.db',
  'desktop.ini',
  '$RECYCLE.BIN/',
  'System Volume Information/',
  // Office and LibreOffice lock and temp files
  '~$*',
  '.~lock.*#',
  '~*.tmp',
  // Partial files and downloads
  '*.tmp',
  '*.temp',
  '*.part',
  '*.partial',
  '*.crdownload',
  '*.download',
  '*.!ut',
  // Editors
  '*.swp',
  '*.swo',
  '*.swx',
  '*~',
  '.#*',
  // Adobe (Photoshop, Illustrator, InDesign) and Affinity save temp and lock files
  '~ps*.tmp',
  '~ai-*.tmp',
  '*.idlk',
  '*.lck',
  '*.~*',
  '*.afphoto~tmp',
  '*.afdesign~tmp',
  '*.afpub~tmp',
  'Adobe Photoshop Auto-Recover/',
  // Version control and sync-client folders
  '.git/',
  '.svn/',
  '.hg/',
  'CVS/',
  '.dropbox',
  '.dropbox.attr',
  '.dropbox.cache/',
]

/** Why a path is left out; `undefined` from `test` means it is synced. */
export type IgnoreReason =
  | 'junk'
  | 'hidden'
  | 'symlink'
  | 'special'
  | 'pattern'
  /** A pattern from the app's settings that every pair applies (`explain` only; `test` says `pattern`). */
  | 'shared-pattern'
  | 'playbookignore'

/**
 * The rule behind a skip, for the Sync issues "Skipped" list: the reason, the pattern as written
 * (null where no pattern is involved: hidden files, symlinks, special files) and, for a
 * `.playbookignore` rule, the folder whose ignore file holds it ('' for the pair's root).
 */
export interface IgnoreMatch {
  readonly reason: IgnoreReason
  readonly pattern: string | null
  readonly where?: string
}

/** What kind of entry is being tested (symlinks and sockets are never followed). */
export type EntryKind = 'file' | 'dir' | 'symlink' | 'other'

/** One pair's ignore rules, with `.playbookignore` files loaded folder by folder. */
export interface IgnoreRules {
  /**
   * Reads (or re-reads) the `.playbookignore` of one folder, '' for the pair's root. `listed`
   * false: the folder's listing has no such file (a walk knows), so there is nothing to read.
   */
  loadDir(relDir: string, listed?: boolean): Promise<void>
  /** Forgets the rules of a folder that was removed or whose ignore file was deleted. */
  forgetDir(relDir: string): void
  /** Why `relPath` (forward slashes, relative to the root) is skipped, or undefined to sync it. */
  test(relPath: string, kind: EntryKind): IgnoreReason | undefined
  /** Like `test`, with the rule that matched (slower: only for paths `test` skipped). */
  explain(relPath: string, kind: EntryKind): IgnoreMatch | undefined
}

/** Options a pair's settings give its rules. */
export interface IgnoreRulesOptions {
  readonly includeHidden: boolean
  readonly patterns: readonly string[]
  /** Patterns every pair applies (the app's settings), told apart from the pair's own in `explain`. */
  readonly sharedPatterns?: readonly string[]
  readonly log?: { warn(message: string, fields?: Record<string, unknown>): void }
}

/** What the rules ask of a matcher. */
type Matcher = Pick<Ignore, 'ignores' | 'test'>

/** Paths a matcher is asked about before it is built afresh. */
const MEMO_LIMIT = 4096

/**
 * A matcher whose memory stays bounded: the library memoizes every path it is asked about (and
 * each parent folder), which over a pair of 100,000 files, scanned again and again, only grows.
 * It is built afresh after `MEMO_LIMIT` questions (a few regular expressions: cheap), so the memo
 * still serves a folder's files one after another.
 */
export function boundedMatcher(patterns: string | readonly string[]): Matcher {
  const build = (): Ignore => ignore().add(typeof patterns === 'string' ? patterns : [...patterns])
  let matcher = build()
  let asked = 0
  const current = (): Ignore => {
    if (++asked > MEMO_LIMIT) {
      matcher = build()
      asked = 0
    }
    return matcher
  }
  return {
    ignores: (path) => current().ignores(path),
    test: (path) => current().test(path),
  }
}

const junk = boundedMatcher(BUILTIN_JUNK)
/** The same list as one expression: what `test` asks (the matcher above names the rule in `explain`). */
const isJunk = compileJunk(BUILTIN_JUNK)

/** Builds the rules for a pair rooted at `root` (absolute path). */
export function createIgnoreRules(root: string, options: IgnoreRulesOptions): IgnoreRules {
  // No settings patterns (the usual case): skip the matcher, which costs per path tested.
  const shared = options.sharedPatterns ?? []
  const all = [...shared, ...options.patterns]
  const fromSettings = all.length === 0 ? undefined : boundedMatcher(all)
  const own = options.patterns.length === 0 ? undefined : boundedMatcher(options.patterns)
  const perDir = new Map<string, Matcher>()

  return {
    async loadDir(relDir, listed) {
      if (listed === false) {
        perDir.delete(relDir)
        return
      }
      let text: string
      try {
        text = await readFile(join(root, ...splitRel(relDir), IGNORE_FILE), 'utf8')
      } catch (error) {
        const code = (error as NodeJS.ErrnoException).code
        if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') {
          options.log?.warn('cannot read ignore file', { relDir, code })
        }
        perDir.delete(relDir)
        return
      }
      perDir.set(relDir, boundedMatcher(text))
    },
    forgetDir(relDir) {
      for (const key of [...perDir.keys()]) {
        if (key === relDir || key.startsWith(relDir + '/')) perDir.delete(key)
      }
    },
    test(relPath, kind) {
      if (kind === 'symlink') return 'symlink'
      if (kind === 'other') return 'special'
      // Asked of every file of a pair at every scan: no splitting unless `.playbookignore`
      // files need the segments.
      const name = relPath.slice(relPath.lastIndexOf('/') + 1)
      if (name === IGNORE_FILE && kind === 'file') return 'special'
      const asked = kind === 'dir' ? relPath + '/' : relPath
      if (isJunk(asked)) return 'junk'
      if (!options.includeHidden && (relPath.startsWith('.') || relPath.includes('/.'))) {
        return 'hidden'
      }
      if (fromSettings?.ignores(asked)) return 'pattern'
      return perDir.size === 0 ? undefined : testPerDir(perDir, splitRel(relPath), kind)
    },
    explain(relPath, kind) {
      const reason = this.test(relPath, kind)
      if (reason === undefined) return undefined
      const asked = kind === 'dir' ? relPath + '/' : relPath
      switch (reason) {
        case 'junk':
          return { reason, pattern: junk.test(asked).rule?.pattern ?? null }
        case 'pattern': {
          const mine = own?.test(asked)
          if (mine?.ignored) return { reason, pattern: mine.rule?.pattern ?? null }
          return {
            reason: 'shared-pattern',
            pattern: fromSettings?.test(asked).rule?.pattern ?? null,
          }
        }
        case 'shared-pattern':
        case 'playbookignore':
          return { reason, ...perDirRule(perDir, splitRel(relPath), kind) }
        case 'hidden':
        case 'symlink':
        case 'special':
          return { reason, pattern: null }
      }
    },
  }
}

/** The `.playbookignore` rule that decides a path (the deepest one that matched), and where. */
function perDirRule(
  perDir: ReadonlyMap<string, Matcher>,
  segments: readonly string[],
  kind: EntryKind,
): { readonly pattern: string | null; readonly where: string } {
  let found: { pattern: string | null; where: string } = { pattern: null, where: '' }
  for (let depth = 0; depth < segments.length; depth++) {
    const where = segments.slice(0, depth).join('/')
    const rules = perDir.get(where)
    if (!rules) continue
    const rest = segments.slice(depth).join('/')
    const result = rules.test(kind === 'dir' ? rest + '/' : rest)
    if (result.ignored) found = { pattern: result.rule?.pattern ?? null, where }
  }
  return found
}

/** Applies `.playbookignore` files from the root down; a deeper file overrides a shallower one. */
function testPerDir(
  perDir: ReadonlyMap<string, Matcher>,
  segments: readonly string[],
  kind: EntryKind,
): IgnoreReason | undefined {
  if (perDir.size === 0) return undefined
  let ignored = false
  for (let depth = 0; depth < segments.length; depth++) {
    const rules = perDir.get(segments.slice(0, depth).join('/'))
    if (!rules) continue
    const rest = segments.slice(depth).join('/')
    const result = rules.test(kind === 'dir' ? rest + '/' : rest)
    if (result.ignored) ignored = true
    else if (result.unignored) ignored = false
  }
  return ignored ? 'playbookignore' : undefined
}

/** Splits a forward-slash relative path; '' is the root. */
export function splitRel(relPath: string): string[] {
  return relPath === '' ? [] : relPath.split('/')
}
