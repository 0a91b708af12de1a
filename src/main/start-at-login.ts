/**
 * "Start at login" applied the way each OS needs it: an autostart entry on Linux, the login item
 * elsewhere. A failure is logged, never thrown (the setting stays as the user chose it).
 */
import { app } from './electron-api.ts'
import type { Logger } from '../engine/engine-types.ts'
import { launchCommand, setLinuxAutostart, hiddenArg } from './login-item.ts'

/** Applies "Start at login" the way each OS needs it. */
export async function applyLoginItem(enabled: boolean, log: Logger): Promise<void> {
  try {
    if (process.platform === 'linux') {
      const command = launchCommand({
        execPath: process.execPath,
        argv: process.argv,
        defaultApp: Boolean(process.defaultApp),
        env: process.env,
      })
      await setLinuxAutostart(enabled, command, process.env)
    } else {
      app.setLoginItemSettings({ openAtLogin: enabled, args: [hiddenArg] })
    }
  } catch (error) {
    log.warn('Could not change start at login', { error: (error as Error).message })
  }
}
