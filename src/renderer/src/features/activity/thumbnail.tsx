/**
 * A job's small preview: the image itself for image files, and for a finished link drop the
 * picture Playbook made of it (both made by the engine as small data: URLs: the renderer never
 * loads a dropped or remote address itself), else an icon.
 */
import { memo, useEffect, useState } from 'react'
import { File, Image, Link } from 'lucide-react'
import type { JobSnapshot } from '../../../../shared/job-models.ts'
import { useApi } from '../../api-context.tsx'

const imageName = /\.(png|jpe?g|gif|webp|avif|tiff?)$/i
const cache = new Map<string, string | null>()

// Made once: the same element every render, so a progress tick does not rebuild the icon.
const icons = {
  link: <Link size={18} />,
  image: <Image size={18} />,
  file: <File size={18} />,
} as const

/** Props of `Thumbnail`: only what the preview depends on, so progress does not re-render it. */
export interface ThumbnailProps {
  readonly id: string
  readonly source: JobSnapshot['source']['kind']
  /** The file's path ('' for a link). */
  readonly path: string
  /** The job finished (a link's picture exists once Playbook made the asset). */
  readonly done: boolean
}

/** Loads the preview once per job (cached across scrolling) and shows an icon meanwhile. */
export const Thumbnail = memo(function Thumbnail({ id, source, path, done }: ThumbnailProps) {
  const api = useApi()
  const isImage = source === 'file' && imageName.test(path)
  const linkReady = source === 'url' && done
  const wanted = isImage || linkReady
  const [url, setUrl] = useState<string | null>(() => cache.get(id) ?? null)
  useEffect(() => {
    if (!wanted || cache.has(id)) return
    let live = true
    api.invoke('jobs:thumbnail', { id }).then(
      (value) => {
        cache.set(id, value)
        if (live) setUrl(value)
      },
      () => cache.set(id, null),
    )
    return () => {
      live = false
    }
  }, [api, wanted, id])
  if (url) return <img className="thumb" src={url} alt="" width={40} height={40} />
  return (
    <span className="thumb thumb-icon" aria-hidden>
      {source === 'url' ? icons.link : isImage ? icons.image : icons.file}
    </span>
  )
})
