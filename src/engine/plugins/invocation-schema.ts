/**
 * The Plugin API's wire shapes (seed 001), validated strictly: the plugin host trusts nothing in
 * an invocation until it parses here. Unknown extra keys are dropped, not refused, so a newer
 * Playbook that adds fields still works; every field the host relies on is required and checked.
 */
import { z } from 'zod'

/** Tokens are opaque, but they end up in file and state names: a plain, bounded alphabet. */
export const tokenSchema = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be 1-128 letters, digits, "_" or "-"')

const httpUrl = z
  .string()
  .max(8192)
  .refine((value) => {
    try {
      const { protocol } = new URL(value)
      return protocol === 'http:' || protocol === 'https:'
    } catch {
      return false
    }
  }, 'must be an http(s) URL')

/** One thumbnail Playbook offers with an invoked asset (2000, 1000, 500 px wide). */
export const thumbnailSchema = z.object({
  url: httpUrl,
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  type: z.string().max(64),
})

/** One invoked asset: its signed original `url`, `title` and file `type` (".jpg", "note", …). */
export const invokeAssetSchema = z.object({
  token: tokenSchema,
  url: httpUrl,
  title: z.string().max(4096),
  type: z.string().max(64),
  thumbnails: z.array(thumbnailSchema).max(32).default([]),
})

/** The request Playbook POSTs to a plugin's invocation URL. */
export const invocationSchema = z.object({
  pluginInvocationToken: tokenSchema,
  callbackUrl: httpUrl,
  operation: z.literal('invokePlugin'),
  assets: z.array(invokeAssetSchema).min(1).max(1000),
})

/** The callback's answer to `createAssets`: one placeholder token and upload URL per request. */
export const createAssetsResponseSchema = z.object({
  pluginInvocationToken: z.string(),
  operation: z.literal('createAssets'),
  assets: z.array(z.object({ token: z.string().min(1), uploadUrl: httpUrl })),
})

/** A parsed, trusted invocation. */
export type Invocation = z.infer<typeof invocationSchema>
/** One asset of a parsed invocation. */
export type InvokeAsset = z.infer<typeof invokeAssetSchema>

/** Zod issues as short "field: problem" lines for a 400 answer and the log. */
export function describeIssues(error: z.ZodError): readonly string[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.')
    return `${path === '' ? '(body)' : path}: ${issue.message}`
  })
}
