/**
 * Sign-in links from the OS (argv at a cold start, `second-instance`, macOS `open-url`): untrusted
 * input, parsed strictly, held until the engine and window exist, considered only while the app
 * waits for one (the engine checks its nonce and age), confirmed by the user in a dialog naming the
 * e-mail it was requested for, one at a time.
 */
import type { BrowserWindow } from 'electron'
import { dialog } from './electron-api.ts'
import type { Engine, Logger } from '../engine/engine-types.ts'
import { decideLink, findDeepLink, linkScheme, parseDeepLink, type AuthLink } from './deep-link.ts'

/** What the link handler needs from main. */
export interface LinkHost {
  /** The running engine once start-up finished, else null. */
  engine(): Engine | null
  window(): BrowserWindow | null
  showWindow(): void
  /** Tells the user a link failed (a notification). */
  failed(message: string): void
  readonly log: Logger
}

/** The link handler: `take` for raw values, `flush` once start-up finished. */
export function createLinkHandler(host: LinkHost, initial: readonly string[]) {
  let pending: AuthLink | null = findDeepLink(initial)
  let inFlight = false
  const { log } = host

  async function complete(link: AuthLink): Promise<void> {
    const engine = host.engine()
    if (!engine) {
      // Too early (or quitting): flush() picks it up once the window and handlers exist.
      pending = link
      return
    }
    if (inFlight) {
      log.warn('Ignored a sign-in link: another one is being handled')
      return
    }
    inFlight = true
    try {
      host.showWindow()
      const decision = decideLink(engine.session())
      if (decision.kind === 'ignore') {
        log.warn('Ignored a sign-in link', { reason: decision.reason })
        return
      }
      const options = {
        type: 'question' as const,
        message: `Sign in to Playbook as ${decision.email}?`,
        detail:
          `A sign-in link was opened. Continue only if it came from the e-mail sent to ${decision.email}: ` +
          'the link signs this app into that account, and your folders would sync there.',
        buttons: ['Sign in', 'Ignore'],
        defaultId: 1,
        cancelId: 1,
      }
      const win = host.window()
      const choice = win
        ? await dialog.showMessageBox(win, options)
        : await dialog.showMessageBox(options)
      if (choice.response !== 0) {
        log.info('A sign-in link was ignored by the user')
        return
      }
      await engine.completeMagicLink(link.link)
      log.info('Signed in with a magic link')
    } catch (error) {
      log.warn('Magic link refused', { error: (error as Error).message })
      host.failed((error as Error).message)
    } finally {
      inFlight = false
    }
  }

  return {
    /** One value from open-url. */
    take(raw: unknown): void {
      const link = parseDeepLink(raw)
      if (!link) {
        log.warn('Ignored a playbook-sync link that is not a sign-in link')
        return
      }
      void complete(link)
    },
    /** A second instance's command line. */
    takeArgv(argv: readonly string[]): void {
      const link = findDeepLink(argv)
      if (link) void complete(link)
      else if (argv.some((arg) => arg.toLowerCase().startsWith(`${linkScheme}:`)))
        log.warn('Ignored a playbook-sync link that is not a sign-in link')
    },
    /** Completes a link that arrived before start-up finished. */
    async flush(): Promise<void> {
      if (!pending) return
      const link = pending
      pending = null
      await complete(link)
    },
  }
}
