/**
 * The main-process IPC wrapper: registers one handler per contract channel, checks that the sender
 * is our own window showing our renderer, and validates every payload before it reaches a handler.
 */
import type { WebContents } from 'electron'
import { ipcMain } from '../electron-api.ts'
import {
  invokeChannels,
  parseRequest,
  type ContractHandlers,
  type EventChannel,
  type EventPayload,
  type InvokeChannel,
} from '../../shared/contract.ts'

/** Serves `handlers` over IPC for senders accepted by `isTrustedSender`. Returns an unregister function. */
export function serveContract(
  handlers: ContractHandlers,
  isTrustedSender: (sender: WebContents, frameUrl: string | undefined) => boolean,
): () => void {
  const channels = Object.keys(invokeChannels) as InvokeChannel[]
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, raw: unknown) => {
      // Only the top frame of our window: a sub-frame (even one showing our URL) never gets in.
      const frame = event.senderFrame
      if (!frame || frame.parent !== null || !isTrustedSender(event.sender, frame.url)) {
        throw new Error(`IPC ${channel}: refused a call from an untrusted sender`)
      }
      const request = parseRequest(channel, raw)
      const handler = handlers[channel] as (payload: unknown) => unknown
      return handler(request)
    })
  }
  return () => channels.forEach((c) => ipcMain.removeHandler(c))
}

/**
 * Drops what a library registered on a channel outside the contract (electron-log's and
 * electron-store's renderer bridges): main answers nothing but the contract.
 */
export function dropForeignChannel(channel: string): void {
  if (Object.hasOwn(invokeChannels, channel)) return
  try {
    ipcMain.removeHandler(channel)
    ipcMain.removeAllListeners(channel)
  } catch {
    // Nothing registered there, or a runtime without these: nothing to drop.
  }
}

/** Sends one typed event to a window. */
export function sendEvent<E extends EventChannel>(
  target: WebContents,
  channel: E,
  payload: EventPayload<E>,
): void {
  if (!target.isDestroyed()) target.send(channel, payload)
}
