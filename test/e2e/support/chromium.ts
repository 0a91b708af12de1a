import { existsSync } from 'node:fs'

/**
 * Browser features switched off. Chromium reads only the last `--disable-features` it is given, so
 * this one repeats those Playwright switches off by default and adds the omnibox popup's WebUI:
 * without it a headless browser loads that popup in a renderer of its own at every new page, busy
 * work on the same cores as the page under test (Puppeteer switches it off by default too).
 */
const disabledFeatures: readonly string[] = [
  // Playwright's own list (its launcher passes these; ours replaces it).
  'AvoidUnnecessaryBeforeUnloadCheckSync',
  'DestroyProfileOnBrowserClose',
  'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable',
  'LensOverlay',
  'MediaRouter',
  'PaintHolding',
  'ThirdPartyStoragePartitioning',
  'AvoidCorsURLLoaderRestartOnRedirect',
  'OptimizationHints',
  'NetworkTimeServiceQuerying',
  'AimEnabled',
  'PreconnectToSearch',
  // Added: the browser's own omnibox popup, which no page here (and no Electron window) has.
  'WebUIOmniboxPopup',
  'WebUIOmniboxAimPopup',
]

/** Flags that keep the system Chromium headless-safe and off the network. */
export const chromiumArgs: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
  `--disable-features=${disabledFeatures.join(',')}`,
]

/** Where the system Chromium lives: CHROMIUM_PATH, else the usual Linux/macOS/Windows locations. */
export function chromiumPath(): string | undefined {
  const candidates = [
    process.env.CHROMIUM_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
  ]
  return candidates.find((p): p is string => Boolean(p && existsSync(p)))
}
