/**
 * The store's state for a first screen drawn from gathered answers (shared/first-screen.ts): what
 * `loadAll` would hold once every start-up answer is in, with the connection open.
 */
import type { FirstScreenAnswers } from '../../../shared/first-screen.ts'
import { firstScreenJobs } from '../../../shared/first-screen.ts'
import { emptyJobList, fromSnapshot } from '../lib/job-list.ts'
import { mergePluginItems } from '../lib/plugin-items.ts'
import type { AppState } from './app-store.ts'

/** The mirrored parts of the state the answers fill in. */
export function firstScreenState(answers: FirstScreenAnswers): Partial<AppState> {
  const signedIn = answers.signedIn
  return {
    connection: 'open',
    info: answers.info,
    session: answers.session,
    settings: answers.settings,
    loadError: null,
    plugins: answers.plugins,
    pluginItems: mergePluginItems([], answers.pluginItems),
    ...(signedIn
      ? {
          jobs: fromSnapshot(
            emptyJobList,
            signedIn.snapshot.jobs,
            signedIn.snapshot.jobs.length >= firstScreenJobs,
          ),
          totals: signedIn.snapshot.totals,
          pairs: signedIn.pairs,
          overview: signedIn.overview,
          issues: signedIn.issues,
          pairsLoaded: true,
        }
      : {}),
  }
}
