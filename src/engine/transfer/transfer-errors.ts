/** Errors the uploader raises that the queue treats differently from a failed request. */

/** The upload session or signed URL is gone or too old: start again from prepare. */
export class RestartFromPrepareError extends Error {
  constructor(message: string) {
    super(message)
    this.name = 'RestartFromPrepareError'
  }
}

/** The local file changed size/mtime/content or vanished mid-upload: stop the job. */
export class SourceChangedError extends Error {
  readonly path: string
  constructor(path: string, message: string) {
    super(`${path}: ${message}`)
    this.name = 'SourceChangedError'
    this.path = path
  }
}

/** The local file cannot be read (permissions, not a file): fail this job only. */
export class SourceUnreadableError extends Error {
  readonly path: string
  constructor(path: string, message: string) {
    super(`${path}: ${message}`)
    this.name = 'SourceUnreadableError'
    this.path = path
  }
}

/**
 * Storage would not open a resumable session on the upload URL (refused as not signed for it, or
 * answered without a session): seed 003's URLs take the whole file in one PUT instead.
 */
export class NotResumableError extends Error {
  readonly status: number
  constructor(status: number, message: string) {
    super(message)
    this.name = 'NotResumableError'
    this.status = status
  }
}
