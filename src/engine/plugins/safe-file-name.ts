/**
 * Turns an asset title coming from the network into a file name that is safe on every desktop
 * file system: no path separators or traversal, no control or direction-override characters, no
 * reserved Windows device names, no trailing dots or spaces, at most 255 UTF-8 bytes with the
 * extension kept. Titles are untrusted input: an invocation can carry `../../etc/passwd` or `CON`.
 */

/** A sanitized name split in two, so a " (n)" suffix can go between stem and extension. */
export interface SafeNameParts {
  readonly stem: string
  readonly ext: string
}

/** The limit most file systems (ext4, APFS, NTFS) put on one path component. */
export const maxFileNameBytes = 255

const reservedWindowsNames = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i
// Control characters, and the zero-width and bidirectional controls that disguise a name.
const invisible =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/g
const forbidden = /[/\\<>:"|?*]/g
const extensionPattern = /^\.[\p{L}\p{N}_-]{1,16}$/u
const fallbackStem = 'untitled'

function clean(text: string): string {
  return text
    .normalize('NFC')
    .replace(invisible, '')
    .replace(/\.{2,}/g, '.')
    .replace(forbidden, '_')
    .replace(/\s+/g, ' ')
    .replace(/_{2,}/g, '_')
    .replace(/^[\s._]+/, '')
    .replace(/[\s.]+$/, '')
}

/** `.jpg` for a file type like `.JPG`; empty for special types such as `note`. */
function extensionFromType(type: string): string {
  const ext = type.normalize('NFC').trim().toLowerCase()
  return extensionPattern.test(ext) ? ext : ''
}

/** Cuts `text` to at most `bytes` UTF-8 bytes without splitting a character. */
function truncateUtf8(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text
  let out = ''
  let used = 0
  for (const char of text) {
    const size = Buffer.byteLength(char)
    if (used + size > bytes) break
    out += char
    used += size
  }
  return out
}

/**
 * Splits an untrusted title and file type into a safe stem and extension. A title that already
 * ends in the type's extension keeps it once ("cat.jpg" + ".jpg" → "cat" + ".jpg").
 */
export function safeFileNameParts(title: string, type: string): SafeNameParts {
  const ext = extensionFromType(type)
  let stem = clean(title)
  if (ext !== '' && stem.toLowerCase().endsWith(ext)) stem = clean(stem.slice(0, -ext.length))
  if (stem === '') stem = fallbackStem
  const device = stem.split('.')[0] ?? ''
  if (reservedWindowsNames.test(device.trim())) stem = `_${stem}`
  return { stem, ext }
}

/**
 * The file name for the n-th attempt to place a file: n = 0 gives "stem.ext", n = 2 gives
 * "stem (2).ext". The stem is shortened so the whole name stays within `maxBytes`.
 */
export function composeFileName(parts: SafeNameParts, n = 0, maxBytes = maxFileNameBytes): string {
  const suffix = n > 0 ? ` (${n})` : ''
  const room = maxBytes - Buffer.byteLength(suffix) - Buffer.byteLength(parts.ext)
  const stem = truncateUtf8(parts.stem, Math.max(room, 1)).replace(/[\s.]+$/, '') || '_'
  return `${stem}${suffix}${parts.ext}`
}

/** One safe file name for a title and type (no collision suffix). */
export function safeFileName(title: string, type: string): string {
  return composeFileName(safeFileNameParts(title, type))
}
