/**
 * Desktop notifications, shown only where the OS has them: a desktop without a notification
 * centre (or a stand-in Electron) must never stop what asked for one.
 */
import { Notification } from './electron-api.ts'

/** Shows a desktop notification when the OS has them; never throws. */
export function showNotification(title: string, body: string): void {
  try {
    if (Notification.isSupported()) new Notification({ title, body }).show()
  } catch {
    // No notification centre: the tray and the window still say it.
  }
}
