/**
 * bench/results/latest.md, the README's Performance section: the table, how it was measured, and
 * a hand-written block on what limits each missed goal, kept across runs between the markers.
 */
import { readFile } from 'node:fs/promises'
import type { MachineInfo } from './report.ts'
import { markdownTable } from './report.ts'
import type { SectionOutcome } from './section.ts'

const KEEP_START = '<!-- limits:start (hand-written, kept by npm run bench) -->'
const KEEP_END = '<!-- limits:end -->'

const HOW = `### How it was measured
- One machine, one run: the Playbook sandbox in the harness process, on loopback or behind its
  \`wan\` link (the two profiles; both clients of a comparison on the same one); every measured
  client in its own Node process, running bundled JavaScript as the CLI does; peak RSS is that
  process's VmHWM (sampled from /proc) or its own \`maxRSS\`, whichever is higher. Generated data
  is random (incompressible) and lives in temp folders.
- **Large file**: a 1 GiB file (\`--quick\`: 128 MiB). curl: \`upload_prepare\`, session start, one
  \`curl -T\` PUT of the whole file to the session, \`upload_complete\`. Ours: the transfer queue
  with default settings (the rest of the file streamed in one PUT, sha256 while reading, a mark
  persisted every 4 MiB), timed from enqueue to done. A bare Node client, for reference (no
  goal): curl's flow with the PUT sent by undici from reused 4 MiB buffers in 1 MiB pieces, as
  ours sends, with no hashing, marks or state. Best of 3 each (\`--quick\`: 2), each run on a
  fresh sandbox after \`sync\` (no run pays for writing the previous one back), the order turning
  between rounds; ratio = curl's time / the client's.
- **Small files**: 10,000 files of 20–200 KB (\`--quick\`: 1,000) in nested folders. Ours: the sync
  engine's catch-up scan to all done (\`sync --once\`: walk, hash, batched prepare, 4 uploads at once,
  batched complete). Naive: prepare → session → PUT → complete per file, 4 at once. API requests are
  counted by the sandbox.
- **WAN**: the same two comparisons with every client behind the sandbox's \`wan\` link (40 ms
  round trip, 200 Mbit/s each way): 1,000 small files (\`--quick\`: 300) and a 512 MiB file
  (\`--quick\`: 64 MiB), best of 2.
- **Scan**: 100,000 files of 100 B–4 KB (\`--quick\`: 5,000). First scan = walk, hash, index and
  enqueue (the queue is not started, so no upload time); rescan = a new process, nothing changed.
- **Watch**: default settings (files must be still for 2 s); files written and closed one by one;
  latency = closed → the file's job leaves \`queued\`.
- **Resume**: a 512 MiB upload (\`--quick\`: 128 MiB) SIGKILLed once the sandbox has received 80 %,
  then restarted; bytes sent again = bytes the sandbox received − the file's size.
- **UI**: the built renderer (\`out/renderer\`) in headless Chromium with a stand-in host holding
  10,000 uploading jobs, which sends the page the jobs it asks for (a start-up asks for the newest
  100, then for every job once they are painted) and sends every job in a task of its own, as a
  reply from another process comes. As in the app, the stand-in preload asks main for the first
  screen as the page starts and places it with the preload's own code
  (\`src/preload/first-screen.ts\`); its answer comes once main would have drawn it (the bench
  draws it in Node with main's code, \`out/first-screen\`, and waits that long). First render =
  navigation start → the first frame painted with a job row; update = one \`job:progress\` event
  carrying all 10,000 jobs, sent as a frame begins once the page has held them for 20 frames →
  that frame painted with the new numbers (or the first later frame that shows them).
  "Painted" is marked by a user-blocking task posted from the
  frame's animation callbacks, which runs right after its paint and ahead of the tasks the page
  queued for later; that task hands the time to the bench through a binding, and the bench does
  not touch the page before (Playwright's wait calls load its own script into the page first,
  10–25 ms of the page's main thread in the very frame being timed). Median of 5 page loads
  (\`--quick\`: 1), after \`sync\` (the sections before leave gigabytes to write back). The
  browser's own omnibox popup is switched off (as Puppeteer does by default): headless Chromium
  otherwise loads it in a renderer of its own at every new page, on the same cores, and a window
  of the app has no browser UI.`

/** Builds latest.md, keeping the hand-written block of the previous file when there is one. */
export async function latestMarkdown(
  previousPath: string,
  outcomes: readonly SectionOutcome[],
  info: { machine: MachineInfo; date: string; quick: boolean; node: string },
): Promise<string> {
  let kept = `${KEEP_START}\n${KEEP_END}`
  try {
    const previous = await readFile(previousPath, 'utf8')
    const start = previous.indexOf(KEEP_START)
    const end = previous.indexOf(KEEP_END)
    if (start >= 0 && end > start) kept = previous.slice(start, end + KEEP_END.length)
  } catch {
    // First run: nothing to keep.
  }
  const notes = outcomes.flatMap((o) => o.notes.map((note) => `- ${o.section.title}: ${note}`))
  const unavailable = outcomes
    .filter((o) => o.unavailable)
    .map((o) => `- \`${o.section.name}\`: n/a (${o.unavailable})`)
  return [
    '## Performance',
    '',
    `Measured by \`npm run bench${info.quick ? ' -- --quick' : ''}\` on ${info.date.slice(0, 10)}: ` +
      `${info.machine.cores} cores, ${info.machine.memory} GiB memory, Node ${info.node}` +
      `${info.quick ? ' (quick: smaller data sets)' : ''}. Raw numbers: \`bench/results/latest.json\`, ` +
      'details: `bench/results/latest-details.json`.',
    '',
    markdownTable(outcomes),
    '',
    ...(notes.length > 0 ? [...notes, ''] : []),
    ...(unavailable.length > 0 ? ['Not measured:', ...unavailable, ''] : []),
    HOW,
    '',
    '### What limits the missed goals',
    kept,
    '',
  ].join('\n')
}
