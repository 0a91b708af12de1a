/**
 * The contract's handlers for the app itself: what is running, the browser and the log file, and
 * the self-update (which a host without one answers as disabled, in words).
 */
import type { UpdateStatus } from '../shared/update-models.ts'
import type { FeatureHandlers, HandlerContext } from './contract-handlers-context.ts'

/** What a host without self-update answers. */
const noUpdates = {
  kind: 'disabled',
  reason: 'This copy updates with npm, not by itself.',
} as const satisfies UpdateStatus

/** Facts about the running app. */
export function appHandlers({ platform }: HandlerContext): FeatureHandlers<'app'> {
  return {
    'app:info': () => platform.info,
  }
}

/** The user's browser (validated http(s) URLs only) and the log file. */
export function shellHandlers({ platform }: HandlerContext): FeatureHandlers<'shell'> {
  return {
    'shell:open-external': (req) => platform.openExternal(req.url),
    'shell:show-logs': () => platform.showLogs(),
  }
}

/** The app's self-update: where it stands, checking now, and "Restart to update". */
export function updateHandlers({ platform }: HandlerContext): FeatureHandlers<'update'> {
  return {
    'update:get': () => platform.updates?.status() ?? noUpdates,
    'update:check': () => platform.updates?.check() ?? noUpdates,
    'update:install': async () => {
      if (!platform.updates) throw new Error(noUpdates.reason)
      await platform.updates.install()
    },
  }
}
