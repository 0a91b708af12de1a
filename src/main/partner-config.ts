/**
 * Partner-provisioned installs (seed 000): an administrator puts an integration token and the
 * user's details in the environment or in a config file beside the app's data, never in the UI.
 * On first launch the app bootstraps the account with them. Parsing is strict and names the field.
 */
import { z } from 'zod'
import { isSafeApiUrl } from '../shared/api-url.ts'
import type { BootstrapInput } from '../engine/engine-types.ts'

const fileSchema = z.strictObject({
  apiUrl: z
    .url()
    .max(2048)
    .refine(isSafeApiUrl, 'must be https (plain http only on this machine)')
    .optional(),
  integrationToken: z.string().min(1).max(4096).optional(),
  partnerUserId: z.string().min(1).max(200),
  email: z.email().max(320),
  name: z.string().min(1).max(200),
  orgName: z.string().min(1).max(200),
  boards: z
    .array(
      z.strictObject({
        title: z.string().min(1).max(200),
        assets: z
          .array(
            z.strictObject({
              url: z.url().max(4096),
              filename: z.string().max(500).optional(),
              description: z.string().max(5000).optional(),
            }),
          )
          .max(100)
          .optional(),
      }),
    )
    .max(100)
    .optional(),
})

/** The environment variables an administrator may set (the token only ever from here or the file). */
export const partnerEnv = {
  token: 'PLAYBOOK_INTEGRATION_TOKEN',
  userId: 'PLAYBOOK_PARTNER_USER_ID',
  email: 'PLAYBOOK_PARTNER_EMAIL',
  name: 'PLAYBOOK_PARTNER_NAME',
  orgName: 'PLAYBOOK_PARTNER_ORG_NAME',
  apiUrl: 'PLAYBOOK_API_URL',
} as const

/**
 * The bootstrap request from the config file's JSON (may be undefined) and the environment
 * (environment wins); null when nothing is configured; throws naming the bad field.
 */
export function partnerBootstrapInput(
  fileJson: unknown,
  env: Readonly<Record<string, string | undefined>>,
  defaultApiUrl: string,
): BootstrapInput | null {
  const fromEnv = {
    ...(env[partnerEnv.userId] ? { partnerUserId: env[partnerEnv.userId] } : {}),
    ...(env[partnerEnv.email] ? { email: env[partnerEnv.email] } : {}),
    ...(env[partnerEnv.name] ? { name: env[partnerEnv.name] } : {}),
    ...(env[partnerEnv.orgName] ? { orgName: env[partnerEnv.orgName] } : {}),
    ...(env[partnerEnv.apiUrl] ? { apiUrl: env[partnerEnv.apiUrl] } : {}),
    ...(env[partnerEnv.token] ? { integrationToken: env[partnerEnv.token] } : {}),
  }
  const base = typeof fileJson === 'object' && fileJson !== null ? fileJson : {}
  const merged = { ...base, ...fromEnv }
  if (!('integrationToken' in merged) && !('partnerUserId' in merged)) return null
  const parsed = fileSchema.safeParse(merged)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]
    throw new Error(
      `Partner configuration: ${issue?.path.join('.') || '(root)'} ${issue?.message ?? 'is invalid'}`,
    )
  }
  const config = parsed.data
  if (!config.integrationToken) {
    throw new Error(`Partner configuration: integrationToken is missing (set ${partnerEnv.token})`)
  }
  return {
    apiUrl: config.apiUrl ?? defaultApiUrl,
    integrationToken: config.integrationToken,
    partnerUserId: config.partnerUserId,
    email: config.email,
    name: config.name,
    orgName: config.orgName,
    boards: config.boards,
  }
}
