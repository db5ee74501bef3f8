// The lead page says which extra fields the CRM refused and why (the lead itself was delivered without
// them), in real Chromium against a real collector delivering to the strict amoCRM mock.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Project } from '../shared/schemas.ts';
import { startAmoCrmMock, type AmoMock } from '../fixtures/crm/amocrm.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { logIn } from '../test-support/admin-login.ts';
import { startAdminCollector, type AdminCollector } from '../test-support/collector.ts';
import { watchAdminPage } from './admin-helpers.ts';

let collector: AdminCollector;
let amo: AmoMock;
let browser: Browser;

beforeAll(async () => {
  [collector, amo, browser] = await Promise.all([startAdminCollector(), startAmoCrmMock({ token: 'amo-token' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await amo?.close();
  await collector?.close();
});

it('lists the refused field with its value and the CRM\'s reason', { timeout: 60_000 }, async () => {
  const shop = await collector.api<Project>('POST', '/projects', { name: 'amoCRM shop' });
  await collector.api('PUT', `/projects/${shop.id}/integration`, { type: 'amocrm', enabled: true, settings: { baseUrl: amo.url, token: 'amo-token' } });
  const id = await collector.siteLead(shop.id, { name: 'Olga', phone: '+7 900 000-00-02', fields: { NO_SUCH_CODE: 'teal sofa', '1276733': 'kept' } });
  await expect.poll(async () => (await collector.api<{ status: string }>('GET', `/projects/${shop.id}/leads/${id}`)).status, { timeout: 30_000 }).toBe('sent');

  const page = await browser.newPage();
  const problems = watchAdminPage(page);
  await logIn(page, collector.origin, collector.token);
  await page.goto(`${collector.origin}/admin/p/${shop.id}/leads/${id}`);
  await page.getByRole('heading', { name: 'Fields the CRM refused' }).waitFor();
  const row = page.getByRole('row', { name: /NO_SUCH_CODE/ });
  expect(await row.getByRole('cell').allTextContents()).toEqual(['NO_SUCH_CODE', 'teal sofa', 'NotSupportedChoice: The value you selected is not a valid choice.']);
  expect(problems).toEqual([]);
  await page.close();
});
