/** Waits for the store to hold the first screen's data (see lib/first-screen.ts). */
import { firstScreenReady } from '../lib/first-screen.ts'
import { useAppStore } from './app-store.ts'

/** Resolves once `firstScreenReady` holds for the store. */
export function whenFirstScreenReady(): Promise<void> {
  return new Promise((resolve) => {
    if (firstScreenReady(useAppStore.getState())) return resolve()
    const off = useAppStore.subscribe((state) => {
      if (!firstScreenReady(state)) return
      off()
      resolve()
    })
  })
}
