/**
 * The marks that make sends safe to repeat after a crash or a lost answer, and the one patch that
 * clears them. Each is written BEFORE the network step it guards:
 * - `request_sent` (+ `window_start`, `attempt_at`, `sent_at`): a completion or URL create may
 *   have reached Playbook, so the board is listed before anything is sent again (completion.ts);
 * - `sent_end` / `sent_sha256`: the bytes this job may have put on its storage session, so a
 *   restarted run can vouch for what storage holds (gcs-session.ts);
 * - `session_url`, `confirmed_bytes`: where the upload resumes.
 * A job prepared again starts from none of them.
 */
import type { JobPatch } from './job-row.ts'

/** Upload fields cleared when a job must be prepared again. */
export const clearedUpload: JobPatch = {
  batchId: null,
  uploadUrl: null,
  signedGcsId: null,
  fileExtension: null,
  orgMetadata: null,
  storageProvider: null,
  providerPlan: null,
  preparedAt: null,
  sessionUrl: null,
  sentEnd: 0,
  sentSha256: null,
  confirmedBytes: 0,
  requestSent: false,
  windowStart: null,
  attemptAt: null,
  sentAt: null,
  note: null,
}
