/**
 * Network profiles for the sandbox: a round-trip latency and a bandwidth cap, so that benchmarks
 * and tests can see what a real link does to a client (batching, pipelining, streaming) on a
 * machine where everything else is loopback.
 */

/** What a link between the client and the sandbox costs. */
export interface LinkProfile {
  /** Round-trip time in ms: every request answers this much later (0: none). */
  readonly latencyMs: number
  /** Bandwidth cap in Mbit/s, each direction, shared by every connection (null: none). */
  readonly bandwidthMbit: number | null
}

/** The named profiles: `wan` is a good office or home connection to a cloud region. */
export const LINK_PROFILES: Readonly<Record<string, LinkProfile>> = {
  loopback: { latencyMs: 0, bandwidthMbit: null },
  wan: { latencyMs: 40, bandwidthMbit: 200 },
}

/** True when the profile changes nothing (no proxy is needed). */
export function isUnlimited(profile: LinkProfile): boolean {
  return profile.latencyMs <= 0 && profile.bandwidthMbit === null
}

/**
 * Builds a profile from a name and/or explicit numbers (the numbers win over the name's).
 * Throws a message fit for a user on an unknown name or an out-of-range number.
 */
export function resolveLinkProfile(options: {
  readonly profile?: string
  readonly latencyMs?: number
  readonly bandwidthMbit?: number | null
}): LinkProfile {
  let base: LinkProfile = LINK_PROFILES.loopback as LinkProfile
  if (options.profile !== undefined) {
    const named = LINK_PROFILES[options.profile]
    if (named === undefined) {
      throw new Error(
        `unknown network profile "${options.profile}" (known: ${Object.keys(LINK_PROFILES).join(', ')})`,
      )
    }
    base = named
  }
  const latencyMs = options.latencyMs ?? base.latencyMs
  const bandwidthMbit =
    options.bandwidthMbit === undefined ? base.bandwidthMbit : options.bandwidthMbit
  if (!Number.isFinite(latencyMs) || latencyMs < 0 || latencyMs > 10_000) {
    throw new Error(`latency must be 0–10000 ms, got ${String(latencyMs)}`)
  }
  if (bandwidthMbit !== null && (!Number.isFinite(bandwidthMbit) || bandwidthMbit <= 0)) {
    throw new Error(`bandwidth must be a positive number of Mbit/s, got ${String(bandwidthMbit)}`)
  }
  return { latencyMs, bandwidthMbit }
}
