/**
 * Set only while the first screen is drawn outside a browser (first-screen-markup.tsx): the
 * height of the window it is drawn for (there is no window to ask), and the mark that what is
 * drawn is a picture until the app takes over (the app frame is drawn `inert`).
 */
import { createContext } from 'react'

/** The window height assumed when the first screen is drawn without one given (a tall screen's). */
export const assumedViewHeight = 1200

/** The drawing's facts; null in the browser. */
export const FirstScreenDrawing = createContext<{ readonly viewHeight: number } | null>(null)
