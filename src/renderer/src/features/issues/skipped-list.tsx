/**
 * "Skipped on purpose": every file the engine leaves off the board by design (an ignore rule, the
 * same content as another file, a change the folder skips), each with its reason in the engine's
 * words and, for regular files, "Upload anyway" (queued once, with force; afterwards the file is
 * on the board and leaves this list). The list is the engine's, reloaded when a folder's counts move.
 */
import { useEffect, useState } from 'react'
import { CloudUpload } from 'lucide-react'
import type { SkippedFile } from '../../../../shared/sync-status-models.ts'
import type { PairSnapshot } from '../../../../shared/pair-models.ts'
import { useApi } from '../../api-context.tsx'
import { plural } from '../../lib/format.ts'
import { Button } from '../../ui/button.tsx'
import { useAction } from '../../ui/use-action.ts'
import { IssueRowFrame, ShowFileButton, useReveal } from './issue-row-frame.tsx'

/** Rows shown at once (an ignored folder counts as one row; the rest are counted). */
const SHOWN = 200

const kindLabel: Readonly<Record<SkippedFile['kind'], string>> = {
  ignored: 'Ignored',
  'same-content': 'Same content',
  changed: 'Change skipped',
}

function SkippedRow({
  file,
  onQueued,
}: {
  readonly file: SkippedFile
  readonly onQueued: (file: SkippedFile) => void
}) {
  const api = useApi()
  const { where, reveal } = useReveal(file.pairId)
  const [upload, uploading] = useAction(async () => {
    await api.invoke('issues:upload-anyway', { pairId: file.pairId, relPath: file.relPath })
    onQueued(file)
  }, `Could not upload ${file.relPath}`)
  return (
    <IssueRowFrame
      kind={file.kind}
      relPath={file.relPath}
      name={(file.relPath.split('/').pop() ?? file.relPath) + (file.isFolder ? '/' : '')}
      chip={kindLabel[file.kind]}
      place={file.relPath}
      headline={file.headline}
      next={file.next}
      where={where}
      actions={
        <>
          {file.canUploadAnyway && (
            <Button
              size="sm"
              icon={<CloudUpload size={14} aria-hidden />}
              busy={uploading}
              onClick={() => void upload()}
              aria-label={`Upload ${file.relPath} anyway`}
            >
              Upload anyway
            </Button>
          )}
          <ShowFileButton relPath={file.relPath} onClick={() => void reveal(file.relPath)} />
        </>
      }
    />
  )
}

/** A key that changes when a folder's skipped or on-board counts move (then the list reloads). */
function countsKey(pairs: readonly PairSnapshot[]): string {
  return pairs
    .map((p) => `${p.id}:${p.tally.skipped}:${p.tally.sameContent}:${p.tally.onBoard}`)
    .join('|')
}

/** The Skipped section of Sync issues, for one folder (pairId) or all (null). */
export function SkippedList({
  pairs,
  pairId,
}: {
  readonly pairs: readonly PairSnapshot[]
  readonly pairId: string | null
}) {
  const api = useApi()
  const [skipped, setSkipped] = useState<readonly SkippedFile[]>([])
  const [version, setVersion] = useState(0)
  const [said, setSaid] = useState('')
  const key = countsKey(pairs)
  useEffect(() => {
    let live = true
    api.invoke('issues:skipped', pairId === null ? {} : { pairId }).then(
      (list) => {
        if (live) setSkipped(list)
      },
      () => {},
    )
    return () => {
      live = false
    }
  }, [api, pairId, key, version])
  if (skipped.length === 0)
    return said ? (
      <p className="muted small" role="status">
        {said}
      </p>
    ) : null
  const shown = skipped.slice(0, SHOWN)
  return (
    <section className="skipped-section" aria-labelledby="skipped-title">
      <h2 id="skipped-title">Skipped on purpose</h2>
      <p className="muted small">
        {plural(skipped.length, 'file')} {skipped.length === 1 ? 'is' : 'are'} left off the board by
        a rule or because another file has the same content; they do not keep a folder from being up
        to date.
      </p>
      <p className="small" role="status">
        {said}
      </p>
      <ul className="issue-list" aria-label="Files skipped on purpose">
        {shown.map((file) => (
          <SkippedRow
            key={`${file.pairId}/${file.relPath}`}
            file={file}
            onQueued={(queued) => {
              setSaid(`Uploading ${queued.relPath} anyway: it will be on the board shortly.`)
              setVersion((v) => v + 1)
            }}
          />
        ))}
      </ul>
      {skipped.length > SHOWN && (
        <p className="muted small">
          And {plural(skipped.length - SHOWN, 'more file')}:{' '}
          <code>playbook-sync status --issues</code> lists them all.
        </p>
      )}
    </section>
  )
}
