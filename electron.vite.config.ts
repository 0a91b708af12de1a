import { resolve } from 'node:path'
import { defineConfig } from 'electron-vite'
import type { Plugin } from 'vite'
import { devCsp } from './scripts/dev-csp.ts'

/**
 * Marks the renderer's start-up bundle with V8's compile hint: every function in it runs while the
 * first screen is drawn, so V8 compiles them all as the file streams in, off the main thread,
 * instead of one by one on the main thread in the middle of the first render. The screens loaded
 * later keep lazy compilation.
 */
function compileHintForEntry(): Plugin {
  return {
    name: 'compile-hint-for-entry',
    apply: 'build',
    // After Vite's own bundle hooks, which put their helpers at the top of the file.
    generateBundle: {
      order: 'post',
      handler(_options, bundle) {
        for (const chunk of Object.values(bundle)) {
          if (chunk.type === 'chunk' && chunk.isEntry) {
            chunk.code = `//# allFunctionsCalledOnLoad\n${chunk.code}`
          }
        }
      },
    },
  }
}

/** Builds the three Electron bundles: out/main (ESM), out/preload (CommonJS, sandbox-safe), out/renderer. */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: { input: { index: resolve(import.meta.dirname, 'src/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      // A sandboxed preload cannot load ES modules or local files: bundle everything into one CJS file.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    // The renderer runs on Preact's React-compatible runtime: the same components and hooks
    // (written against React's API and types) in a start-up bundle a third the size, which is
    // what the first frame of the activity list waits for. Aliased in dev and build alike, so
    // what runs in development is what ships (dev reloads the page on a change, no fast refresh).
    resolve: {
      alias: {
        react: 'preact/compat',
        'react-dom': 'preact/compat',
      },
    },
    plugins: [
      compileHintForEntry(),
      {
        // Vite's injected styles and React fast refresh are inline, in dev only; production keeps
        // the strict CSP.
        name: 'dev-csp',
        apply: 'serve',
        transformIndexHtml: devCsp,
      },
    ],
    build: {
      outDir: 'out/renderer',
      minify: true,
      rollupOptions: {
        input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') },
        // lucide-react marks its modules "use client" (a server-components hint with no meaning
        // in a client bundle); React's Vite plugin hid the warnings, this keeps them out too.
        onwarn(warning, warn) {
          if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning)
        },
      },
    },
  },
})
