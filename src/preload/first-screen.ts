/**
 * Electron's head start on the first screen: the preload asks main for the first screen as HTML
 * (drawn from the same answers the renderer asks for) as the page starts loading, and places it
 * in #root while index.html's "Starting…" outline is still there. The window's first frame then
 * shows the user's list instead of waiting for the renderer's script to load and run; the app
 * draws itself in its place once its own answers are in. If the app got there first, or main drew
 * nothing, the page is left alone.
 *
 * Self-contained (no imports, no closures) so the UI bench can run this very code in its page.
 */

/** The parts of an element placing uses (the preload's tsconfig has no DOM library). */
interface PlacedElement {
  readonly style: { cssText: string }
  getAttribute(name: string): string | null
  removeAttribute(name: string): void
}

/** The parts of `document` placing uses. */
export interface FirstScreenDocument {
  readonly readyState: string
  getElementById(id: string): {
    readonly firstElementChild: { hasAttribute(name: string): boolean } | null
    replaceChildren(...nodes: unknown[]): void
  } | null
  createElement(tag: 'template'): {
    innerHTML: string
    readonly content: { querySelectorAll(selector: string): Iterable<PlacedElement> }
  }
  addEventListener(type: 'readystatechange', listener: () => void): void
  removeEventListener(type: 'readystatechange', listener: () => void): void
}

/**
 * Puts `html` in #root if the outline is still there; true when placed. Inline styles come as
 * `data-style` (the page's CSP refuses style attributes in markup) and are set through the
 * element's style object, which it allows.
 */
export function placeFirstScreen(document: FirstScreenDocument, html: string): boolean {
  const root = document.getElementById('root')
  if (!root?.firstElementChild?.hasAttribute('data-outline')) return false
  const template = document.createElement('template')
  template.innerHTML = html
  for (const element of template.content.querySelectorAll('[data-style]')) {
    element.style.cssText = element.getAttribute('data-style') ?? ''
    element.removeAttribute('data-style')
  }
  root.replaceChildren(template.content)
  return true
}

/** Places `html` once #root has been parsed (at once if it has). */
export function placeWhenParsed(document: FirstScreenDocument, html: string | null): void {
  if (html === null) return
  if (document.readyState !== 'loading') {
    placeFirstScreen(document, html)
    return
  }
  const onReady = () => {
    document.removeEventListener('readystatechange', onReady)
    placeFirstScreen(document, html)
  }
  document.addEventListener('readystatechange', onReady)
}
