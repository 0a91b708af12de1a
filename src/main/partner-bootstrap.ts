/**
 * The partner bootstrap at start-up (seed 000): once per install, from `partner.json` in the
 * app's data folder or the environment, signs the user in and offers to open Playbook.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { app, dialog, shell } from './electron-api.ts'
import { productionApiUrl } from '../engine/contract-handlers.ts'
import type { Engine, Logger } from '../engine/engine-types.ts'
import { partnerBootstrapInput } from './partner-config.ts'

/** What the bootstrap needs from start-up: the log, and redacting the integration token. */
export interface PartnerBootstrapContext {
  readonly log: Logger
  addSecret(value: string): void
}

/** Runs the bootstrap unless it already ran; a partner's token is redacted before it is used. */
export async function partnerBootstrap(
  ctx: PartnerBootstrapContext,
  target: Engine,
  state: { done(): boolean; markDone(): void },
) {
  if (state.done()) return
  let fileJson: unknown
  try {
    fileJson = JSON.parse(await readFile(join(app.getPath('userData'), 'partner.json'), 'utf8'))
  } catch {
    fileJson = undefined
  }
  const input = partnerBootstrapInput(fileJson, process.env, productionApiUrl)
  if (!input) return
  ctx.addSecret(input.integrationToken)
  const result = await target.bootstrap(input)
  state.markDone()
  ctx.log.info('Partner bootstrap finished', { status: result.status })
  if (result.redirectUrl && /^https:\/\//i.test(result.redirectUrl)) {
    const choice = await dialog.showMessageBox({
      type: 'info',
      message: 'Your Playbook account is ready',
      detail: 'Playbook Sync is signed in. Open Playbook in your browser to see your boards?',
      buttons: ['Open Playbook', 'Later'],
      defaultId: 0,
    })
    if (choice.response === 0) await shell.openExternal(result.redirectUrl)
  }
}
