import { readFile } from 'node:fs/promises'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  autostartEntry,
  desktopExecArg,
  launchCommand,
  setLinuxAutostart,
} from '../../src/main/login-item.ts'
import { tempFolders } from '../support/temp-folders.ts'

describe('start at login on Linux', () => {
  const tempFolder = tempFolders()
  it('quotes the command as the desktop entry spec asks', () => {
    expect(desktopExecArg('/opt/Playbook/playbook-sync')).toBe('/opt/Playbook/playbook-sync')
    expect(desktopExecArg('/home/a b/Play #1 100%/x')).toBe('"/home/a b/Play #1 100%%/x"')
    expect(desktopExecArg('/a/"q"$x`y`\\z')).toBe('"/a/\\"q\\"\\$x\\`y\\`\\\\z"')
    expect(autostartEntry(['/opt/p s/app', '--hidden'])).toMatch(
      /^Exec="\/opt\/p s\/app" --hidden$/m,
    )
  })

  it('starts the AppImage itself, not its temporary mount', () => {
    const base = { execPath: '/tmp/.mount_x/playbook-sync', argv: ['x'], defaultApp: false }
    expect(launchCommand({ ...base, env: { APPIMAGE: '/home/u/Apps/Playbook.AppImage' } })).toEqual(
      ['/home/u/Apps/Playbook.AppImage'],
    )
    expect(launchCommand({ ...base, env: {} })).toEqual(['/tmp/.mount_x/playbook-sync'])
  })

  it('writes and removes the autostart entry under XDG_CONFIG_HOME', async () => {
    const config = await tempFolder('pbs-xdg-')
    const env = { XDG_CONFIG_HOME: config, HOME: '/nonexistent' }
    const file = join(config, 'autostart', 'playbook-sync.desktop')
    await setLinuxAutostart(true, ['/opt/app'], env)
    expect(await readFile(file, 'utf8')).toContain('Exec=/opt/app --hidden')
    await setLinuxAutostart(false, ['/opt/app'], env)
    expect(existsSync(file)).toBe(false)
  })
})
