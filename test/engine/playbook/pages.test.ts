import { describe, expect, it } from 'vitest'
import { collectPages, pagyOf, queryString } from '../../../src/engine/playbook/pages.ts'
import type { Page } from '../../../src/engine/playbook/pages.ts'

describe('paged lists', () => {
  it('walks pages by total_pages when the server gives it', async () => {
    const asked: number[] = []
    const items = await collectPages(async (page): Promise<Page<number>> => {
      asked.push(page)
      return { items: [page], pagy: { current_page: page, total_pages: 3 } }
    })
    expect(items).toEqual([1, 2, 3])
    expect(asked).toEqual([1, 2, 3])
  })

  it('without pagy, stops at the first short page', async () => {
    const full = Array.from({ length: 100 }, (_, i) => i)
    const items = await collectPages(async (page): Promise<Page<number>> => ({
      items: page === 1 ? full : [100, 101],
      pagy: undefined,
    }))
    expect(items).toHaveLength(102)
  })

  it('reads pagy only when it is valid, and leaves out absent query parameters', () => {
    expect(pagyOf({ data: [], pagy: { current_page: 2 } })?.current_page).toBe(2)
    expect(pagyOf({ data: [] })).toBeUndefined()
    expect(pagyOf({ pagy: 'nonsense' })).toBeUndefined()
    expect(queryString({ page: 2, per_page: undefined, query: 'a b' })).toBe('?page=2&query=a+b')
    expect(queryString({ page: undefined })).toBe('')
  })
})
