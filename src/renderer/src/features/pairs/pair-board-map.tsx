/**
 * A synced folder's sub-folder boards, editable later: the same tree and choices as the add-folder
 * preview (board-map-editor.tsx), laid out by the engine for the pair's folder, saved with
 * `pairs:map`. New and changed files follow the new choices; files on Playbook stay where they are.
 */
import { useEffect, useState } from 'react'
import type { BoardMapping, PairPreview, PairSnapshot } from '../../../../shared/pair-models.ts'
import { flatMapping } from '../../../../shared/pair-models.ts'
import { useApi } from '../../api-context.tsx'
import { useAppStore } from '../../store/app-store.ts'
import { errorMessage } from '../../store/host-sync.ts'
import { Button } from '../../ui/button.tsx'
import { LoadingState } from '../../ui/states.tsx'
import { BoardMapEditor, SubfoldersToggle } from './board-map-editor.tsx'

/** The editor for one pair; `onClose` hides it. */
export function PairBoardMap({
  pair,
  onClose,
}: {
  readonly pair: PairSnapshot
  readonly onClose: () => void
}) {
  const api = useApi()
  const boards = useAppStore((s) => s.boards) ?? []
  const [mapping, setMapping] = useState<BoardMapping>(pair.boardMap ?? flatMapping)
  const [loaded, setLoaded] = useState<{ key: string; preview: PairPreview } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const key = JSON.stringify(mapping)
  useEffect(() => {
    let current = true
    api.invoke('pairs:map-preview', { id: pair.id, mapping }).then(
      (preview) => {
        if (current) setLoaded({ key, preview })
      },
      (e: unknown) => {
        if (current) setError(errorMessage(e))
      },
    )
    return () => {
      current = false
    }
  }, [api, pair.id, mapping, key])
  const save = async () => {
    setSaving(true)
    setError(null)
    try {
      const next = await api.invoke('pairs:map', { id: pair.id, mapping })
      useAppStore.setState((s) => ({ pairs: s.pairs.map((p) => (p.id === next.id ? next : p)) }))
      onClose()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setSaving(false)
    }
  }
  return (
    <div className="pair-board-map" role="group" aria-label="Where sub-folders go">
      <SubfoldersToggle mapping={mapping} onChange={setMapping} />
      {loaded === null ? (
        <LoadingState label="Looking at the folders…" />
      ) : (
        loaded.preview.tree && (
          <BoardMapEditor
            tree={loaded.preview.tree}
            mapping={mapping}
            boards={boards}
            onChange={setMapping}
          />
        )
      )}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <div className="pair-actions">
        <Button size="sm" variant="primary" busy={saving} onClick={() => void save()}>
          Save
        </Button>
        <Button size="sm" variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </div>
  )
}
