/**
 * A stand-in Electron folder for electron-builder's `electronDist` where no Electron binary can
 * be downloaded: an `electron` executable that only says it is a stand-in, carrying the fuse wire
 * (@electron/fuses' sentinel, version 1, eight fuses in Electron's initial states) so the
 * packaging step that sets the fuses runs for real, and the `resources/` folder. The installers
 * made with it cannot run; CI packs with the real binary.
 */
import { chmod, mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

/** @electron/fuses' sentinel: the fuse wire follows it. */
export const fuseSentinel = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'

/** Electron's fuses as the binary ships them: RunAsNode on, cookie encryption off, … */
const initialFuses = '10110001'

/** Writes the stand-in folder at `dir` and returns it. */
export async function makeStandinElectronDist(dir: string): Promise<string> {
  await mkdir(join(dir, 'resources'), { recursive: true })
  const script = [
    '#!/bin/sh',
    'echo "This is a stand-in for the Electron binary (packed where none could be downloaded)." >&2',
    'exit 1',
    '',
  ].join('\n')
  const wire = Buffer.concat([
    Buffer.from(`${script}# `),
    Buffer.from(fuseSentinel),
    Buffer.from([1, initialFuses.length]),
    Buffer.from(initialFuses),
    Buffer.from('\n'),
  ])
  const exe = join(dir, 'electron')
  await writeFile(exe, wire)
  await chmod(exe, 0o755)
  await writeFile(join(dir, 'version'), '45.4.1')
  await writeFile(join(dir, 'LICENSE'), 'Stand-in for the Electron binary (MIT, GitHub Inc.)\n')
  return dir
}
