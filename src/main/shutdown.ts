/**
 * Quitting within a bound: closing the engine and the plugin host gets a few seconds, then the app
 * exits whatever is still pending (a request that hangs cannot keep the process alive; the queue
 * is persisted before every network step, so nothing is lost). Pure timing logic, no Electron.
 */

/** How long quitting waits for the engine and plugins to close. */
export const quitBoundMs = 5000

/** Runs `closers` once, then `finish` when they settle or the bound passes, whichever is first. */
export function createShutdown(input: {
  readonly boundMs?: number
  onTimeout(): void
  finish(): void
}): { begin(closers: () => readonly (Promise<unknown> | undefined)[]): void; started(): boolean } {
  let started = false
  return {
    started: () => started,
    begin(closers) {
      if (started) return
      started = true
      let timer: ReturnType<typeof setTimeout> | undefined
      const bound = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), input.boundMs ?? quitBoundMs)
      })
      let pending: readonly (Promise<unknown> | undefined)[] = []
      try {
        pending = closers()
      } catch {
        pending = []
      }
      void Promise.race([Promise.allSettled(pending).then(() => 'closed' as const), bound]).then(
        (how) => {
          clearTimeout(timer)
          if (how === 'timeout') input.onTimeout()
          input.finish()
        },
      )
    },
  }
}
