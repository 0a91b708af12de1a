/**
 * The main-process IPC wrapper: registers one handler per contract channel, checks that the sender
 * is our own window, and validates every payload before it reaches the engine.
 */
import { ipcMain, type WebContents } from 'electron'
import {
  invokeChannels,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
  type InvokeRequest,
  type InvokeResponse,
} from '../../shared/contract.ts'

/** One implementation per invoke channel; the same handlers serve the headless host. */
export type ContractHandlers = {
  readonly [C in InvokeChannel]: (payload: InvokeRequest<C>) => Promise<InvokeResponse<C>> | InvokeResponse<C>
}

/** Serves `handlers` over IPC for senders accepted by `isTrustedSender`. Returns an unregister function. */
export function serveContract(
  handlers: ContractHandlers,
  isTrustedSender: (sender: WebContents, frameUrl: string | undefined) => boolean,
): () => void {
  const channels = Object.keys(invokeChannels) as InvokeChannel[]
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, raw: unknown) => {
      if (!isTrustedSender(event.sender, event.senderFrame?.url)) {
        throw new Error(`IPC ${channel}: refused a call from an untrusted sender`)
      }
      const parsed = invokeChannels[channel].request.safeParse(raw)
      if (!parsed.success) {
        throw new Error(`IPC ${channel}: invalid payload: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`).join('; ')}`)
      }
      const handler = handlers[channel] as (payload: unknown) => unknown
      return handler(parsed.data)
    })
  }
  return () => channels.forEach((c) => ipcMain.removeHandler(c))
}

/** Sends one typed event to a window. */
export function sendEvent<E extends EventChannel>(target: WebContents, channel: E, payload: EventPayload<E>): void {
  if (!target.isDestroyed()) target.send(channel, payload)
}
