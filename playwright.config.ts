import { defineConfig } from '@playwright/test'
import { chromiumPath, chromiumArgs } from './test/e2e/support/chromium.ts'

/**
 * Browser E2E: the built renderer in the system's Chromium (never a downloaded browser), and the
 * Electron app where an Electron binary exists (those specs skip with a reason otherwise).
 */
export default defineConfig({
  testDir: 'test/e2e',
  timeout: 60_000,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: process.env.CI ? [['list']] : [['list']],
  outputDir: 'test-results',
  projects: [
    {
      name: 'chromium',
      testIgnore: /electron\//,
      use: {
        browserName: 'chromium',
        headless: true,
        launchOptions: { executablePath: chromiumPath(), args: [...chromiumArgs] },
      },
    },
    { name: 'electron', testMatch: /electron\/.*\.spec\.ts/ },
  ],
})
