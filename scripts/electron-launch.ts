/**
 * `npm start` and `npm run dev`: runs electron-vite (preview or dev) after two checks that the
 * Electron CLI does not make. (1) Electron 45 has no install script, so after `npm ci` its binary
 * is missing: fetch it once with its own install.js, and where that cannot download, say so and
 * point at the headless host instead of failing with "Electron uninstall". (2) On Linux
 * distributions that restrict unprivileged user namespaces (Ubuntu 24.04+), Chromium's sandbox
 * cannot start unless chrome-sandbox is root-owned and setuid: in development only, run with
 * `--no-sandbox` and say so. Installed packages (deb, AppImage) set the sandbox up themselves.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join, resolve } from 'node:path'

/** The Electron binary under `root`, or null when it was never downloaded. */
export function electronBinary(root: string): string | null {
  try {
    const dir = join(root, 'node_modules', 'electron')
    const name = readFileSync(join(dir, 'path.txt'), 'utf8').trim()
    const binary = join(dir, 'dist', name)
    return name !== '' && existsSync(binary) ? binary : null
  } catch {
    return null
  }
}

/** What decides whether Chromium's sandbox can start on Linux. */
export interface SandboxFacts {
  readonly platform: string
  /** chrome-sandbox's owner uid and mode, or null when it is missing. */
  readonly helper: { readonly uid: number; readonly mode: number } | null
  /** kernel.apparmor_restrict_unprivileged_userns ('1' restricts), or null when absent. */
  readonly appArmorRestricts: string | null
  /** kernel.unprivileged_userns_clone ('0' forbids), or null when absent. */
  readonly usernsClone: string | null
}

/** True when development runs must pass --no-sandbox for Electron to start at all. */
export function needsNoSandbox(facts: SandboxFacts): boolean {
  if (facts.platform !== 'linux') return false
  const helperReady =
    facts.helper !== null && facts.helper.uid === 0 && (facts.helper.mode & 0o4000) !== 0
  if (helperReady) return false
  return facts.appArmorRestricts?.trim() === '1' || facts.usernsClone?.trim() === '0'
}

const readOrNull = (path: string) => {
  try {
    return readFileSync(path, 'utf8')
  } catch {
    return null
  }
}

/** Reads the facts from this machine. */
export function sandboxFacts(binary: string): SandboxFacts {
  let helper: SandboxFacts['helper'] = null
  try {
    const st = statSync(join(binary, '..', 'chrome-sandbox'))
    helper = { uid: st.uid, mode: st.mode }
  } catch {
    helper = null
  }
  return {
    platform: process.platform,
    helper,
    appArmorRestricts: readOrNull('/proc/sys/kernel/apparmor_restrict_unprivileged_userns'),
    usernsClone: readOrNull('/proc/sys/kernel/unprivileged_userns_clone'),
  }
}

/** The message shown when no Electron binary can be had. */
export const noElectronMessage = [
  'Playbook Sync: no Electron binary is installed, and it could not be downloaded here.',
  'Electron 45 no longer downloads its binary on `npm install`; where downloads work, run',
  '  node node_modules/electron/install.js',
  'Without Electron, run the same app in your browser with the headless host:',
  '  npx playbook-sync host',
].join('\n')

function main(): number {
  const mode = process.argv[2] === 'dev' ? 'dev' : 'preview'
  const root = process.cwd()
  let binary = electronBinary(root)
  if (!binary && existsSync(join(root, 'node_modules', 'electron', 'install.js'))) {
    console.log('Electron binary missing: downloading it once (node_modules/electron/install.js)…')
    spawnSync(process.execPath, [join(root, 'node_modules', 'electron', 'install.js')], {
      cwd: root,
      stdio: 'inherit',
    })
    binary = electronBinary(root)
  }
  if (!binary) {
    console.error(noElectronMessage)
    return 1
  }
  const args = [mode, ...process.argv.slice(3)]
  if (needsNoSandbox(sandboxFacts(binary))) {
    console.warn(
      'This Linux restricts unprivileged user namespaces and chrome-sandbox is not set up: ' +
        'starting without the Chromium sandbox (development only). To keep it, run\n' +
        `  sudo chown root ${join(binary, '..', 'chrome-sandbox')} && sudo chmod 4755 ${join(binary, '..', 'chrome-sandbox')}`,
    )
    args.push('--noSandbox')
  }
  const cli = join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js')
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, stdio: 'inherit' }).status ?? 1
}

// Run as a script (not when a test imports the checks).
if (process.argv[1] && resolve(process.argv[1]) === import.meta.filename) process.exit(main())
