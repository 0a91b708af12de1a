/**
 * Which rows of a list of equal-height rows to put on the page: the rows in view plus a few
 * either side. Equal heights make this arithmetic, with nothing measured per row and nothing kept
 * per job, so 10,000 rows cost the same as ten. Pure, so it is unit-tested.
 */

/** Rows `start` (included) to `end` (excluded). */
export interface RowWindow {
  readonly start: number
  readonly end: number
}

/** Where a view of `viewHeight` scrolled to `scrollTop` is: its first row and how many rows it can touch. */
export interface RowView {
  readonly first: number
  readonly rows: number
}

/**
 * The rows a view touches, counting a row cut at the top or bottom: a view 600 px tall over 64 px
 * rows touches 10 rows at a row boundary and 11 between two.
 */
export function rowView(scrollTop: number, viewHeight: number, rowHeight: number): RowView {
  if (!(rowHeight > 0)) return { first: 0, rows: 0 }
  const top = Math.max(0, Number.isFinite(scrollTop) ? scrollTop : 0)
  const height = Math.max(0, Number.isFinite(viewHeight) ? viewHeight : 0)
  const first = Math.floor(top / rowHeight)
  const last = Math.ceil((top + height) / rowHeight)
  return { first, rows: last - first }
}

/** The rows to render for `view` in a list of `count`, with `overscan` more either side. */
export function rowWindow(count: number, view: RowView, overscan: number): RowWindow {
  if (count <= 0) return { start: 0, end: 0 }
  // A list that shrank under a scrolled view shows its last rows until the scroll position follows.
  const first = Math.min(view.first, Math.max(0, count - view.rows))
  return {
    start: Math.max(0, first - overscan),
    end: Math.min(count, first + view.rows + overscan),
  }
}
