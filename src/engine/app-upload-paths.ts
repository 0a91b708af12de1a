/**
 * "Upload these files and folders": expands folders (the sync engine's ignore rules skip junk,
 * hidden files and symlinks), keeps files a user named explicitly, and builds one upload request
 * per file with a key that makes running the same upload again resume instead of duplicating.
 */
import { stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import type { UploadRequest } from './transfer/types.ts'
import { createIgnoreRules, splitRel } from './sync/ignore-rules.ts'
import { walkFolder } from './sync/scanner.ts'

/** A file to upload, found on disk. */
export interface FoundFile {
  readonly path: string
  readonly size: number
  readonly mtimeMs: number
}

/** What expanding found: files, paths that could not be read (named), and ignored entries. */
export interface Expansion {
  readonly files: readonly FoundFile[]
  readonly problems: readonly { readonly path: string; readonly message: string }[]
  readonly ignored: number
}

/** Expands `paths` (files or folders) into files. */
export async function expandUploadPaths(paths: readonly string[]): Promise<Expansion> {
  const files: FoundFile[] = []
  const problems: { path: string; message: string }[] = []
  let ignored = 0
  for (const raw of paths) {
    const path = resolve(raw)
    let info
    try {
      info = await stat(path)
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code
      problems.push({
        path: raw,
        message: code === 'ENOENT' ? 'no such file or directory' : (e as Error).message,
      })
      continue
    }
    if (info.isFile()) {
      files.push({ path, size: info.size, mtimeMs: info.mtimeMs })
    } else if (info.isDirectory()) {
      const rules = createIgnoreRules(path, { includeHidden: false, patterns: [] })
      const walk = await walkFolder(path, rules)
      ignored += walk.ignored
      for (const f of walk.files)
        files.push({ path: join(path, ...splitRel(f.relPath)), size: f.size, mtimeMs: f.mtimeMs })
      for (const err of walk.errors)
        problems.push({ path: join(path, ...splitRel(err.relPath)), message: err.message })
    } else {
      problems.push({ path: raw, message: 'not a regular file or folder' })
    }
  }
  return { files, problems, ignored }
}

/** The upload request for one file the user chose. Same file, same bytes, same board → same job. */
export function fileUploadRequest(
  file: FoundFile,
  org: string,
  board: string,
  priority: number,
  force = false,
): UploadRequest {
  return {
    dedupeKey: `upload:${org}:${board}:${file.path}:${file.size}:${Math.round(file.mtimeMs)}`,
    ...(force ? { force: true } : {}),
    source: { kind: 'file', path: file.path, size: file.size, mtimeMs: file.mtimeMs },
    org,
    board,
    title: basename(file.path),
    priority,
  }
}

/** The upload request for one URL to ingest. */
export function urlUploadRequest(
  uri: string,
  org: string,
  board: string,
  asLink: boolean,
  priority: number,
): UploadRequest {
  let title = uri
  try {
    const u = new URL(uri)
    title = decodeURIComponent(basename(u.pathname)) || u.hostname
  } catch {
    // the queue reports the bad URL on the job
  }
  return {
    dedupeKey: `url:${org}:${board}:${asLink ? 'link' : 'asset'}:${uri}`,
    source: { kind: 'url', uri, asLink },
    org,
    board,
    title,
    priority,
  }
}
