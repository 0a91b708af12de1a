/** Links inside dragged or pasted data. Pure, so it is unit-tested. */

const urlPattern = /^https?:\/\/\S+$/i

/** Links in `text/uri-list` (comments skipped) or else in plain text; http(s) only, no duplicates. */
export function linksFrom(uriList: string, plain: string): string[] {
  const fromList = uriList
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
  const candidates = fromList.length > 0 ? fromList : plain.split(/\s+/)
  return [...new Set(candidates.filter((c) => urlPattern.test(c)))].slice(0, 100)
}
