/**
 * Adding a pair, in three steps: the folder (native dialog in the app, a path in the browser),
 * the board, then a preview ("312 files, 1.2 GB to upload, 14 ignored") before anything starts.
 */
import { useEffect, useState, type FormEvent } from 'react'
import { FolderOpen, Play } from 'lucide-react'
import type { Board } from '../../../../shared/account-models.ts'
import type { BoardMapping, PairPreview } from '../../../../shared/pair-models.ts'
import { treeMapping } from '../../../../shared/pair-models.ts'
import type { FolderChoice } from '../../../../shared/contract.ts'
import { useApi } from '../../api-context.tsx'
import { previewSentence } from '../../lib/format.ts'
import { useAppStore } from '../../store/app-store.ts'
import { errorMessage } from '../../store/host-sync.ts'
import { Button } from '../../ui/button.tsx'
import { TextField } from '../../ui/field.tsx'
import { LoadingState } from '../../ui/states.tsx'
import { BoardTreeView } from '../boards/board-tree-view.tsx'
import { BoardMapEditor, SubfoldersToggle } from './board-map-editor.tsx'

/** The add-folder panel; `onDone` closes it. */
export function AddPairFlow({ onDone }: { readonly onDone: () => void }) {
  const api = useApi()
  const info = useAppStore((s) => s.info)
  const boards = useAppStore((s) => s.boards)
  const lastBoard = useAppStore((s) => s.settings?.lastBoard ?? null)
  // A handle from the host's own dialog or confirmation: the page never names a folder itself.
  const [folder, setFolder] = useState<FolderChoice | null>(null)
  const [typed, setTyped] = useState('')
  const [board, setBoard] = useState<Pick<Board, 'token' | 'title'> | null>(lastBoard)
  // The latest preview with what it was asked for; a stale one stays shown while the next loads.
  const [loaded, setLoaded] = useState<{
    key: string
    folder: string
    preview: PairPreview
  } | null>(null)
  // Sub-folders as child boards unless the user says otherwise (per branch, or flat).
  const [mapping, setMapping] = useState<BoardMapping>(treeMapping)
  const [busy, setBusy] = useState<null | 'pick' | 'confirm' | 'start'>(null)
  const [error, setError] = useState<string | null>(null)

  const step = async (what: NonNullable<typeof busy>, action: () => Promise<void>) => {
    setBusy(what)
    setError(null)
    try {
      await action()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }
  const choose = async (choice: FolderChoice) => {
    setFolder(choice)
  }
  const boardToken = board?.token
  const key = folder ? JSON.stringify([folder.handle, boardToken ?? null, mapping]) : null
  const preview = loaded !== null && loaded.folder === folder?.handle ? loaded.preview : null
  const previewing = key !== null && loaded?.key !== key
  // The preview follows the folder, the board and the mapping (the latest answer wins).
  useEffect(() => {
    if (!folder || key === null) return
    let current = true
    api
      .invoke('pairs:preview', {
        folder: folder.handle,
        ...(boardToken ? { board: boardToken } : {}),
        mapping,
      })
      .then(
        (next) => {
          if (current) setLoaded({ key, folder: folder.handle, preview: next })
        },
        (e: unknown) => {
          if (current) setError(errorMessage(e))
        },
      )
    return () => {
      current = false
    }
  }, [api, folder, boardToken, mapping, key])
  const pick = () =>
    step('pick', async () => {
      const choice = await api.invoke('dialog:pick-folder', { purpose: 'pair' })
      if (choice) await choose(choice)
    })
  const onTyped = (e: FormEvent) => {
    e.preventDefault()
    const path = typed.trim()
    if (path === '') return
    void step('confirm', async () => {
      const choice = await api.invoke('dialog:pick-folder', { purpose: 'pair', typed: path })
      if (choice) await choose(choice)
      else setError('The folder was not confirmed in the terminal running Playbook Sync.')
    })
  }
  const start = () =>
    step('start', async () => {
      if (!folder || !board) return
      const pair = await api.invoke('pairs:add', {
        folder: folder.handle,
        board: board.token,
        boardTitle: board.title,
        mapping,
      })
      useAppStore.setState((s) => ({
        pairs: s.pairs.some((p) => p.id === pair.id) ? s.pairs : [...s.pairs, pair],
      }))
      onDone()
    })

  return (
    <section
      className="panel add-pair"
      aria-labelledby="add-pair-title"
      onKeyDown={(event) => {
        // Escape closes the panel (and is not also taken by the toasts).
        if (event.key === 'Escape') {
          event.preventDefault()
          onDone()
        }
      }}
    >
      <h2 id="add-pair-title" className="panel-title">
        Add a folder
      </h2>
      <ol className="steps">
        <li className="step">
          <h3 className="step-title">1. Folder</h3>
          {info?.host === 'electron' ? (
            <div className="row">
              <Button
                icon={<FolderOpen size={16} aria-hidden />}
                busy={busy === 'pick'}
                onClick={() => void pick()}
              >
                Choose folder…
              </Button>
              {folder && <code className="path">{folder.path}</code>}
            </div>
          ) : (
            <form className="inline-form" onSubmit={onTyped}>
              <TextField
                label="Folder path on the computer running Playbook Sync"
                placeholder="~/Exports"
                autoFocus
                value={typed}
                maxLength={4096}
                onChange={(e) => setTyped(e.currentTarget.value)}
              />
              <Button type="submit" disabled={typed.trim() === ''} busy={busy === 'confirm'}>
                Use this folder
              </Button>
              {busy === 'confirm' && (
                <p className="small muted" role="status">
                  Confirm this folder in the terminal where Playbook Sync is running.
                </p>
              )}
            </form>
          )}
        </li>
        <li className="step">
          <h3 className="step-title">2. Board</h3>
          <BoardTreeView
            label="Board for this folder"
            boards={boards}
            selected={board?.token ?? null}
            onSelect={(b) => setBoard({ token: b.token, title: b.title })}
          />
        </li>
        <li className="step">
          <h3 className="step-title">3. Check and start</h3>
          {previewing && !preview && <LoadingState label="Counting files…" />}
          {preview && (
            <p className="preview" aria-live="polite">
              <strong>{previewSentence(preview)}</strong>
              {board && (
                <>
                  {' '}
                  → <span>{board.title}</span>
                </>
              )}
            </p>
          )}
          {preview && <SubfoldersToggle mapping={mapping} onChange={setMapping} />}
          {preview?.tree && (
            <BoardMapEditor
              tree={preview.tree}
              mapping={mapping}
              boards={boards ?? []}
              onChange={setMapping}
            />
          )}
          {error && (
            <p className="field-error" role="alert">
              {error}
            </p>
          )}
          <div className="row">
            <Button
              variant="primary"
              icon={<Play size={16} aria-hidden />}
              busy={busy === 'start'}
              disabled={!folder || !board || !preview}
              onClick={() => void start()}
            >
              Start syncing
            </Button>
            <Button variant="ghost" onClick={onDone}>
              Cancel
            </Button>
          </div>
        </li>
      </ol>
    </section>
  )
}
