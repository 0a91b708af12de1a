/**
 * A scrolling list of equal-height rows that puts on the page only the rows in view and a few
 * either side (the activity list holds 10,000 jobs). Row heights are fixed, so where a row goes
 * is arithmetic: nothing is measured per row, and the first frame needs no layout read before it
 * is painted.
 */
import { useContext, useEffect, useState, type ReactNode } from 'react'
import { flushSync } from 'react-dom'
import { FirstScreenDrawing } from '../first-screen-drawing.ts'
import { rowView, rowWindow } from '../lib/row-window.ts'

/** Props of `FixedRowList`. */
export interface FixedRowListProps {
  readonly count: number
  /** Every row's height in pixels. */
  readonly rowHeight: number
  /** A stable key for the row at `index` (a job's id), so a row keeps its element as the list grows. */
  readonly rowKey: (index: number) => string | number
  readonly renderRow: (index: number) => ReactNode
  /** The list's accessible name. */
  readonly label: string
  /** Rows rendered beyond the view on each side once the list has been laid out. */
  readonly overscan?: number
}

/** The virtualized list: a scroller with one absolutely placed slot per rendered row. */
export function FixedRowList({
  count,
  rowHeight,
  rowKey,
  renderRow,
  label,
  overscan = 2,
}: FixedRowListProps) {
  const [element, setElement] = useState<HTMLDivElement | null>(null)
  // Before the list is laid out its height is not known, but it is never taller than the window:
  // the first frame gets the rows that can be in view and no more. The overscan comes with the
  // first measurement, which the resize observer hands over after layout (no forced layout).
  // Drawn outside a browser (first-screen-markup.tsx) there is no window: it is told the height.
  const drawing = useContext(FirstScreenDrawing)
  const [first, setFirst] = useState(0)
  const [rows, setRows] = useState(
    () => rowView(0, drawing?.viewHeight ?? window.innerHeight, rowHeight).rows,
  )
  const [measured, setMeasured] = useState(false)
  useEffect(() => {
    if (!element) return
    const read = () => {
      const view = rowView(element.scrollTop, element.clientHeight, rowHeight)
      setFirst(view.first)
      setRows(view.rows)
      setMeasured(true)
    }
    // Rows scrolled into view are on the page in the frame that shows them.
    const onScroll = () => flushSync(read)
    const observer = new ResizeObserver(read)
    observer.observe(element)
    element.addEventListener('scroll', onScroll, { passive: true })
    return () => {
      observer.disconnect()
      element.removeEventListener('scroll', onScroll)
    }
  }, [element, rowHeight])
  const { start, end } = rowWindow(count, { first, rows }, measured ? overscan : 0)
  const slots: ReactNode[] = []
  for (let index = start; index < end; index++) {
    slots.push(
      <div
        key={rowKey(index)}
        className="job-slot"
        style={{ transform: `translateY(${index * rowHeight}px)`, height: rowHeight }}
      >
        {renderRow(index)}
      </div>,
    )
  }
  return (
    <div className="job-scroller" ref={setElement} role="list" aria-label={label}>
      <div style={{ height: count * rowHeight, position: 'relative' }}>{slots}</div>
    </div>
  )
}
