import { resolve } from 'node:path'
import { defineConfig } from 'vite'

/**
 * Builds the renderer's first screen for Node (out/first-screen/index.js): Electron's main and the
 * headless host draw it into the page before the renderer's script runs. Self-contained (Preact,
 * zustand and the icons are bundled in, aliased as in the renderer), so it needs nothing at run
 * time from node_modules.
 */
export default defineConfig({
  resolve: { alias: { react: 'preact/compat', 'react-dom': 'preact/compat' } },
  ssr: { noExternal: true },
  build: {
    ssr: true,
    target: 'node22',
    outDir: 'out/first-screen',
    emptyOutDir: true,
    minify: false,
    rollupOptions: {
      input: { index: resolve(import.meta.dirname, 'src/renderer/src/first-screen-markup.tsx') },
      output: { format: 'es', entryFileNames: '[name].js', inlineDynamicImports: true },
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning)
      },
    },
  },
})
