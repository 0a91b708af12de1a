import { describe, expect, it } from 'vitest'
import { rowView, rowWindow } from '../../src/renderer/src/lib/row-window.ts'

describe('rowView', () => {
  it('counts the rows a view touches, including rows cut at its edges', () => {
    expect(rowView(0, 640, 64)).toEqual({ first: 0, rows: 10 })
    expect(rowView(0, 600, 64)).toEqual({ first: 0, rows: 10 })
    expect(rowView(32, 600, 64)).toEqual({ first: 0, rows: 10 })
    expect(rowView(50, 600, 64)).toEqual({ first: 0, rows: 11 })
    expect(rowView(64 * 100 + 1, 64, 64)).toEqual({ first: 100, rows: 2 })
  })

  it('treats a negative or unknown scroll position or height as zero', () => {
    expect(rowView(-20, 128, 64)).toEqual({ first: 0, rows: 2 })
    expect(rowView(Number.NaN, Number.POSITIVE_INFINITY, 64)).toEqual({ first: 0, rows: 0 })
    expect(rowView(100, 100, 0)).toEqual({ first: 0, rows: 0 })
  })
})

describe('rowWindow', () => {
  it('renders the rows in view and the overscan on each side, within the list', () => {
    expect(rowWindow(10_000, { first: 0, rows: 10 }, 4)).toEqual({ start: 0, end: 14 })
    expect(rowWindow(10_000, { first: 500, rows: 10 }, 4)).toEqual({ start: 496, end: 514 })
    expect(rowWindow(10_000, { first: 9_995, rows: 10 }, 4)).toEqual({ start: 9_986, end: 10_000 })
  })

  it('renders no more rows than the list has', () => {
    expect(rowWindow(3, { first: 0, rows: 10 }, 4)).toEqual({ start: 0, end: 3 })
    expect(rowWindow(0, { first: 0, rows: 10 }, 4)).toEqual({ start: 0, end: 0 })
  })

  it('shows the last rows of a list that shrank below a scrolled view', () => {
    expect(rowWindow(20, { first: 500, rows: 10 }, 0)).toEqual({ start: 10, end: 20 })
    expect(rowWindow(5, { first: 500, rows: 10 }, 2)).toEqual({ start: 0, end: 5 })
  })

  it('renders exactly the rows in view without overscan (the first frame)', () => {
    const view = rowView(0, 800, 64)
    expect(rowWindow(10_000, view, 0)).toEqual({ start: 0, end: 13 })
  })
})
