/**
 * Waits for the frame being prepared to be painted, so work that would hold that frame back (a
 * first screen's answers, the app's own drawing) comes after the user has something to see. A
 * window that paints nothing (hidden in the tray, where animation frames stop) waits 100 ms.
 */

/** Runs `task` once the frame being drawn is painted, or in 100 ms in a window that paints none. */
export function afterFirstPaint(task: () => void): void {
  let done = false
  const once = () => {
    if (done) return
    done = true
    task()
  }
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => setTimeout(once, 0))
  setTimeout(once, 100)
}
