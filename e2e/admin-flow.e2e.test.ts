// A marketer's whole day in the admin UI, in Chromium: log in, connect the CRM and add a form through
// the UI, a visitor sends that form on a fixture site (another origin, the real snippet), the lead
// shows ✓ with its deal id; the CRM breaks, the next lead shows ✗ with the reason and the next try;
// the CRM is fixed, "Resend" makes it ✓. A name that is markup is shown as text and runs nothing.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Lead, Project } from '../shared/schemas.ts';
import { startWebhookMock, type WebhookMock } from '../fixtures/crm/webhook-mock.ts';
import { startSiteServer, type SiteServer } from './harness.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { logIn } from '../test-support/admin-login.ts';
import { startAdminCollector, type AdminCollector } from '../test-support/collector.ts';
import { watchAdminPage } from './admin-helpers.ts';

let browser: Browser;
let collector: AdminCollector;
let crm: WebhookMock;
let site: SiteServer;
let project: Project;
let admin: Page;
let problems: string[];

beforeAll(async () => {
  [browser, collector, crm] = await Promise.all([launchBrowser(), startAdminCollector(), startWebhookMock({ secret: 'whsec-admin-flow' })]);
  project = await collector.api<Project>('POST', '/projects', { name: 'Classic site' });
  site = await startSiteServer({ COLLECTOR: collector.origin, PROJECT: project.id });
  admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  problems = watchAdminPage(admin);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close(), crm?.close()]);
});

async function leadNamed(name: string): Promise<Lead | undefined> {
  const { items } = await collector.api<{ items: Lead[] }>('GET', `/projects/${project.id}/leads?limit=500`);
  return items.find((l) => l.name === name);
}

/** A visitor fills the fixture form and sends it (the page posts and navigates away at once). */
async function visitorSends(values: { fio: string; tel: string; mail?: string; msg?: string }): Promise<Lead> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const pageProblems = watchAdminPage(page);
  const config = page.waitForResponse((r) => r.url().includes(`/api/site/1.0/${project.id}/config`));
  await page.goto(`${site.url}/classic/`);
  await config;
  await page.fill('input[name=fio]', values.fio);
  await page.fill('input[name=tel]', values.tel);
  if (values.mail) await page.fill('input[name=mail]', values.mail);
  if (values.msg) await page.fill('textarea[name=msg]', values.msg);
  await Promise.all([page.waitForURL(`${site.url}/thanks`), page.click('button[type=submit]')]);
  await expect.poll(() => leadNamed(values.fio), { timeout: 10_000 }).toBeDefined();
  expect(pageProblems).toEqual([]);
  await context.close();
  return (await leadNamed(values.fio))!;
}

/** The leads list row of the lead with this name. */
const row = (name: string) => admin.getByRole('row').filter({ has: admin.getByRole('link', { name, exact: true }) });

test('log in, connect the CRM and add a form through the UI', async () => {
  await logIn(admin, collector.origin, collector.token);

  await admin.getByRole('link', { name: 'Integration', exact: true }).click();
  await admin.getByLabel('CRM type').selectOption('webhook');
  await admin.getByLabel('Webhook URL').fill(crm.url);
  await admin.getByLabel('Signing secret').fill('whsec-admin-flow');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await admin.getByText('Saved.').waitFor();
  await admin.getByRole('button', { name: 'Test connection' }).click();
  await admin.getByText('✓ The webhook answered 2xx.').waitFor();

  await admin.getByRole('link', { name: 'Forms', exact: true }).click();
  await admin.getByRole('button', { name: 'Add form', exact: true }).click();
  await admin.getByLabel('Title', { exact: true }).fill('Call request from ');
  await admin.getByRole('button', { name: '{domain}', exact: true }).click();
  await admin.getByLabel('Selector', { exact: true }).fill('#order');
  const fill = async (legend: string, value: string, required = false) => {
    const group = admin.getByRole('group', { name: legend, exact: true });
    await group.getByLabel('Source', { exact: true }).selectOption('field');
    await group.getByLabel('Value', { exact: true }).fill(value);
    if (required) await group.getByLabel('Required', { exact: true }).check();
  };
  await fill('Name', 'fio');
  await fill('Phone', 'tel', true);
  await fill('Email', 'mail');
  await fill('Comment', 'msg');
  await admin.getByRole('button', { name: 'Save', exact: true }).click();
  await admin.getByRole('row', { name: /#order/ }).waitFor();
  expect(await admin.getByRole('row', { name: /#order/ }).textContent()).toContain('Call request from {domain}');
}, 30_000);

test('a lead from the fixture site shows ✓ and its CRM deal id in the leads list', async () => {
  const lead = await visitorSends({ fio: 'Ivan Petrov', tel: '+7 (999) 123-45-67', mail: 'ivan@example.com', msg: 'Call me after 6 pm' });
  // The title made in the editor is the one the lead carries ({domain} is expanded by the collector's variables engine).
  expect(lead.title).toMatch(/^Call request from /);

  await admin.getByRole('link', { name: 'Leads', exact: true }).click();
  const ivan = row('Ivan Petrov');
  await expect.poll(() => ivan.textContent(), { timeout: 10_000 }).toMatch(/✓\s*Sent\s*CRM deal WH-\d+/);
  // Sent leads offer no "Resend": a second deal would be a duplicate in the CRM.
  expect(await ivan.getByRole('button', { name: 'Resend' }).count()).toBe(0);
}, 30_000);

test('a broken CRM shows ✗ with its reason and the next try; "Resend" after the fix shows ✓', async () => {
  crm.setDown(true, 503);
  await visitorSends({ fio: 'Maria Sokolova', tel: '+7 926 700-80-90', msg: 'Wedding bouquet' });

  // The list refreshes by itself: no reload.
  const maria = row('Maria Sokolova');
  await expect.poll(() => maria.textContent(), { timeout: 10_000 }).toMatch(/✗\s*Retrying\s*HTTP 503: service unavailable\s*Next try:/);

  crm.setDown(false);
  await maria.getByRole('link', { name: 'Maria Sokolova', exact: true }).click();
  await admin.getByRole('heading', { name: 'Delivery attempts' }).waitFor();
  await admin.getByRole('button', { name: 'Resend', exact: true }).click();
  const delivery = admin.locator('.card').filter({ has: admin.getByRole('heading', { name: 'Delivery', exact: true }) });
  await expect.poll(() => delivery.textContent(), { timeout: 10_000 }).toMatch(/✓\s*Sent\s*CRM deal WH-\d+/);

  // Both attempts are listed: the failure with the CRM's status, then the success.
  const attempts = admin.locator('.card').filter({ has: admin.getByRole('heading', { name: 'Delivery attempts' }) }).getByRole('row');
  await expect.poll(() => attempts.count()).toBe(3);
  expect(await attempts.nth(1).textContent()).toMatch(/✗ Failed\s*503\s*HTTP 503: service unavailable/);
  expect(await attempts.nth(2).textContent()).toMatch(/✓ OK\s*20\d/);
  expect(crm.leads().map((l) => l.name)).toEqual(['Ivan Petrov', 'Maria Sokolova']);

  await admin.getByRole('link', { name: 'Leads', exact: true }).click();
  await expect.poll(() => row('Maria Sokolova').textContent(), { timeout: 10_000 }).toMatch(/✓\s*Sent/);
}, 60_000);

test('a name typed as markup is shown as text and runs nothing', async () => {
  const evil = '<img src=x onerror=alert(1)>';
  await visitorSends({ fio: evil, tel: '+7 900 000-00-13', msg: '<script>alert(2)</script>' });
  await admin.getByRole('link', { name: 'Leads', exact: true }).click();
  await admin.getByRole('link', { name: evil, exact: true }).click();
  await admin.getByText('<script>alert(2)</script>', { exact: true }).waitFor();
  expect(await admin.getByText(evil, { exact: true }).count()).toBeGreaterThan(0);
  expect(await admin.locator('img, script:not([src])').count()).toBe(0);
  // No alert() ran (a dialog would be recorded), no CSP violation, no page error, all along.
  expect(problems).toEqual([]);
}, 30_000);
