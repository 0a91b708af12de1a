import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from '@playwright/test'
import { sandboxAssets, startHostFixture, type HostFixture } from './support/host-fixture.ts'
import { chooseFolderAndBoard } from './support/add-folder.ts'
import { signIn } from './support/sign-in.ts'

// The add-folder preview shows the folder tree as a board tree: new boards marked, a branch
// remapped to an existing board, and after "Start syncing" each file is on the board shown.

let fixture: HostFixture
let folder: string

test.beforeAll(async () => {
  fixture = await startHostFixture()
  folder = await mkdtemp(join(tmpdir(), 'pbs-e2e-subboards-'))
  await mkdir(join(folder, 'Sketches', 'Early'), { recursive: true })
  await mkdir(join(folder, 'Refs'), { recursive: true })
  await writeFile(join(folder, 'cover.txt'), 'cover')
  await writeFile(join(folder, 'Sketches', 'one.txt'), 'one')
  await writeFile(join(folder, 'Sketches', 'Early', 'zero.txt'), 'zero')
  await writeFile(join(folder, 'Refs', 'ref.txt'), 'ref')
})
test.afterAll(async () => {
  await fixture?.close()
  await rm(folder, { recursive: true, force: true })
})

test('the add-folder preview shows the board tree and a branch goes to an existing board', async ({
  page,
}) => {
  const [brand, , , moodboard] = fixture.sandbox.boards
  if (!brand || !moodboard) throw new Error('the sandbox has no boards')
  await signIn(page, fixture.host.url, fixture.sandbox.token)

  await chooseFolderAndBoard(page, folder, brand.title)

  const tree = page.getByRole('list', { name: 'Where each folder goes' })
  const row = (path: string) => tree.locator(`li[data-path="${path}"]`)
  await expect(row('')).toContainText(`→ ${brand.title}`)
  await expect(row('Sketches')).toContainText('→ Sketches')
  await expect(row('Sketches')).toContainText('new board')
  await expect(row('Sketches/Early')).toContainText('new board')
  await expect(row('Refs')).toContainText('new board')

  await page
    .getByRole('combobox', { name: 'Where Refs goes' })
    .selectOption(`board:${moodboard.token}`)
  await expect(row('Refs')).toContainText(`→ ${moodboard.title}`)
  await expect(row('Refs')).not.toContainText('new board')
  await expect(row('Refs')).toHaveAttribute('data-lands', 'existing')
  await expect(row('Sketches')).toContainText('new board')

  await page.getByRole('button', { name: 'Start syncing' }).click()
  await expect
    .poll(async () => (await sandboxAssets(fixture.sandbox, moodboard.token)).map((a) => a.title), {
      timeout: 30_000,
    })
    .toEqual(['ref.txt'])
  await expect
    .poll(async () => (await sandboxAssets(fixture.sandbox, brand.token)).map((a) => a.title), {
      timeout: 30_000,
    })
    .toEqual(['cover.txt'])
  const boards = (await (
    await fetch(`${fixture.sandbox.url}/v1/${fixture.sandbox.org}/boards?depth=all&per_page=100`, {
      headers: { authorization: `Bearer ${fixture.sandbox.token}` },
    })
  ).json()) as { data: { id: number; token: string; title: string; parent_id: number | null }[] }
  const brandId = boards.data.find((b) => b.token === brand.token)?.id
  const sketches = boards.data.filter((b) => b.parent_id === brandId && b.title === 'Sketches')
  expect(sketches).toHaveLength(1)
  expect(boards.data.some((b) => b.parent_id === brandId && b.title === 'Refs')).toBe(false)
  await expect
    .poll(async () =>
      (await sandboxAssets(fixture.sandbox, sketches[0]?.token ?? '')).map((a) => a.title),
    )
    .toEqual(['one.txt'])

  // The same mapping is editable later: Sketches flattened into the board above; a new file there
  // lands on the folder's own board.
  const card = page.getByRole('list', { name: 'Synced folders' }).getByRole('listitem').first()
  await card.getByRole('button', { name: 'Where sub-folders go' }).click()
  const editor = card.getByRole('group', { name: 'Where sub-folders go' })
  await expect(editor.locator('li[data-path="Refs"]')).toContainText(`→ ${moodboard.title}`)
  await editor.getByRole('combobox', { name: 'Where Sketches goes' }).selectOption('parent')
  await expect(editor.locator('li[data-path="Sketches"]')).toContainText(`→ ${brand.title}`)
  await editor.getByRole('button', { name: 'Save' }).click()
  await expect(editor).toBeHidden()
  await writeFile(join(folder, 'Sketches', 'two.txt'), 'two')
  await expect
    .poll(
      async () => (await sandboxAssets(fixture.sandbox, brand.token)).map((a) => a.title).sort(),
      { timeout: 30_000 },
    )
    .toEqual(['cover.txt', 'two.txt'])
})
