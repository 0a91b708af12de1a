/**
 * "Where should these go?": shown when files or links were dropped with no board chosen (or on
 * "Another board…"). The drop waits here until the user picks a board (searchable) or says not
 * to upload; nothing is discarded without the user saying so. Escape is "Don't upload".
 */
import { useLayoutEffect, useRef, useState } from 'react'
import { useAppStore } from '../../store/app-store.ts'
import { plural } from '../../lib/format.ts'
import { Button } from '../../ui/button.tsx'
import { BoardTreeView } from '../boards/board-tree-view.tsx'
import { useUpload, type DropBoard } from './use-upload.ts'

/** The dialog; renders nothing while no drop waits. */
export function DropBoardDialog() {
  const pending = useAppStore((s) => s.pendingDrop)
  const boards = useAppStore((s) => s.boards)
  const upload = useUpload()
  const [board, setBoard] = useState<DropBoard | null>(null)
  const dialog = useRef<HTMLDivElement>(null)
  const returnTo = useRef<Element | null>(null)

  // Focus moves in before the dialog is first painted: a key pressed as soon as it shows (Escape
  // for "Don't upload") reaches the dialog, not the page behind it.
  useLayoutEffect(() => {
    if (!pending) return
    returnTo.current = document.activeElement
    dialog.current?.querySelector<HTMLElement>('input, [tabindex="0"]')?.focus()
    return () => {
      if (returnTo.current instanceof HTMLElement) returnTo.current.focus()
    }
  }, [pending])

  if (!pending) return null
  const what = [
    pending.files.length > 0 ? plural(pending.files.length, 'file') : '',
    pending.urls.length > 0 ? plural(pending.urls.length, 'link') : '',
  ]
    .filter(Boolean)
    .join(' and ')
  const close = () => {
    setBoard(null)
    useAppStore.setState({ pendingDrop: null })
  }
  const send = () => {
    if (!board) return
    close()
    if (pending.files.length > 0) void upload.files(pending.files, board)
    if (pending.urls.length > 0) void upload.urls(pending.urls, board)
  }
  return (
    <div className="modal-backdrop">
      <div
        ref={dialog}
        className="modal panel"
        role="dialog"
        aria-modal="true"
        aria-labelledby="drop-dialog-title"
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.preventDefault()
            close()
          }
        }}
      >
        <h2 id="drop-dialog-title" className="panel-title">
          Which board should {what} go to?
        </h2>
        <p className="muted small">They wait here until you choose; nothing is uploaded yet.</p>
        <BoardTreeView
          label="Board for the dropped files"
          boards={boards}
          selected={board?.token ?? null}
          onSelect={(b) => setBoard({ token: b.token, title: b.title })}
        />
        <div className="row modal-actions">
          <Button variant="primary" disabled={!board} onClick={send}>
            {board ? `Upload to ${board.title}` : 'Choose a board'}
          </Button>
          <Button variant="ghost" onClick={close}>
            {"Don't upload"}
          </Button>
        </div>
      </div>
    </div>
  )
}
