/**
 * Set only while the first screen is drawn outside a browser (first-screen-markup.tsx): the
 * height of the window it is drawn for (there is no window to ask), and the mark that what is
 * drawn is a picture until the app takes over (the app frame is drawn `inert`).
 */
import { createContext } from 'react'

/** The drawing's facts; null in the browser. */
export const FirstScreenDrawing = createContext<{ readonly viewHeight: number } | null>(null)
