/** Runs an async action from a button: tracks busy, and shows a failure as a toast. */
import { useCallback, useState } from 'react'
import { showToast } from '../store/app-store.ts'
import { errorMessage } from '../store/host-sync.ts'

/** Returns [run, busy]; `run` never throws. */
export function useAction<Args extends unknown[]>(
  action: (...args: Args) => Promise<unknown>,
  failure: string,
): [(...args: Args) => Promise<void>, boolean] {
  const [busy, setBusy] = useState(false)
  const run = useCallback(
    async (...args: Args) => {
      setBusy(true)
      try {
        await action(...args)
      } catch (error) {
        showToast({ level: 'error', message: `${failure}: ${errorMessage(error)}` })
      } finally {
        setBusy(false)
      }
    },
    [action, failure],
  )
  return [run, busy]
}
