/**
 * The contract's handlers for the settings screen: the app-wide settings (applied to the running
 * engine before they are stored, see contract-handlers-context.ts) and the plugin host's switch.
 */
import type { AppSettings } from '../shared/contract.ts'
import type { FeatureHandlers, HandlerContext } from './contract-handlers-context.ts'

/** The app-wide settings as the host stores them. */
export function settingsHandlers({ platform }: HandlerContext): FeatureHandlers<'settings'> {
  return {
    'settings:get': () => platform.settings.get(),
    'settings:set': (req) => platform.settings.set(req as Partial<AppSettings>),
  }
}

/** The plugin host: its state, turning it on or off or moving it, and the items it has seen. */
export function pluginHandlers({ platform, folders }: HandlerContext): FeatureHandlers<'plugins'> {
  return {
    'plugins:get': () => platform.plugins.state(),
    'plugins:set': (req) => {
      const { dest, ...rest } = req
      const path = dest === undefined ? undefined : folders.take(dest, 'plugin-dest').path
      return platform.plugins.set({ ...rest, ...(path === undefined ? {} : { dest: path }) })
    },
    'plugins:items': () => platform.plugins.items(),
  }
}
