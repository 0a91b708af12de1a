/**
 * The contract's handlers for the overall status and the files that need attention: issues with
 * their reasons, files skipped on purpose, retry, "Upload anyway", and showing a file.
 */
import { isAbsolute, join, relative } from 'node:path'
import type { FeatureHandlers, HandlerContext } from './contract-handlers-context.ts'

/** The one overall status (sidebar, folder cards, tray and CLI show the same). */
export function statusHandlers({ engine }: HandlerContext): FeatureHandlers<'status'> {
  return {
    'status:overview': () => engine.overview(),
  }
}

/** Files that need attention or were skipped, and what the user can do about each. */
export function issueHandlers({
  engine,
  platform,
  pairOf,
}: HandlerContext): FeatureHandlers<'issues'> {
  return {
    'issues:list': (req) => engine.issues(req.pairId),
    'issues:retry': (req) => engine.retryIssues({ pairId: req.pairId, relPath: req.relPath }),
    'issues:skipped': (req) => engine.skipped(req.pairId),
    'issues:upload-anyway': (req) =>
      engine.uploadAnyway({ pairId: req.pairId, relPath: req.relPath }),
    'issues:reveal': async (req) => {
      const pair = pairOf(req.pairId)
      const path =
        req.relPath === undefined ? pair.folder : join(pair.folder, ...req.relPath.split('/'))
      const rel = relative(pair.folder, path)
      if (rel.startsWith('..') || isAbsolute(rel)) throw new Error('That file is not in the folder')
      if (!platform.revealPath) return { path, opened: false }
      await platform.revealPath(path, req.relPath === undefined)
      return { path, opened: true }
    },
  }
}
