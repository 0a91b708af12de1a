import { randomBytes } from 'node:crypto'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { expect, test, type Page } from '@playwright/test'
import type { EngineEvent } from '../../src/engine/engine-types.ts'
import { sandboxAssets, startHostFixture, type HostFixture } from './support/host-fixture.ts'
import { addFolder } from './support/add-folder.ts'
import { signIn as signInAt } from './support/sign-in.ts'

// Issue 16, part 4, in Debian's Chromium against the real engine and sandbox (headless host):
// settings apply at once. The bandwidth cap slows an upload that is already running, a folder's
// own ignore patterns apply to it at the next scan, pausing one folder leaves the others going,
// and out-of-range values are refused with a sentence, in the page and in the host's answer.

let fixture: HostFixture
let root: string

test.describe.configure({ mode: 'serial' })
test.use({ viewport: { width: 1100, height: 900 } })

test.beforeAll(async () => {
  fixture = await startHostFixture()
  root = await mkdtemp(join(tmpdir(), 'pbs-e2e-live-settings-'))
})
test.afterAll(async () => {
  await fixture?.close()
  await rm(root, { recursive: true, force: true })
})

async function signIn(page: Page): Promise<void> {
  await signInAt(page, fixture.host.url, fixture.sandbox.token)
}

async function setCap(page: Page, megabytesPerSecond: string): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click()
  const cap = page.getByRole('spinbutton', { name: 'Bandwidth cap (MB/s)' })
  await cap.fill(megabytesPerSecond)
  await expect(cap).not.toHaveAttribute('aria-invalid', 'true')
}

/** The card of the folder named `name` (its last path segment). */
function card(page: Page, name: string) {
  return page
    .getByRole('list', { name: 'Synced folders' })
    .getByRole('listitem')
    .filter({ has: page.getByRole('button', { name: `Options for ${name}` }) })
}

function skippedCount(page: Page, name: string) {
  return card(page, name)
    .getByRole('term')
    .filter({ hasText: /^Skipped$/ })
    .locator('+ dd')
}

/** Titles on the first sandbox board. */
async function titles(): Promise<string[]> {
  const board = fixture.sandbox.boards[0]?.token ?? ''
  return (await sandboxAssets(fixture.sandbox, board)).map((a) => a.title).sort()
}

/**
 * The stored reason of one file of the only pair holding it (read-only look at the state): a file
 * known before the rule came is set aside with a reason of its own; one the rule met first is
 * recorded with the pattern that matched.
 */
function storedReason(relPath: string): string | null {
  const db = new DatabaseSync(join(fixture.home, 'state.db'), { readOnly: true })
  try {
    const row = db
      .prepare('SELECT reason FROM sync_files WHERE rel_path = ? AND deleted_at IS NULL')
      .get(relPath) as { reason: string | null } | undefined
    if (row?.reason) return row.reason
    const ignored = db
      .prepare('SELECT pattern, location FROM sync_ignored WHERE rel_path = ?')
      .get(relPath) as { pattern: string | null; location: string | null } | undefined
    return ignored?.pattern
      ? `Ignored by the pattern "${ignored.pattern}" (recorded by the scan)`
      : null
  } finally {
    db.close()
  }
}

test('lowering the bandwidth cap slows an upload already running, within a second', async ({
  page,
}) => {
  test.setTimeout(180_000)
  const board = fixture.sandbox.boards[0]
  if (!board) throw new Error('the sandbox has no boards')
  const folder = join(root, 'big')
  await mkdir(folder, { recursive: true })
  await writeFile(join(folder, 'film.mov'), randomBytes(24 * 1024 * 1024))

  // The job's confirmed bytes over time, from the engine's own progress events.
  const samples: { at: number; bytes: number }[] = []
  const unsubscribe = fixture.engine.subscribe((event: EngineEvent) => {
    if (event.type !== 'job-progress' && event.type !== 'job') return
    if (event.job.source.kind !== 'file' || !event.job.source.path.endsWith('film.mov')) return
    samples.push({ at: performance.now(), bytes: event.job.bytesDone })
  })
  try {
    await signIn(page)
    await setCap(page, '2')
    await addFolder(page, folder, board.title)
    // Running at the first cap: some bytes confirmed, most still to go.
    await expect
      .poll(() => samples.at(-1)?.bytes ?? 0, { timeout: 60_000 })
      .toBeGreaterThan(1024 * 1024)

    const lowered = 100_000 // 0.1 MB/s
    const changedAt = performance.now()
    await setCap(page, '0.1')
    // Watch a window that starts one second after the change and lasts three.
    const from = changedAt + 1000
    const to = from + 3000
    await expect.poll(() => performance.now(), { timeout: 10_000 }).toBeGreaterThan(to)
    const at = (t: number) => samples.filter((s) => s.at <= t).at(-1)?.bytes ?? 0
    const sent = at(to) - at(from)
    // At the old cap this window would confirm ~6 MB. Slack: the chunk that was already on its
    // way when the window opened (256 KiB) and one in flight at the old rate.
    const slack = 2 * 256 * 1024
    expect(sent).toBeLessThanOrEqual((lowered * (to - from)) / 1000 + slack)
    expect(samples.at(-1)?.bytes ?? 0).toBeLessThan(24 * 1024 * 1024)

    // Lifting the cap lets the same upload finish.
    await setCap(page, '0')
    await expect.poll(titles, { timeout: 60_000 }).toContain('film.mov')
  } finally {
    unsubscribe()
  }
})

test("a folder's own ignore pattern applies at its next scan, and pausing it stops only it", async ({
  page,
}) => {
  test.setTimeout(180_000)
  const board = fixture.sandbox.boards[0]
  if (!board) throw new Error('the sandbox has no boards')
  const shoot = join(root, 'shoot')
  const other = join(root, 'other')
  await mkdir(shoot, { recursive: true })
  await mkdir(other, { recursive: true })
  await writeFile(join(shoot, 'cover.txt'), 'cover\n')
  await writeFile(join(shoot, 'layers-a.psd'), 'layers a\n')
  await writeFile(join(shoot, 'layers-b.psd'), 'layers b\n')
  await signIn(page)
  // Uploads held, so the .psd files are still waiting when the pattern changes.
  await page.getByRole('button', { name: 'Pause all' }).click()
  await addFolder(page, shoot, board.title)
  await addFolder(page, other, board.title)

  await card(page, 'shoot').getByRole('button', { name: 'Options for shoot' }).click()
  const panel = page.getByRole('region', { name: 'Options for shoot' })
  await expect(panel).toBeVisible()
  await panel.getByRole('textbox', { name: 'Ignore patterns for this folder' }).fill('*.psd')
  await panel.getByRole('button', { name: 'Save patterns' }).click()
  await expect(skippedCount(page, 'shoot')).toHaveText('2', { timeout: 30_000 })
  expect(storedReason('layers-a.psd')).toMatch(/^Ignored by the pattern "\*\.psd"/)
  await page.getByRole('button', { name: 'Activity' }).click()
  await page.getByRole('button', { name: 'Resume all' }).click()
  await expect.poll(titles, { timeout: 30_000 }).toEqual(['cover.txt', 'film.mov'])

  // Pause "shoot" only: a new file there waits, a new file in "other" lands.
  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  await card(page, 'shoot').getByRole('button', { name: 'Options for shoot' }).click()
  // The switch mirrors the engine's snapshot: it turns when the engine has paused the folder.
  const pauseSwitch = panel.getByRole('switch', { name: 'Pause this folder' })
  await pauseSwitch.click()
  await expect(pauseSwitch).toBeChecked()
  await expect(card(page, 'shoot').getByText('Paused', { exact: true })).toBeVisible()
  await writeFile(join(shoot, 'held.txt'), 'held while paused\n')
  await writeFile(join(other, 'goes.txt'), 'goes up\n')
  await expect.poll(titles, { timeout: 30_000 }).toContain('goes.txt')
  expect(await titles()).not.toContain('held.txt')
  await expect(card(page, 'other').getByText('Paused', { exact: true })).toBeHidden()

  // The pattern goes and the folder resumes: the files held back land.
  await pauseSwitch.click()
  await expect(pauseSwitch).not.toBeChecked()
  await panel.getByRole('textbox', { name: 'Ignore patterns for this folder' }).fill('')
  await panel.getByRole('button', { name: 'Save patterns' }).click()
  await expect
    .poll(titles, { timeout: 60_000 })
    .toEqual(['cover.txt', 'film.mov', 'goes.txt', 'held.txt', 'layers-a.psd', 'layers-b.psd'])
  // Keyboard: Escape closes the panel and puts focus back on its button.
  await panel.getByRole('textbox', { name: 'Ignore patterns for this folder' }).focus()
  await page.keyboard.press('Escape')
  await expect(panel).toBeHidden()
  await expect(card(page, 'shoot').getByRole('button', { name: 'Options for shoot' })).toBeFocused()
})

test('out-of-range values are refused with a sentence, in the page and in the host answer', async ({
  page,
}) => {
  await signIn(page)
  await page.getByRole('button', { name: 'Settings' }).click()
  const filesAtOnce = page.getByRole('spinbutton', { name: 'Files at once' })
  await filesAtOnce.fill('17')
  await expect(page.getByText('Files at once must be a whole number from 1 to 16')).toBeVisible()
  // What was typed stays (not reset), marked invalid.
  await expect(filesAtOnce).toHaveValue('17')
  await expect(filesAtOnce).toHaveAttribute('aria-invalid', 'true')
  await filesAtOnce.fill('3')
  await expect(filesAtOnce).not.toHaveAttribute('aria-invalid', 'true')

  await page.getByRole('spinbutton', { name: 'Bandwidth cap (MB/s)' }).fill('-1')
  await expect(page.getByText(/The bandwidth cap must be 0 \(no cap\) or a positive/)).toBeVisible()

  const patterns = page.getByRole('textbox', { name: 'Ignore patterns for every folder' })
  await patterns.fill('*.psd\nrenders/[ab')
  await patterns.blur()
  await expect(
    page.getByText('The ignore pattern "renders/[ab" has a "[" without a closing "]"'),
  ).toBeVisible()

  // A folder's own patterns are checked the same way.
  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  await card(page, 'other').getByRole('button', { name: 'Options for other' }).click()
  const panel = page.getByRole('region', { name: 'Options for other' })
  await panel.getByRole('textbox', { name: 'Ignore patterns for this folder' }).fill('# notes')
  await panel.getByRole('button', { name: 'Save patterns' }).click()
  await expect(panel.getByText(/starts with "#", which makes it a comment/)).toBeVisible()

  // The host's own answer, over the page's authenticated WebSocket, says the same; nothing is
  // clamped: the stored settings keep the last accepted values.
  const answers = await page.evaluate(async (host) => {
    const ws = new WebSocket(`ws://${host}/ws`)
    const replies = new Map<number, unknown>()
    await new Promise<void>((resolve, reject) => {
      ws.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as { type: string; id?: number }
        if (message.type === 'hello') resolve()
        if (message.type === 'result' && message.id !== undefined) replies.set(message.id, message)
      }
      ws.onerror = () => reject(new Error('socket failed'))
    })
    const ask = (id: number, channel: string, payload?: unknown) =>
      new Promise<unknown>((resolve) => {
        ws.send(JSON.stringify({ type: 'invoke', id, channel, payload }))
        const check = () => (replies.has(id) ? resolve(replies.get(id)) : setTimeout(check, 20))
        check()
      })
    const out = [
      await ask(1, 'settings:set', { concurrency: 0 }),
      await ask(2, 'settings:set', { bandwidthLimit: -5 }),
      await ask(3, 'settings:set', { ignorePatterns: ['[oops'] }),
      await ask(4, 'settings:get'),
    ]
    ws.close()
    return out
  }, new URL(fixture.host.url).host)
  expect(answers[0]).toMatchObject({
    ok: false,
    error: 'settings:set: refused: Files at once must be a whole number from 1 to 16',
  })
  expect(answers[1]).toMatchObject({ ok: false, error: expect.stringMatching(/bandwidth cap/) })
  expect(answers[2]).toMatchObject({
    ok: false,
    error: expect.stringMatching(/"\[oops" has a "\[" without a closing "\]"/),
  })
  expect(answers[3]).toMatchObject({ ok: true, value: { concurrency: 3, bandwidthLimit: 0 } })
})
