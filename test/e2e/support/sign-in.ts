/**
 * The steps every spec takes to get past sign-in, as a person does them: the API token pasted
 * into the sign-in screen, then the first organization when the app asks for one. Both end on
 * the Activity screen.
 */
import { expect } from '@playwright/test'
import type { Page } from '@playwright/test'

/**
 * Picks the first organization when the app asks which one (accounts with one go straight on),
 * then waits for Activity. `atChoice` runs while the choice is on screen.
 */
export async function chooseOrganization(
  page: Page,
  atChoice?: () => Promise<void>,
): Promise<void> {
  const orgChoice = page.getByRole('heading', { name: 'Choose an organization' })
  const activity = page.getByRole('heading', { name: 'Activity' })
  await expect(orgChoice.or(activity)).toBeVisible()
  if (await orgChoice.isVisible()) {
    await atChoice?.()
    await page.getByRole('listitem').getByRole('button').first().click()
  }
  await expect(activity).toBeVisible()
}

/**
 * Opens `url` and signs in with `token` unless the app is already signed in (a spec's second
 * page on the same engine), then chooses the organization.
 */
export async function signIn(page: Page, url: string, token: string): Promise<void> {
  await page.goto(url)
  const tokenBox = page.getByRole('textbox', { name: 'API token' })
  const orgChoice = page.getByRole('heading', { name: 'Choose an organization' })
  const activity = page.getByRole('heading', { name: 'Activity' })
  await expect(tokenBox.or(orgChoice).or(activity)).toBeVisible()
  if (await tokenBox.isVisible()) {
    await tokenBox.fill(token)
    await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  }
  await chooseOrganization(page)
}
