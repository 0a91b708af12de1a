// @ts-check
import js from '@eslint/js'
import { defineConfig, globalIgnores } from 'eslint/config'
import globals from 'globals'
import reactHooks from 'eslint-plugin-react-hooks'
import tseslint from 'typescript-eslint'

const noElectron = {
  name: 'electron',
  message:
    'Only src/main and src/preload may import electron: the engine, CLI, sandbox and renderer run without it.',
}
const rawIpc = {
  name: 'electron',
  importNames: ['ipcMain', 'ipcRenderer'],
  message: 'Use the typed IPC wrappers (src/main/ipc/serve-contract.ts, src/preload/index.ts).',
}

export default defineConfig(
  globalIgnores([
    'out/**',
    'node_modules/**',
    'test-results/**',
    'playwright-report/**',
    'bench/results/**',
  ]),
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-imports': ['error', { paths: [noElectron] }],
    },
  },
  {
    files: ['src/main/**/*.ts', 'src/preload/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [rawIpc] }] },
  },
  {
    // The two IPC wrappers are the only places raw ipcMain / ipcRenderer are used (electron-api.ts
    // only passes Electron's modules on).
    files: ['src/main/ipc/serve-contract.ts', 'src/preload/index.ts', 'src/main/electron-api.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    // The stand-in `electron` the boot tests load in place of Electron checks itself against
    // Electron's types (type-only imports).
    files: ['test/main/standin/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'src/host/client/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
)
