import { describe, expect, it } from 'vitest'
import { linksFrom } from '../../src/renderer/src/lib/links.ts'

describe('links from dragged or pasted data', () => {
  it('reads text/uri-list, skipping comments and anything that is not http(s)', () => {
    const list =
      '# from a browser\r\nhttps://example.com/a.jpg\r\nfile:///etc/passwd\r\njavascript:alert(1)\r\nhttp://x.test/b.png'
    expect(linksFrom(list, '')).toEqual(['https://example.com/a.jpg', 'http://x.test/b.png'])
  })

  it('falls back to URLs in plain text, without duplicates', () => {
    expect(linksFrom('', 'see https://a.test/1.png and https://a.test/1.png or ftp://b')).toEqual([
      'https://a.test/1.png',
    ])
    expect(linksFrom('', 'no links here')).toEqual([])
  })

  it('caps a paste at 100 links (one URL-ingest batch)', () => {
    const many = Array.from({ length: 150 }, (_, i) => `https://a.test/${i}.png`).join('\n')
    expect(linksFrom('', many)).toHaveLength(100)
  })
})
