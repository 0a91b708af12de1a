/**
 * Checks and merges pair settings, so a bad value from a settings file, the CLI or the UI fails
 * with an error naming the field instead of surfacing later as odd behaviour.
 */
import { changePolicies, defaultPairSettings } from '../../shared/pair-models.ts'
import type { ChangePolicy, PairSettings } from '../../shared/pair-models.ts'
import { ignorePatternProblem } from '../../shared/ignore-patterns.ts'

/**
 * A copy of `patterns` when every one is a usable ignore pattern; otherwise throws the first
 * problem in words (a bad pattern is refused, never dropped).
 */
export function checkedPatterns(patterns: readonly unknown[]): string[] {
  const out: string[] = []
  for (const pattern of patterns) {
    if (typeof pattern !== 'string') throw new Error('An ignore pattern must be text')
    const problem = ignorePatternProblem(pattern)
    if (problem !== undefined) throw new Error(problem)
    out.push(pattern)
  }
  return out
}

/** Merges `patches` over the defaults, left to right, and validates the result. */
export function resolvePairSettings(
  ...patches: (Partial<PairSettings> | undefined)[]
): PairSettings {
  const merged: Record<string, unknown> = { ...defaultPairSettings }
  for (const patch of patches) {
    if (!patch) continue
    for (const [key, value] of Object.entries(patch)) if (value !== undefined) merged[key] = value
  }
  return validatePairSettings(merged)
}

/** Validates a complete settings object. */
export function validatePairSettings(input: Record<string, unknown>): PairSettings {
  const fail = (field: string, expected: string): never => {
    throw new Error(
      `Invalid pair setting "${field}": expected ${expected}, got ${JSON.stringify(input[field])}`,
    )
  }
  const known = new Set(Object.keys(defaultPairSettings))
  for (const key of Object.keys(input))
    if (!known.has(key)) throw new Error(`Unknown pair setting "${key}"`)
  const bool = (field: keyof PairSettings): boolean =>
    typeof input[field] === 'boolean' ? (input[field] as boolean) : fail(field, 'true or false')
  const onChange = input.onChange
  if (!changePolicies.includes(onChange as ChangePolicy))
    fail('onChange', changePolicies.map((policy) => `"${policy}"`).join(' or '))
  const settleMs = input.settleMs
  if (
    typeof settleMs !== 'number' ||
    !Number.isInteger(settleMs) ||
    settleMs < 0 ||
    settleMs > 600_000
  ) {
    fail('settleMs', 'a whole number of milliseconds from 0 to 600000')
  }
  const patterns = input.ignorePatterns
  if (!Array.isArray(patterns) || patterns.some((pattern) => typeof pattern !== 'string')) {
    fail('ignorePatterns', 'a list of gitignore patterns')
  }
  const patternProblem = (patterns as string[])
    .map((pattern) => ignorePatternProblem(pattern))
    .find((problem) => problem !== undefined)
  if (patternProblem !== undefined) throw new Error(patternProblem)
  return {
    onChange: onChange as PairSettings['onChange'],
    dedupeContent: bool('dedupeContent'),
    describeWithPath: bool('describeWithPath'),
    ignorePatterns: [...(patterns as string[])],
    includeHidden: bool('includeHidden'),
    usePolling: bool('usePolling'),
    settleMs: settleMs as number,
    uploadExisting: bool('uploadExisting'),
  }
}
