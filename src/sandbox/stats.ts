/** Request counters for `/__sandbox/stats`, keyed by route pattern (`POST /v1/:org/assets/upload_prepare`). */
export class SandboxStats {
  readonly requests: Record<string, number> = {}
  apiRequests = 0
  storageRequests = 0
  bytesReceived = 0
  duplicates = 0

  count(key: string, kind: 'api' | 'storage' | 'other'): void {
    this.requests[key] = (this.requests[key] ?? 0) + 1
    if (kind === 'api') this.apiRequests++
    if (kind === 'storage') this.storageRequests++
  }

  reset(): void {
    for (const key of Object.keys(this.requests)) delete this.requests[key]
    this.apiRequests = 0
    this.storageRequests = 0
    this.bytesReceived = 0
    this.duplicates = 0
  }
}
