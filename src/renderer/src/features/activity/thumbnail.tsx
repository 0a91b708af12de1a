/**
 * A job's small preview: the image itself for image files, and for a finished link drop the
 * picture Playbook made of it (both made by the engine as small data: URLs: the renderer never
 * loads a dropped or remote address itself), else an icon.
 */
import { useEffect, useState } from 'react'
import { File, Image, Link } from 'lucide-react'
import type { JobSnapshot } from '../../../../shared/job-models.ts'
import { useApi } from '../../api-context.tsx'

const imageName = /\.(png|jpe?g|gif|webp|avif|tiff?)$/i
const cache = new Map<string, string | null>()

/** Props of `Thumbnail`. */
export interface ThumbnailProps {
  readonly job: JobSnapshot
}

/** Loads the preview once per job (cached across scrolling) and shows an icon meanwhile. */
export function Thumbnail({ job }: ThumbnailProps) {
  const api = useApi()
  const isImage = job.source.kind === 'file' && imageName.test(job.source.path)
  // A link's picture exists once Playbook made the asset.
  const linkReady = job.source.kind === 'url' && job.state.kind === 'done'
  const wanted = isImage || linkReady
  const [url, setUrl] = useState<string | null>(() => cache.get(job.id) ?? null)
  useEffect(() => {
    if (!wanted || cache.has(job.id)) return
    let live = true
    api.invoke('jobs:thumbnail', { id: job.id }).then(
      (value) => {
        cache.set(job.id, value)
        if (live) setUrl(value)
      },
      () => cache.set(job.id, null),
    )
    return () => {
      live = false
    }
  }, [api, wanted, job.id])
  if (url) return <img className="thumb" src={url} alt="" width={40} height={40} />
  const Icon = job.source.kind === 'url' ? Link : isImage ? Image : File
  return (
    <span className="thumb thumb-icon" aria-hidden>
      <Icon size={18} />
    </span>
  )
}
