/**
 * The renderer's first screen as HTML, drawn outside the browser: built for Node (out/first-screen)
 * and called by Electron's main and the headless host with the answers they gathered. The page
 * shows it in its first frame, before the start-up script has even loaded; the app then draws
 * itself in its place once its own answers are in (main.tsx). Until then it is a picture: drawn
 * `inert` and hidden from assistive technology (nothing in it can be focused or clicked; both wait
 * for the app).
 */
import { renderToString } from 'react-dom/server'
import type { FirstScreenAnswers } from '../../shared/first-screen.ts'
import type { Connection } from './api.ts'
import { ConnectionContext } from './api-context.tsx'
import { App } from './app.tsx'
import { useAppStore } from './store/app-store.ts'
import { firstScreenState } from './store/first-screen-state.ts'
import { assumedViewHeight, FirstScreenDrawing } from './first-screen-drawing.ts'

const initial = useAppStore.getInitialState()

const notYet = () => Promise.reject(new Error('the app has not started yet'))

/** A connection that is open but answers nothing: nothing calls it while drawing. */
const drawingOnly: Connection = {
  api: { invoke: notYet, on: () => () => {}, sendFiles: notYet } as unknown as Connection['api'],
  kind: 'socket',
  status: () => 'open',
  onStatus: () => () => {},
  openExternal: notYet,
}

/**
 * The first screen's markup (the contents of index.html's #root) for these answers, in a window
 * `viewHeight` pixels tall (a tall screen's when not known).
 */
export function renderFirstScreen(
  answers: FirstScreenAnswers,
  viewHeight = assumedViewHeight,
): string {
  // This module's store is its own (a bundle of its own): each call draws from these answers only.
  useAppStore.setState({ ...initial, ...firstScreenState(answers) }, true)
  const markup = renderToString(
    <FirstScreenDrawing.Provider value={{ viewHeight }}>
      <ConnectionContext.Provider value={drawingOnly}>
        <App />
      </ConnectionContext.Provider>
    </FirstScreenDrawing.Provider>,
  )
  // The page's CSP refuses style attributes in markup: they travel as data-style, which the
  // preload sets through each element's style object (preload/first-screen.ts). Quotes inside text
  // and attribute values are escaped, so ` style="` only ever starts an attribute.
  return markup.replaceAll(' style="', ' data-style="')
}
