/**
 * The contract's handlers for synced folders (pairs): preview a folder as boards, add, map,
 * change, pause, resume and remove a pair, and sync now. A folder reaches the engine only as a
 * handle the user granted, or as the path of a pair that already exists.
 */
import type { AppSettings } from '../shared/contract.ts'
import type { FeatureHandlers, HandlerContext } from './contract-handlers-context.ts'

/** Synced folders, from the folder the user chose to the pair running. */
export function pairHandlers({
  engine,
  platform,
  folders,
  pairOf,
}: HandlerContext): FeatureHandlers<'pairs'> {
  return {
    'pairs:list': () => engine.pairs(),
    'pairs:preview': (req) => {
      const grant = folders.resolve(req.folder, 'pair')
      return engine.previewFolder(
        grant.path,
        { ...pairSettingsFrom(platform.settings.get()), includeHidden: grant.includeHidden },
        req.board,
        req.mapping,
      )
    },
    'pairs:add': async (req) => {
      const grant = folders.resolve(req.folder, 'pair')
      if (req.settings?.includeHidden === true && !grant.includeHidden)
        throw new Error(
          'Hidden files are uploaded only when you agree to it while choosing the folder.',
        )
      const defaults = pairSettingsFrom(platform.settings.get())
      const settings = { ...defaults, ...req.settings, includeHidden: grant.includeHidden }
      const pair = await engine.addPair({
        folder: grant.path,
        board: req.board,
        boardTitle: req.boardTitle,
        settings,
        ...(req.mapping ? { mapping: req.mapping } : {}),
      })
      await platform.settings.set({
        lastBoard: { token: req.board, title: req.boardTitle ?? req.board },
      })
      return pair
    },
    'pairs:map': (req) => engine.mapPair(req.id, req.mapping),
    'pairs:map-preview': (req) => {
      // Only a folder the user already paired: its path comes from the pair, never the page.
      const pair = pairOf(req.id)
      return engine.previewFolder(
        pair.folder,
        pair.settings,
        pair.board,
        req.mapping ?? pair.boardMap,
      )
    },
    'pairs:remove': (req) => engine.removePair(req.id),
    'pairs:update': (req) => engine.updatePair(req.id, req.settings),
    'pairs:pause': (req) => {
      engine.pausePair(pairOf(req.id).id)
      return pairOf(req.id)
    },
    'pairs:resume': (req) => {
      engine.resumePair(pairOf(req.id).id)
      return pairOf(req.id)
    },
    'pairs:sync-now': (req) => engine.syncNow(req.id),
  }
}

/**
 * The pair settings the app-wide settings imply for a new folder: its change policy. The app's
 * ignore patterns are not copied: every pair applies them live on top of its own.
 */
function pairSettingsFrom(settings: AppSettings) {
  return { onChange: settings.onChange }
}
