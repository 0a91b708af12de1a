/**
 * `npm run bench [-- --quick] [--only a,b] [--out DIR]`: measures speed, scale and crash safety side by side
 * against a local sandbox, prints a table and writes bench/results/latest.json (plus
 * latest-details.json and latest.md). Each section is bounded in time; a section that cannot run
 * records null and says why.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { latestMarkdown } from './lib/markdown.ts'
import { machineInfo, resultsJson, textTable } from './lib/report.ts'
import { ROOT, runSection } from './lib/section.ts'
import { bundleWorkers } from './lib/worker-bundles.ts'
import type { Section, SectionOutcome } from './lib/section.ts'
import { largeFileSection } from './sections/large-file.ts'
import { smallFilesSection } from './sections/small-files.ts'
import { scanSection } from './sections/scan.ts'
import { watchSection } from './sections/watch.ts'
import { resumeSection } from './sections/resume.ts'
import { uiSection } from './sections/ui.ts'
import { wanSection } from './sections/wan.ts'

const sections: readonly Section[] = [
  largeFileSection,
  smallFilesSection,
  wanSection,
  scanSection,
  watchSection,
  resumeSection,
  uiSection,
]

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      out: { type: 'string' },
    },
  })
  const quick = values.quick === true
  const only = values.only?.split(',').map((s) => s.trim())
  const chosen = only ? sections.filter((s) => only.includes(s.name)) : sections
  const machine = machineInfo()
  const date = new Date().toISOString()
  const started = performance.now()
  console.log(
    `playbook-sync bench (${quick ? 'quick' : 'full'}) on ${machine.cores} cores, ${machine.memory} GiB`,
  )
  const workersDir = await bundleWorkers(ROOT, [
    'upload-worker.ts',
    'sync-worker.ts',
    'naive-client.ts',
    'plain-put.ts',
  ])
  const outcomes: SectionOutcome[] = []
  for (const section of sections) {
    if (!chosen.includes(section)) continue
    console.log(`\n== ${section.title}`)
    const outcome = await runSection(section, {
      quick,
      log: (line) => console.log(line),
      workersDir,
    })
    if (outcome.unavailable) console.log(`[${section.name}] n/a (${outcome.unavailable})`)
    else console.log(`[${section.name}] ${outcome.seconds.toFixed(1)} s`)
    outcomes.push(outcome)
  }
  const table = textTable(outcomes)
  console.log(`\n${table}\n`)
  for (const o of outcomes) for (const note of o.notes) console.log(`${o.section.name}: ${note}`)
  console.log('')
  if (only && values.out === undefined) {
    console.log('--only: results not written (give --out DIR to write them)')
    return
  }
  const outDir = values.out ?? join(ROOT, 'bench', 'results')
  await mkdir(outDir, { recursive: true })
  const json = resultsJson(outcomes, machine, date)
  await writeFile(join(outDir, 'latest.json'), `${JSON.stringify(json, null, 2)}\n`)
  const details = {
    mode: quick ? 'quick' : 'full',
    date,
    machine,
    node: process.versions.node,
    total_seconds: Math.round((performance.now() - started) / 1000),
    sections: Object.fromEntries(
      outcomes.map((o) => [
        o.section.name,
        {
          seconds: Math.round(o.seconds * 10) / 10,
          ...(o.unavailable ? { unavailable: o.unavailable } : {}),
          ...o.details,
          notes: o.notes,
        },
      ]),
    ),
  }
  await writeFile(join(outDir, 'latest-details.json'), `${JSON.stringify(details, null, 2)}\n`)
  const mdPath = join(outDir, 'latest.md')
  await writeFile(
    mdPath,
    await latestMarkdown(mdPath, outcomes, { machine, date, quick, node: process.versions.node }),
  )
  console.log(`wrote ${join(outDir, 'latest.json')} in ${details.total_seconds} s`)
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
