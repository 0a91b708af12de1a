/**
 * The one implementation of the IPC contract over the `Engine`. Electron's IPC wrapper and the
 * headless host's WebSocket both serve exactly these handlers; neither has logic of its own. What
 * differs between hosts (native dialogs, the browser, where settings live) comes in as a platform.
 * Each feature's handlers live in a contract-handlers-<feature>.ts file; they are put together
 * here, where the compiler checks that every channel of the contract has exactly one.
 */
import { drawFirstScreen } from './first-screen.ts'
import type { ContractHandlers, EmitEvent } from '../shared/contract.ts'
import type { Engine } from './engine-types.ts'
import type { HandlerPlatform } from './contract-handlers-platform.ts'
import { createHandlerContext } from './contract-handlers-context.ts'
import { boardHandlers, sessionHandlers } from './contract-handlers-account.ts'
import { appHandlers, shellHandlers, updateHandlers } from './contract-handlers-app.ts'
import { dialogHandlers } from './contract-handlers-folders.ts'
import { issueHandlers, statusHandlers } from './contract-handlers-issues.ts'
import { jobHandlers, uploadHandlers } from './contract-handlers-jobs.ts'
import { pairHandlers } from './contract-handlers-pairs.ts'
import { pluginHandlers, settingsHandlers } from './contract-handlers-settings.ts'

export {
  configuredApi,
  productionApiUrl,
  type FolderRequest,
  type HandlerPlatform,
  type SettingsPort,
  type UpdatePort,
} from './contract-handlers-platform.ts'
export { playbookWebUrl } from './contract-handlers-account.ts'
export { userPriority } from './contract-handlers-jobs.ts'
export { typedFolder } from './contract-handlers-folders.ts'
export {
  bridgeEngineEvents,
  bridgePluginEvents,
  type BridgeOptions,
} from './contract-handlers-events.ts'

/**
 * Builds the handlers for every invoke channel over `engine`, with host specifics from `platform`.
 * `emit` (optional) tells renderers when settings change.
 */
export function createContractHandlers(
  engine: Engine,
  host: HandlerPlatform,
  emit?: EmitEvent,
): ContractHandlers {
  const context = createHandlerContext(engine, host, emit)
  const handlers: ContractHandlers = {
    ...appHandlers(context),
    ...sessionHandlers(context),
    ...boardHandlers(context),
    ...jobHandlers(context),
    ...uploadHandlers(context),
    ...pairHandlers(context),
    ...statusHandlers(context),
    ...issueHandlers(context),
    ...dialogHandlers(context),
    ...settingsHandlers(context),
    ...shellHandlers(context),
    ...pluginHandlers(context),
    ...updateHandlers(context),
    // Drawn from the other handlers' answers, as the renderer would ask for them.
    'first-screen:draw': (request) =>
      drawFirstScreen(
        handlers,
        host.firstScreen?.draw ?? null,
        (error) => host.firstScreen?.onError(error),
        request?.viewHeight,
      ),
  }
  return handlers
}
