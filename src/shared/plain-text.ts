/**
 * Text from servers, files and pages reaches terminals and dialogs: an asset title with an escape
 * sequence could rewrite the screen, set the window title or hide what follows. These keep only
 * printable characters. No Node, no DOM: every side may use them.
 */

// C0 and C1 controls, DEL, and the bidirectional overrides that make text read in another order.
// eslint-disable-next-line no-control-regex
const controls = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g
// eslint-disable-next-line no-control-regex
const controlsButNewline = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g

/** One line of untrusted text with every control character removed. */
export function plainText(value: string): string {
  return value.replace(controls, '')
}

/** Untrusted text that may span lines: newlines stay, every other control character goes. */
export function plainLines(value: string): string {
  return value.replace(controlsButNewline, '')
}
