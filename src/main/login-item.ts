/**
 * "Start at login". macOS and Windows through Electron's login items; Linux through an XDG
 * autostart entry (`~/.config/autostart/playbook-sync.desktop`), which Electron does not write.
 * The app then starts hidden in the tray (`--hidden`).
 */
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { homedir } from 'node:os'
import { join } from 'node:path'

/** The argument a login start passes, so the window stays hidden. */
export const hiddenArg = '--hidden'

/** The autostart entry's file name. */
export const autostartFileName = 'playbook-sync.desktop'

/** Quotes one Exec argument as the desktop entry spec asks (and doubles `%`, a field code). */
export function desktopExecArg(arg: string): string {
  const escaped = arg.replace(/(["`$\\])/g, '\\$1').replace(/%/g, '%%')
  return /[\s"'`$\\<>~|&;*?#()%]/.test(arg) ? `"${escaped}"` : escaped
}

/** The autostart entry for a command line. */
export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Name=Playbook Sync',
    'Comment=Keeps your folders in sync with Playbook boards',
    `Exec=${command.map(desktopExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n')
}

/** The folder autostart entries live in (XDG_CONFIG_HOME or ~/.config). */
export function autostartDir(env: Readonly<Record<string, string | undefined>>): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/')
      ? env.XDG_CONFIG_HOME
      : join(env.HOME ?? homedir(), '.config')
  return join(base, 'autostart')
}

/**
 * Writes or removes the Linux autostart entry. `command` starts this copy: the AppImage's own path
 * when running from one (its mount point changes every run), else the executable.
 */
export async function setLinuxAutostart(
  enabled: boolean,
  command: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): Promise<void> {
  const dir = autostartDir(env)
  const file = join(dir, autostartFileName)
  if (!enabled) {
    await rm(file, { force: true })
    return
  }
  await mkdir(dir, { recursive: true })
  await writeFile(file, autostartEntry([...command, hiddenArg]), { mode: 0o644 })
}

/** The command line that starts this copy of the app. */
export function launchCommand(input: {
  readonly execPath: string
  readonly argv: readonly string[]
  readonly defaultApp: boolean
  readonly env: Readonly<Record<string, string | undefined>>
}): string[] {
  if (input.env.APPIMAGE) return [input.env.APPIMAGE]
  // `electron .` in development: the app's folder is the first argument.
  if (input.defaultApp && input.argv[1]) return [input.execPath, input.argv[1]]
  return [input.execPath]
}
