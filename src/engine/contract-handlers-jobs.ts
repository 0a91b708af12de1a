/**
 * The contract's handlers for the upload queue: the activity list (snapshot, pause, resume,
 * cancel, retry, previews, pages) and files, folders and links dropped on a board.
 */
import { extname } from 'node:path'
import type { FeatureHandlers, HandlerContext } from './contract-handlers-context.ts'
import { playbookWebUrl } from './contract-handlers-account.ts'

/** Dropped files jump ahead of background sync (mirrors the transfer queue's user priority). */
export const userPriority = 10

const imageExtensions = new Set([
  '.png',
  '.jpg',
  '.jpeg',
  '.gif',
  '.webp',
  '.avif',
  '.tif',
  '.tiff',
])
const thumbnailMaxBytes = 256 * 1024 * 1024
const thumbnailCacheSize = 400

/** The queue as the activity screen shows and steers it; previews are cached per job. */
export function jobHandlers({ engine, job }: HandlerContext): FeatureHandlers<'jobs'> {
  // One preview per job, made once: an ask while it is being made shares it. (The headless host
  // asks when a dropped file's upload ends, then deletes its staged copy; a second making still
  // reading that copy would fail, and its empty answer would replace the preview.)
  const thumbnails = new Map<string, Promise<string | null>>()
  /** The preview, and whether to keep it (a link's picture exists only once its asset does). */
  const preview = async (id: string): Promise<{ url: string | null; keep: boolean }> => {
    const found = job(id)
    const source = found.source
    if (source.kind === 'url') {
      if (found.state.kind !== 'done') return { url: null, keep: false }
      const bytes = await engine.assetPreview(id).catch(() => null)
      return {
        url: bytes === null ? null : await makeThumbnail(bytes).catch(() => null),
        keep: true,
      }
    }
    const image =
      source.kind === 'file' &&
      source.size <= thumbnailMaxBytes &&
      imageExtensions.has(extname(source.path).toLowerCase())
    return { url: image ? await makeThumbnail(source.path).catch(() => null) : null, keep: true }
  }
  return {
    'jobs:snapshot': (req) => ({ jobs: engine.jobs(req), totals: engine.totals() }),
    'jobs:pause': (req) => engine.pause(req.id),
    'jobs:resume': (req) => engine.resume(req.id),
    'jobs:cancel': (req) => engine.cancel(req.id),
    'jobs:retry': (req) => engine.retry(req.id),
    'jobs:thumbnail': (req) => {
      const known = thumbnails.get(req.id)
      if (known !== undefined) return known
      if (thumbnails.size >= thumbnailCacheSize) {
        const oldest = thumbnails.keys().next().value
        if (oldest !== undefined) thumbnails.delete(oldest)
      }
      const made = preview(req.id).then(
        ({ url, keep }) => {
          if (!keep && thumbnails.get(req.id) === made) thumbnails.delete(req.id)
          return url
        },
        (error: unknown) => {
          if (thumbnails.get(req.id) === made) thumbnails.delete(req.id)
          throw error
        },
      )
      thumbnails.set(req.id, made)
      return made
    },
    'jobs:web-url': (req) => {
      const found = job(req.id)
      const asset = found.state.kind === 'done' ? found.state.assetToken : undefined
      return playbookWebUrl(engine.session(), found.board, found.org, asset)
    },
  }
}

/** Drops: paths (Electron), staged files (headless host) and links; the board is remembered. */
export function uploadHandlers({
  engine,
  platform,
  rememberBoard,
}: HandlerContext): FeatureHandlers<'upload'> {
  return {
    'upload:paths': async (req) => {
      const ids = await engine.uploadPaths(req.paths, req.board, { priority: userPriority })
      await rememberBoard(req.board)
      return ids
    },
    'upload:staged': async (req) => {
      const paths = platform.stagedPaths(req.ids)
      const ids = await engine.uploadPaths(paths, req.board, { priority: userPriority })
      await rememberBoard(req.board)
      return ids
    },
    'upload:urls': async (req) => {
      const ids = await engine.uploadUrls(req.urls, req.board, { asLink: req.asLink })
      await rememberBoard(req.board)
      return ids
    },
  }
}

/** A 96 px WebP preview as a data: URL (sharp is loaded only when a preview is asked for). */
async function makeThumbnail(path: string | Uint8Array): Promise<string> {
  const { default: sharp } = await import('sharp')
  const out = await sharp(path, { limitInputPixels: 100_000_000 })
    .rotate()
    .resize(96, 96, { fit: 'cover' })
    .webp({ quality: 70 })
    .toBuffer()
  return `data:image/webp;base64,${out.toString('base64')}`
}
