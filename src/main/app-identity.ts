/**
 * Who the app is to the OS: one id for electron-builder's `appId`, Windows' AppUserModelID (which
 * toasts need) and the autostart entry, kept here so main and the packaging config agree (a test
 * compares them).
 */

/** The application id (reverse DNS). */
export const appId = 'com.playbook.sync'

/** The name shown in menus, dialogs and notifications. */
export const productName = 'Playbook Sync'
