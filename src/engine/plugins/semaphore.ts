/**
 * Bounds how many transfers the plugin host runs at once, across all invocations, so a plugin
 * run on 500 assets cannot open 500 connections.
 */

/** Returns a function that runs `work` when one of `limit` slots is free. */
export function semaphore(limit: number): <T>(work: () => Promise<T>) => Promise<T> {
  let running = 0
  const waiting: (() => void)[] = []
  return async (work) => {
    if (running < limit) running++
    else await new Promise<void>((resolve) => waiting.push(resolve)) // the slot is handed over
    try {
      return await work()
    } finally {
      const next = waiting.shift()
      if (next === undefined) running--
      else next()
    }
  }
}
