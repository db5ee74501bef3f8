// Logs a page in to the admin UI with the admin token, as a person would; used by the admin UI
// browser tests and the screenshot script.
import type { Page } from 'playwright-core';

export async function logIn(page: Page, origin: string, token: string): Promise<void> {
  await page.goto(`${origin}/admin/`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Forms', exact: true }).waitFor();
}
