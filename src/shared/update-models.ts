/**
 * Where the app's self-update stands, as the tray and the renderer show it. Owned by main's
 * updater (electron-updater); the headless host reports `disabled` (it updates with npm).
 */
export type UpdateStatus =
  | { readonly kind: 'disabled'; readonly reason: string }
  | { readonly kind: 'idle' }
  | { readonly kind: 'checking' }
  | { readonly kind: 'up-to-date'; readonly checkedAt: number }
  | { readonly kind: 'downloading'; readonly version: string; readonly percent: number }
  | { readonly kind: 'ready'; readonly version: string }
  | { readonly kind: 'error'; readonly message: string }
