/**
 * A component whose code loads when first shown (or when `preload` asks for it ahead of time),
 * so start-up parses and runs only what the first screen needs. Once loaded it renders at once,
 * without suspending: a screen preloaded after the first paint opens with no loading state.
 */
import { lazy, useState, type ComponentType, type JSX } from 'react'

/** A lazily loaded component and the function that fetches its code ahead of time. */
export interface LazyComponent<P extends object> {
  readonly Component: (props: P) => JSX.Element
  /** Starts loading the code (idempotent); resolves when it is there. */
  readonly preload: () => Promise<void>
}

/**
 * Wraps `load` (a dynamic import picking one named export). Render `Component` inside a
 * `<Suspense>`: it suspends only while the code is still on its way.
 */
export function lazyComponent<P extends object>(
  load: () => Promise<ComponentType<P>>,
): LazyComponent<P> {
  let loaded: ComponentType<P> | undefined
  let loading: Promise<ComponentType<P>> | undefined
  const start = (): Promise<ComponentType<P>> => {
    loading ??= load().then(
      (component) => (loaded = component),
      (error: unknown) => {
        // A failed load (a file missing mid-update) is tried again the next time it is asked for.
        loading = undefined
        throw error
      },
    )
    return loading
  }
  const Suspending = lazy(() => start().then((component) => ({ default: component })))
  function Component(props: P): JSX.Element {
    // Chosen once per mount: switching from the suspending wrapper to the loaded component
    // would remount the screen and lose what the user typed in it.
    const [Chosen] = useState<ComponentType<P>>(() => loaded ?? Suspending)
    return <Chosen {...props} />
  }
  return {
    Component,
    preload: () => start().then(() => undefined),
  }
}
