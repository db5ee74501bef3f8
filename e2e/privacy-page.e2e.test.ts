// The Privacy page in real Chromium against a real collector (docs/privacy.md): the three settings are
// saved and shown again after a reload; erasing a person asks first, then deletes every lead of that
// phone (written two ways) and says that the CRM's copy is not touched; the page speaks Russian too.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Lead, Project } from '../shared/schemas.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { logIn } from '../test-support/admin-login.ts';
import { startAdminCollector, type AdminCollector } from '../test-support/collector.ts';
import { watchAdminPage } from './admin-helpers.ts';

let collector: AdminCollector;
let browser: Browser;
let project: Project;

beforeAll(async () => {
  [collector, browser] = await Promise.all([startAdminCollector(), launchBrowser()]);
  project = await collector.api<Project>('POST', '/projects', { name: 'Privacy shop' });
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

const context = { page: 'https://shop.example/', referrer: '', landingPage: 'https://shop.example/' };

test('settings saved; a person erased after a confirmation, with the CRM note', { timeout: 90_000 }, async () => {
  const ann = [
    await collector.siteLead(project.id, { name: 'Ann', phone: '+7 (999) 123-45-67', email: '', context }),
    await collector.siteLead(project.id, { name: 'Ann', phone: '89991234567', email: 'ann@example.com', context }),
  ];
  const bob = await collector.siteLead(project.id, { name: 'Bob', phone: '+7 999 765-43-21', email: 'bob@example.com', context });

  const page = await browser.newPage();
  const problems = watchAdminPage(page);
  await logIn(page, collector.origin, collector.token);
  await page.getByRole('link', { name: 'Privacy', exact: true }).click();
  await page.waitForURL(`**/admin/p/${project.id}/privacy`);
  await page.getByRole('heading', { name: 'Privacy', level: 1 }).waitFor();

  // Defaults: keep forever (days disabled), whole IPs, cookies on.
  const retention = page.getByLabel('Delete old leads and visits');
  await retention.waitFor();
  expect(await retention.isChecked()).toBe(false);
  expect(await page.getByLabel('Keep for (days)').isDisabled()).toBe(true);
  expect(await page.getByLabel("Shorten visitors' IP addresses").isChecked()).toBe(false);
  expect(await page.getByLabel('Cookies and visit tracking').isChecked()).toBe(true);

  await retention.check();
  await page.getByLabel('Keep for (days)').fill('0');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('alert').filter({ hasText: 'Keep for (days): a whole number from 1 to 36500.' }).waitFor();
  await page.getByLabel('Keep for (days)').fill('30');
  await page.getByLabel("Shorten visitors' IP addresses").check();
  await page.getByLabel('Cookies and visit tracking').uncheck();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
  expect(await collector.api('GET', `/projects/${project.id}`)).toMatchObject({ retentionDays: 30, truncateIp: true, cookies: false });

  await page.reload();
  await page.getByLabel('Keep for (days)').waitFor();
  expect(await page.getByLabel('Delete old leads and visits').isChecked()).toBe(true);
  expect(await page.getByLabel('Keep for (days)').inputValue()).toBe('30');
  expect(await page.getByLabel("Shorten visitors' IP addresses").isChecked()).toBe(true);
  expect(await page.getByLabel('Cookies and visit tracking').isChecked()).toBe(false);

  // Erasure: the CRM note is on the page before anything is done.
  expect(await page.getByText("The copy in your CRM is not touched", { exact: false }).count()).toBeGreaterThan(0);
  await page.getByRole('button', { name: 'Erase…' }).click();
  await page.getByRole('alert').filter({ hasText: 'Phone or email: give at least one.' }).waitFor();
  await page.getByLabel('Phone', { exact: true }).fill('8 999 123 45 67');
  await page.getByRole('button', { name: 'Erase…' }).click();
  await page.getByText('Erase every lead of 8 999 123 45 67 in this project? This cannot be undone.').waitFor();
  // Nothing is erased before the confirmation.
  expect((await collector.api<{ items: Lead[] }>('GET', `/projects/${project.id}/leads`)).items).toHaveLength(3);
  await page.getByRole('button', { name: 'Yes, erase' }).click();
  const result = page.getByRole('status').filter({ hasText: '2 leads erased.' });
  await result.waitFor();
  expect(await result.textContent()).toContain("The copy in your CRM is not touched: delete the person's deals and contacts there as well.");
  const left = (await collector.api<{ items: Lead[] }>('GET', `/projects/${project.id}/leads`)).items.map((l) => l.id);
  expect(left).toEqual([bob]);
  for (const id of ann) expect(left).not.toContain(id);

  // The same page in Russian: the navigation link and the page's texts.
  await page.evaluate(() => localStorage.setItem('leadrelay_admin_language', 'ru'));
  await page.reload();
  await page.getByRole('link', { name: 'Конфиденциальность', exact: true }).waitFor();
  await page.getByRole('heading', { name: 'Конфиденциальность', level: 1 }).waitFor();
  await page.getByLabel('Удалять старые заявки и визиты').waitFor();
  expect(await page.getByRole('button', { name: 'Сохранить', exact: true }).count()).toBe(1);
  expect(problems).toEqual([]);
  await page.close();
});
