/**
 * Drag-and-drop and paste onto the whole window: files and folders from the desktop, links and
 * images from a browser. Folders are walked in the browser only when the host cannot read paths.
 */
import { useEffect, useState } from 'react'
import { Upload as UploadIcon } from 'lucide-react'
import { useConnection } from '../../api-context.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { linksFrom } from '../../lib/links.ts'
import { useUpload } from './use-upload.ts'

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
  const board = useAppStore((s) => s.settings?.lastBoard ?? null)
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
      if ([...data.types].includes('Files')) {
        void filesFrom(data, connection.kind === 'socket').then((files) => upload.files(files))
        return
      }
      const links = linksFrom(data.getData('text/uri-list'), data.getData('text/plain'))
      if (links.length > 0) void upload.urls(links)
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
    <div className="drop-overlay" aria-hidden>
      <div className="drop-card">
        <UploadIcon size={28} />
        <p>
          {board ? `Drop to upload to ${board.title}` : 'Drop to upload (choose a board first)'}
        </p>
      </div>
    </div>
  )
}
