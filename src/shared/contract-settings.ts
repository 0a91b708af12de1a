/**
 * Request schemas for the settings screen: the app-wide settings patch and the plugin host's
 * switch. Every value is bounded and an out-of-range one is refused in words, never clamped.
 */
import { z } from 'zod'
import { changePolicies } from './pair-models.ts'
import { ignorePatternProblem, maxIgnorePatternLength } from './ignore-patterns.ts'
import { maxFilesAtOnce } from './contract-models.ts'
import { absolutePath, boardToken, folderHandle, human, wholeNumber } from './contract-fields.ts'

/** The highest bandwidth cap accepted: 10 GB/s (0 means no cap). */
const maxBandwidthLimit = 10_000_000_000
const bandwidthError = human(
  'The bandwidth cap must be 0 (no cap) or a positive whole number of bytes per second, at most 10 GB/s',
)

/** A list of ignore patterns: each usable (see ignore-patterns.ts), at most 200. */
export const ignorePatternList = z
  .array(
    z
      .string({ error: human('An ignore pattern must be text') })
      .max(maxIgnorePatternLength)
      .superRefine((pattern, ctx) => {
        const problem = ignorePatternProblem(pattern)
        if (problem !== undefined) ctx.addIssue({ code: 'custom', message: human(problem) })
      }),
  )
  .max(200, { error: human('At most 200 ignore patterns') })

/** What a changed file becomes (app-wide default, or one pair's), refused in words. */
export const changePolicySchema = z.enum(changePolicies, {
  error: human(`What a changed file becomes must be one of: ${changePolicies.join(', ')}`),
})

/** The settings patch a renderer may send: every field optional, every value bounded. */
export const settingsPatchSchema = z.strictObject({
  concurrency: wholeNumber('Files at once', 1, maxFilesAtOnce).optional(),
  bandwidthLimit: z
    .number({ error: bandwidthError })
    .int({ error: bandwidthError })
    .min(0, { error: bandwidthError })
    .max(maxBandwidthLimit, { error: bandwidthError })
    .optional(),
  ignorePatterns: ignorePatternList.optional(),
  onChange: changePolicySchema.optional(),
  notifications: z.boolean().optional(),
  startAtLogin: z.boolean().optional(),
  lastBoard: z
    .strictObject({ token: boardToken, title: z.string().max(500) })
    .nullable()
    .optional(),
})

/** What the plugin service takes (the destination as a path the handlers resolved). */
export const pluginsPatchSchema = z.strictObject({
  enabled: z.boolean().optional(),
  port: z.number().int().min(0).max(65_535).optional(),
  dest: absolutePath.optional(),
})

/** What the renderer may change about the plugin host; a new destination comes as a handle. */
export const pluginsRequestSchema = z.strictObject({
  enabled: z.boolean().optional(),
  port: z.number().int().min(0).max(65_535).optional(),
  dest: folderHandle.optional(),
})
