#!/usr/bin/env node
// Launcher for the built CLI. The engine needs node:sqlite (Node >= 22.13); when the Node on PATH
// is older, re-run with the Node the project installs as a dev dependency.
import { spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const entry = join(root, 'out', 'cli', 'index.js')
const [major, minor] = process.versions.node.split('.').map(Number)
const modern = major > 22 || (major === 22 && minor >= 13)

if (!existsSync(entry)) {
  process.stderr.write('playbook-sync: the CLI is not built yet. Run `npm run build` first.\n')
  process.exit(2)
}

if (modern) {
  await import(pathToFileURL(entry).href)
} else {
  let nodeBin
  try {
    const require = createRequire(import.meta.url)
    const pkgDir = dirname(require.resolve('node/package.json', { paths: [root] }))
    nodeBin = [join(pkgDir, 'bin', 'node'), join(pkgDir, 'bin', 'node.exe')].find(existsSync)
  } catch {
    nodeBin = undefined
  }
  if (!nodeBin) {
    process.stderr.write(
      `playbook-sync: needs Node >= 22.13 (this is ${process.versions.node}). Install it, or run \`npm install\` in the project.\n`,
    )
    process.exit(2)
  }
  const child = spawn(nodeBin, [entry, ...process.argv.slice(2)], { stdio: 'inherit' })
  // Ctrl-C reaches the whole process group already: let the child handle it and wait for it.
  process.on('SIGINT', () => {})
  for (const sig of ['SIGTERM', 'SIGHUP']) process.on(sig, () => child.kill(sig))
  const signals = { SIGINT: 2, SIGTERM: 15, SIGHUP: 1, SIGKILL: 9 }
  child.on('exit', (code, signal) =>
    process.exit(signal ? 128 + (signals[signal] ?? 1) : (code ?? 1)),
  )
}
