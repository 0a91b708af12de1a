/** Notices from the host and from failed actions, announced to screen readers. */
import { useEffect } from 'react'
import { CircleAlert, Info, TriangleAlert, X } from 'lucide-react'
import { dismissToast, useAppStore } from '../store/app-store.ts'
import { IconButton } from './button.tsx'

/** The toast stack in the corner. */
export function Toasts() {
  const toasts = useAppStore((s) => s.toasts)
  // Escape dismisses the newest toast (a panel or dialog that handles Escape itself stops it first).
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key !== 'Escape' || event.defaultPrevented) return
      const newest = useAppStore.getState().toasts.at(-1)
      if (newest) dismissToast(newest.id)
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])
  return (
    <div className="toasts" role="region" aria-label="Notifications" aria-live="polite">
      {toasts.map((toast) => (
        <div
          key={toast.id}
          className={`toast toast-${toast.level}`}
          role={toast.level === 'error' ? 'alert' : 'status'}
        >
          {toast.level === 'error' ? (
            <CircleAlert size={16} aria-hidden />
          ) : toast.level === 'warning' ? (
            <TriangleAlert size={16} aria-hidden />
          ) : (
            <Info size={16} aria-hidden />
          )}
          <p>{toast.message}</p>
          <IconButton
            label="Dismiss"
            icon={<X size={14} />}
            onClick={() => dismissToast(toast.id)}
          />
        </div>
      ))}
    </div>
  )
}
