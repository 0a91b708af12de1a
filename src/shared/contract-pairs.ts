/**
 * Request schemas for synced folders (pairs): the per-pair settings a renderer may choose and a
 * folder → board mapping (pair-models.ts holds the shapes these validate into).
 */
import { z } from 'zod'
import { boardToken, wholeNumber } from './contract-fields.ts'
import { changePolicySchema, ignorePatternList } from './contract-settings.ts'

/** Per-pair settings a renderer may choose when adding a pair. */
export const pairSettingsSchema = z.strictObject({
  onChange: changePolicySchema.optional(),
  dedupeContent: z.boolean().optional(),
  describeWithPath: z.boolean().optional(),
  ignorePatterns: ignorePatternList.optional(),
  includeHidden: z.boolean().optional(),
  usePolling: z.boolean().optional(),
  settleMs: wholeNumber('The settle time (ms)', 0, 600_000).optional(),
  /** Upload files the board already holds (same name and size) instead of recording them synced. */
  uploadExisting: z.boolean().optional(),
})

/** Where a folder branch goes (pair-models.ts `BranchTarget`). */
const branchTargetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('child') }),
  z.strictObject({
    kind: z.literal('board'),
    board: boardToken,
    boardTitle: z.string().max(500).optional(),
  }),
  z.strictObject({ kind: z.literal('parent') }),
  z.strictObject({ kind: z.literal('skip') }),
])

/** A pair's folder → board mapping (pair-models.ts `BoardMapping`); paths relative, '/'-separated. */
export const boardMappingSchema = z.strictObject({
  subfolders: z.enum(['child', 'parent']),
  branches: z
    .record(
      z
        .string()
        .min(1)
        .max(4096)
        .refine((p) => !p.split('/').some((s) => s === '' || s === '.' || s === '..'), {
          message: 'a folder path inside the pair',
        }),
      branchTargetSchema,
    )
    .refine((r) => Object.keys(r).length <= 2000, { message: 'too many folder rules' }),
})
