import { mkdir, writeFile, mkdtemp, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { tmpdir } from 'node:os'
import { openDatabase } from '/work/main/src/engine/store/database.ts'
import { createSyncEngine } from '/work/main/src/engine/sync/sync-engine.ts'
import { createTransferQueue } from '/work/main/src/engine/transfer/queue.ts'
import { createPlaybookClient } from '/work/main/src/engine/playbook/client.ts'

const root = await mkdtemp(join(tmpdir(), 'pbs-big-'))
const folder = join(root, 'f')
let t = Date.now()
for (let d = 0; d < 100; d++) {
  await mkdir(join(folder, `d${d}`, 'sub'), { recursive: true })
  const writes = []
  for (let i = 0; i < 1000; i++) writes.push(writeFile(join(folder, `d${d}`, i % 2 ? 'sub' : '', `f${i}.txt`), `${d}-${i}`))
  await Promise.all(writes)
}
console.log('created', Date.now() - t)
const old = new Date(Date.now() - 3600_000)
const db = openDatabase(join(root, 'state.db'))
const client = createPlaybookClient({ baseUrl: 'http://127.0.0.1:9', getToken: () => 'x' })
const queue = createTransferQueue({ db, client })
let calls = 0
const q = Object.assign(Object.create(queue), { enqueue: (r: any) => { calls++; return queue.enqueue(r) } })
const engine = createSyncEngine({ db, queue: q, log: { info() {}, warn: console.warn, error: console.error }, watch: false, defaults: { settleMs: 0 } })
const pair = await engine.addPair({ folder, org: 'o', board: 'b' })
t = Date.now()
await engine.scan()
console.log('first scan', Date.now() - t, 'ms; enqueue calls', calls, 'jobs', queue.jobs().length, 'rss MB', Math.round(process.memoryUsage().rss / 1e6))
t = Date.now()
await engine.scan()
console.log('second scan', Date.now() - t, 'ms; enqueue calls', calls, engine.pair(pair.id)?.counts)
await engine.stop(); await queue.stop(); await client.close(); db.close()
await rm(root, { recursive: true, force: true })
