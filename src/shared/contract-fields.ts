/**
 * The contract's building blocks for request schemas: bounded strings, URLs, paths and handles
 * (nothing from the renderer is unbounded), and refusals written for people. The feature schema
 * files and contract.ts's channel map are made of these.
 */
import { z } from 'zod'
import { isSafeApiUrl } from './api-url.ts'

/** A non-empty string of at most `max` characters: every string a renderer sends is bounded. */
export const text = (max: number) => z.string().min(1).max(max)
/** A job, pair or staged-file id. */
export const id = text(200)
/** A Playbook board token. */
export const boardToken = text(200)
/** A local path as the renderer names it (checked further by the handlers). */
export const localPath = text(4096)
/** An http(s) URL of bounded length (links dropped, pages opened). */
export const httpUrl = z
  .string()
  .max(4096)
  .refine((value) => {
    try {
      const url = new URL(value)
      return url.protocol === 'https:' || url.protocol === 'http:'
    } catch {
      return false
    }
  }, 'must be an http(s) URL')
/** A request that carries nothing (anything sent is refused). */
export const none = z.undefined()
/**
 * A Playbook API the token (or a magic-link code) may be sent to: https anywhere, plain http only
 * on this machine (the sandbox), so a credential never crosses a network in the clear.
 */
export const apiUrlSchema = httpUrl.refine(
  isSafeApiUrl,
  'must be https (or http on this machine), without credentials',
)

/**
 * Messages written for people (the settings show them as they are). `parseRequest` answers with
 * just these when every problem has one, so a refused value reads the same in the UI and the log.
 */
const humanMessages = new Set<string>()

/** Registers `message` as written for people and returns it (for zod's `error` option). */
export function human(message: string): string {
  humanMessages.add(message)
  return message
}

/** True when `message` was written for people (see `human`), so it can be shown as it is. */
export function isHumanMessage(message: string): boolean {
  return humanMessages.has(message)
}

/** A whole number in [min, max], refused with one sentence naming the setting and the range. */
export function wholeNumber(what: string, min: number, max: number) {
  const error = human(`${what} must be a whole number from ${min} to ${max}`)
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error })
}

/** An absolute local path (POSIX, drive letter or UNC); checked without node:path (renderer too). */
export const absolutePath = localPath.refine(
  (value) => /^(\/|[A-Za-z]:[\\/]|\\\\)/.test(value) && !value.includes('\0'),
  'must be an absolute folder path',
)

/** An opaque folder handle from `dialog:pick-folder`. */
export const folderHandle = text(100)
