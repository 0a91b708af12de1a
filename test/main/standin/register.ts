/**
 * Loaded with `node --import` before the built main: maps `electron` to the stand-in (nothing here
 * can run Electron itself), can make `sharp` fail to load the way a missing native binary does,
 * and can pose as another OS. Used by the boot tests only.
 */
import { registerHooks } from 'node:module'

const standinUrl = new URL(
  process.env.STANDIN_MINIMAL === '1' ? './electron-minimal.ts' : './electron.ts',
  import.meta.url,
).href
const brokenSharp = 'standin:broken-sharp'

if (process.env.STANDIN_PLATFORM)
  Object.defineProperty(process, 'platform', { value: process.env.STANDIN_PLATFORM })

registerHooks({
  resolve(specifier, context, next) {
    if (specifier === 'electron') return { url: standinUrl, shortCircuit: true }
    if (specifier === 'sharp' && process.env.STANDIN_SHARP === 'broken')
      return { url: brokenSharp, format: 'module', shortCircuit: true }
    return next(specifier, context)
  },
  load(url, context, next) {
    if (url === brokenSharp)
      return {
        format: 'module',
        shortCircuit: true,
        // What sharp throws when its native binary is missing or built for another platform.
        source:
          'throw new Error(\'Could not load the "sharp" module using the linux-x64 runtime\')\n' +
          'export default null',
      }
    return next(url, context)
  },
})
