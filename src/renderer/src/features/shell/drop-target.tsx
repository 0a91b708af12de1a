/**
 * Drag-and-drop and paste onto the whole window: files and folders from the desktop, links and
 * images from a browser. Folders are walked in the browser only when the host cannot read paths.
 */
import { useEffect, useState } from 'react'
import { Upload as UploadIcon } from 'lucide-react'
import { useConnection } from '../../api-context.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { linksFrom } from '../../lib/links.ts'
import { useUpload, type DropBoard } from './use-upload.ts'

/** Where a drop landed: a board target, "ask", or nowhere in particular (the last board). */
function boardAt(target: EventTarget | null): DropBoard | 'ask' | undefined {
  const element = target instanceof Element ? target.closest('[data-drop-board]') : null
  const token = element?.getAttribute('data-drop-board')
  if (!token) return undefined
  if (token === 'ask') return 'ask'
  return { token, title: element?.getAttribute('data-drop-title') ?? token }
}

/** The boards offered while dragging: the last used first, then a few more. */
function useDropBoards(): readonly DropBoard[] {
  const last = useAppStore((s) => s.settings?.lastBoard ?? null)
  const boards = useAppStore((s) => s.boards)
  const out: DropBoard[] = last ? [last] : []
  for (const b of boards ?? []) {
    if (out.length >= 4) break
    if (!out.some((o) => o.token === b.token)) out.push({ token: b.token, title: b.title })
  }
  return out
}

async function readEntry(entry: FileSystemEntry, out: File[]): Promise<void> {
  if (entry.isFile) {
    out.push(
      await new Promise<File>((resolve, reject) =>
        (entry as FileSystemFileEntry).file(resolve, reject),
      ),
    )
    return
  }
  if (!entry.isDirectory) return
  const reader = (entry as FileSystemDirectoryEntry).createReader()
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) =>
      reader.readEntries(resolve, reject),
    )
    if (batch.length === 0) break
    for (const child of batch) await readEntry(child, out)
  }
}

/** Files in a drop; folders expanded unless the transport sends paths (Electron). */
async function filesFrom(data: DataTransfer, expandFolders: boolean): Promise<File[]> {
  if (!expandFolders) return [...data.files]
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null)
  if (entries.length === 0) return [...data.files]
  const out: File[] = []
  for (const entry of entries) await readEntry(entry, out)
  return out
}

/** Listens on the window; shows an overlay while something is dragged over it. */
export function DropTarget() {
  const connection = useConnection()
  const upload = useUpload()
  const targets = useDropBoards()
  const lastToken = useAppStore((s) => s.settings?.lastBoard?.token ?? null)
  const [over, setOver] = useState(false)

  useEffect(() => {
    let depth = 0
    const carriesSomething = (e: DragEvent) =>
      [...(e.dataTransfer?.types ?? [])].some(
        (t) => t === 'Files' || t === 'text/uri-list' || t === 'text/plain',
      )
    const onEnter = (e: DragEvent) => {
      if (!carriesSomething(e)) return
      depth++
      setOver(true)
    }
    const onLeave = () => {
      depth = Math.max(0, depth - 1)
      if (depth === 0) setOver(false)
    }
    const onOver = (e: DragEvent) => {
      if (!carriesSomething(e)) return
      e.preventDefault()
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy'
    }
    const onDrop = (e: DragEvent) => {
      depth = 0
      setOver(false)
      const data = e.dataTransfer
      if (!data) return
      e.preventDefault()
      const board = boardAt(e.target)
      if ([...data.types].includes('Files')) {
        void filesFrom(data, connection.kind === 'socket').then((files) =>
          upload.files(files, board),
        )
        return
      }
      const links = linksFrom(data.getData('text/uri-list'), data.getData('text/plain'))
      if (links.length > 0) void upload.urls(links, board)
    }
    const onPaste = (e: ClipboardEvent) => {
      const target = e.target as HTMLElement | null
      if (target?.closest('input, textarea, [contenteditable="true"]')) return
      const data = e.clipboardData
      if (!data) return
      if (data.files.length > 0) {
        e.preventDefault()
        void upload.files([...data.files])
        return
      }
      const links = linksFrom(data.getData('text/uri-list'), data.getData('text/plain'))
      if (links.length > 0) {
        e.preventDefault()
        void upload.urls(links)
      }
    }
    window.addEventListener('dragenter', onEnter)
    window.addEventListener('dragleave', onLeave)
    window.addEventListener('dragover', onOver)
    window.addEventListener('drop', onDrop)
    window.addEventListener('paste', onPaste)
    return () => {
      window.removeEventListener('dragenter', onEnter)
      window.removeEventListener('dragleave', onLeave)
      window.removeEventListener('dragover', onOver)
      window.removeEventListener('drop', onDrop)
      window.removeEventListener('paste', onPaste)
    }
  }, [connection.kind, upload])

  if (!over) return null
  return (
    <div className="drop-overlay" aria-hidden data-testid="drop-overlay">
      <div className="drop-card">
        <UploadIcon size={28} />
        <p>{targets.length > 0 ? 'Drop on a board' : 'Drop here, then choose a board'}</p>
        <div className="drop-targets">
          {targets.map((board) => (
            <div
              key={board.token}
              className={`drop-board${board.token === lastToken ? ' drop-board-last' : ''}`}
              data-drop-board={board.token}
              data-drop-title={board.title}
            >
              <span>{board.title}</span>
              {board.token === lastToken && <span className="small muted"> (last used)</span>}
            </div>
          ))}
          <div className="drop-board drop-board-ask" data-drop-board="ask">
            Another board… (search)
          </div>
        </div>
      </div>
    </div>
  )
}
