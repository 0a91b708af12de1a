/**
 * The renderer's first screen drawn where the engine lives: Electron's main and the headless host
 * load the drawing built for Node (out/first-screen, from renderer/src/first-screen-markup.tsx),
 * gather the answers the renderer would ask for and hand the page its first screen as HTML, so the
 * user's list is in the window's first frame instead of after the start-up script has loaded and
 * run. Only ever a head start: without the drawing, or when drawing fails, the page starts as
 * before and the renderer draws everything itself.
 */
import { access } from 'node:fs/promises'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { Logger } from './engine-types.ts'
import {
  gatherFirstScreen,
  type FirstScreenAnswers,
  type FirstScreenHandlers,
} from '../shared/first-screen.ts'

/**
 * Draws the first screen's markup (the contents of index.html's #root) from its answers, for a
 * window `viewHeight` pixels tall (a tall screen's when not known).
 */
export type DrawFirstScreen = (answers: FirstScreenAnswers, viewHeight?: number) => string

/** The drawing as the contract's handlers use it, with where its failures are told. */
export interface FirstScreenPort {
  readonly draw: DrawFirstScreen
  onError(error: unknown): void
}

/** Where the build puts the drawing, beside the renderer's folder (out/renderer). */
export const firstScreenFile = (rendererDir: string): string =>
  resolve(rendererDir, '..', 'first-screen', 'index.js')

/** Loads the built drawing; null when it is not there (a source checkout that was not built). */
export async function loadFirstScreenDrawing(file: string): Promise<DrawFirstScreen | null> {
  try {
    await access(file)
  } catch {
    return null
  }
  const module = (await import(pathToFileURL(file).href)) as { renderFirstScreen?: unknown }
  if (typeof module.renderFirstScreen !== 'function') {
    throw new Error(`${file} has no renderFirstScreen`)
  }
  return module.renderFirstScreen as DrawFirstScreen
}

/**
 * The drawing beside `rendererDir` with its failures told to `log`, for a host's platform;
 * undefined (the renderer draws the first screen alone) when it was not built or cannot load.
 * Start it early: importing the drawing takes a moment, which start-up need not wait for.
 */
export async function loadFirstScreen(
  rendererDir: string,
  log: Logger | undefined,
): Promise<FirstScreenPort | undefined> {
  const message = (error: unknown) => (error instanceof Error ? error.message : String(error))
  try {
    const draw = await loadFirstScreenDrawing(firstScreenFile(rendererDir))
    if (!draw) return undefined
    return {
      draw,
      onError: (error) =>
        log?.warn('First screen not drawn (the window draws it itself)', { error: message(error) }),
    }
  } catch (error) {
    log?.warn('First screen drawing not loaded', { error: message(error) })
    return undefined
  }
}

/**
 * The first screen as HTML for a page loading now, or null (nothing drawn; the page starts as
 * before). Drawn for a signed-in user only: the list is the screen worth a head start (signing in
 * is a screen of its own, loaded when shown). A failure is handed to `onError` and never stops the
 * page.
 */
export async function drawFirstScreen(
  handlers: FirstScreenHandlers,
  draw: DrawFirstScreen | null,
  onError: (error: unknown) => void,
  viewHeight?: number,
): Promise<string | null> {
  if (!draw) return null
  try {
    const answers = await gatherFirstScreen(handlers)
    return answers.signedIn ? draw(answers, viewHeight) : null
  } catch (error) {
    onError(error)
    return null
  }
}
