/**
 * `npm run package -- [electron-builder options]`: builds the installers with electron-builder
 * (`--dir` for the unpacked app only). Where the Electron binary is missing (it cannot be
 * downloaded), packs with a stand-in Electron folder and says so: the layout, the asar and the
 * fuses are real, the executable is not. Never publishes unless `--publish` is given.
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { makeStandinElectronDist } from './standin-electron-dist.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

/** The real Electron binary's folder, or null when it was never downloaded. */
function electronDist(): string | null {
  try {
    const dir = join(root, 'node_modules', 'electron')
    const name = readFileSync(join(dir, 'path.txt'), 'utf8').trim()
    return existsSync(join(dir, 'dist', name)) ? join(dir, 'dist') : null
  } catch {
    return null
  }
}

const args = process.argv.slice(2)
if (!args.some((a) => a.startsWith('--publish') || a === '-p')) args.push('--publish', 'never')
if (!electronDist() && !args.some((a) => a.includes('electronDist'))) {
  if (process.platform !== 'linux') {
    console.error(
      'No Electron binary here: run `node node_modules/electron/install.js` first (it downloads it).',
    )
    process.exit(1)
  }
  const dist = await makeStandinElectronDist(
    join(root, 'node_modules', '.cache', 'electron-standin'),
  )
  console.warn(
    `No Electron binary here: packing with a stand-in Electron folder (${dist}). ` +
      'The layout, asar and fuses are real; the executable is not. Run `node node_modules/electron/install.js` where downloads work for installers that run.',
  )
  args.push(`-c.electronDist=${dist}`)
}
const result = spawnSync(
  process.execPath,
  [join(root, 'node_modules', 'electron-builder', 'cli.js'), ...args],
  { cwd: root, stdio: 'inherit' },
)
process.exit(result.status ?? 1)
