/**
 * Turns per-asset outcomes into the invocation's status and the message Playbook shows: any
 * failed asset makes the invocation `failed`, and the message names each failed asset.
 */
import type { InvokeAsset } from './invocation-schema.ts'
import type { PluginName } from './plugin-activity.ts'
import type { AssetOutcome } from './plugin-run.ts'

const maxMessageChars = 1000

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

function shortTitle(title: string): string {
  const clean = title.replace(/\s+/g, ' ').trim()
  return clean.length > 80 ? `${clean.slice(0, 79)}…` : clean
}

/** The status to report and a one-line message (no local paths: it goes to Playbook). */
export function summarizeOutcomes(
  plugin: PluginName,
  assets: readonly InvokeAsset[],
  outcomes: readonly AssetOutcome[],
): { readonly status: 'success' | 'failed'; readonly message: string } {
  const done = outcomes.filter((o) => o.kind === 'done').length
  const skipped = outcomes.filter((o) => o.kind === 'skipped').length
  const failures = outcomes.flatMap((outcome, index) =>
    outcome.kind === 'failed'
      ? [
          `"${shortTitle(assets[index]?.title ?? '')}" (${assets[index]?.token ?? '?'}): ${outcome.reason}`,
        ]
      : [],
  )
  const did =
    plugin === 'send-to-desktop'
      ? `Saved ${plural(done, 'file')}`
      : `Made ${plural(done, 'web version')}`
  const skip =
    skipped > 0 ? `, skipped ${skipped} (not ${skipped === 1 ? 'an image' : 'images'})` : ''
  if (failures.length === 0) return { status: 'success', message: `${did}${skip}` }
  const message = `${plural(failures.length, 'asset')} of ${outcomes.length} failed: ${failures.join('; ')}. ${did}${skip}.`
  return {
    status: 'failed',
    message:
      message.length > maxMessageChars ? `${message.slice(0, maxMessageChars - 1)}…` : message,
  }
}
