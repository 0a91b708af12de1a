import { defineConfig } from 'vitest/config'

/** Unit and integration tests (Node): the engine, sandbox, CLI and shared code. Browser E2E is Playwright's. */
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e/**', 'node_modules/**'],
    environment: 'node',
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: process.env.CI ? ['default'] : ['default'],
  },
})
