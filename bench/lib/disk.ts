/** The disk's state between timed runs. */
import { spawn } from 'node:child_process'

/**
 * Writes every dirty page to disk (`sync`) before a timed run: without it the run pays for
 * writing back what an earlier one wrote (the sandbox stores each upload on disk; the scan and
 * resume sections write gigabytes).
 */
export async function settleDisk(): Promise<void> {
  await new Promise<void>((resolve) => {
    const child = spawn('sync', [], { stdio: 'ignore' })
    child.on('error', () => resolve())
    child.on('exit', () => resolve())
  })
}
