/** Chunk sizes for GCS resumable uploads: every non-final chunk must be a multiple of 256 KiB. */

/** The storage protocol's unit. */
export const CHUNK_UNIT = 256 * 1024

/** Default chunk: 8 MiB, a good trade between progress granularity and request overhead. */
export const DEFAULT_CHUNK_SIZE = 8 * 1024 * 1024

/** Rounds any requested size down to a multiple of 256 KiB (at least one unit). */
export function normalizeChunkSize(requested: number | undefined): number {
  if (requested === undefined || !Number.isFinite(requested)) return DEFAULT_CHUNK_SIZE
  const units = Math.floor(requested / CHUNK_UNIT)
  return Math.max(1, Math.min(units, 1024)) * CHUNK_UNIT
}
