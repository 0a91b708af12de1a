/**
 * The steps every spec takes to pair a folder, as a person does them: the Folders tab, "Add
 * folder", the typed path, "Use this folder", then the board from the list. The preview is on
 * screen afterwards; `addFolder` also starts syncing.
 */
import { expect } from '@playwright/test'
import type { Page } from '@playwright/test'

/** Opens "Add folder" on the Folders tab and chooses `folder` and the board titled `boardTitle`. */
export async function chooseFolderAndBoard(
  page: Page,
  folder: string,
  boardTitle: string,
): Promise<void> {
  await page.getByRole('button', { name: 'Folders', exact: true }).click()
  await page.getByRole('button', { name: 'Add folder' }).first().click()
  await page
    .getByRole('textbox', { name: 'Folder path on the computer running Playbook Sync' })
    .fill(folder)
  await page.getByRole('button', { name: 'Use this folder' }).click()
  await page
    .getByRole('listbox', { name: 'Board for this folder' })
    .getByRole('option', { name: boardTitle })
    .click()
}

/** Pairs `folder` with the board titled `boardTitle` and starts syncing it. */
export async function addFolder(page: Page, folder: string, boardTitle: string): Promise<void> {
  await chooseFolderAndBoard(page, folder, boardTitle)
  await expect(page.getByText(/ to upload/)).toBeVisible()
  await page.getByRole('button', { name: 'Start syncing' }).click()
}
