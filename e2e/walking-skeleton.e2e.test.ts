// The whole path once, in a real browser: a plain form that POSTs and navigates away at once
// yields exactly one lead in the collector and exactly one delivery to a (strict) webhook CRM.
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startWebhookMock, type WebhookMock } from '../fixtures/crm/webhook-mock.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { startCollector, type Collector } from '../test-support/collector.ts';
import { expectLeads, startSiteServer, watchPage, type SiteServer } from './harness.ts';

let browser: Browser;
let collector: Collector;
let site: SiteServer;
let crm: WebhookMock;
let projectId: string;

beforeAll(async () => {
  [browser, collector, crm] = await Promise.all([launchBrowser(), startCollector(), startWebhookMock({ secret: 'whsec-e2e' })]);
  ({ id: projectId } = await collector.createProject('Classic site'));
  await collector.setIntegration(projectId, { type: 'webhook', enabled: true, settings: { url: crm.url, secret: 'whsec-e2e' } });
  await collector.addForm(projectId, {
    title: 'Call request',
    trigger: 'submit',
    selector: '#order',
    fields: {
      name: { source: 'field', value: 'fio', required: false },
      phone: { source: 'field', value: 'tel', required: true },
      email: { source: 'field', value: 'mail', required: false },
      comment: { source: 'field', value: 'msg', required: false },
    },
    extraFields: [{ key: 'password_never_read', source: 'field', value: 'secret', required: false }],
  });
  site = await startSiteServer({ COLLECTOR: collector.url, PROJECT: projectId });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close(), crm?.close()]);
});

async function openForm() {
  const page = await browser.newPage();
  const watched = watchPage(page);
  const config = page.waitForResponse((r) => r.url().includes(`/api/site/1.0/${projectId}/config`));
  await page.goto(`${site.url}/classic/`);
  await config;
  return { page, watched };
}

test('a form that posts and navigates away yields one lead and one delivery, with the typed values', async () => {
  const { page, watched } = await openForm();
  const [lead] = await expectLeads({
    collector,
    projectId,
    action: async () => {
      await page.fill('input[name=fio]', 'Ivan Petrov');
      await page.fill('input[name=tel]', '+7 (999) 123-45-67');
      await page.fill('input[name=mail]', 'ivan@example.com');
      await page.fill('textarea[name=msg]', 'Call me after 6 pm');
      await Promise.all([page.waitForURL(`${site.url}/thanks`), page.click('button[type=submit]')]);
    },
    expected: [{ name: 'Ivan Petrov', phone: '+7 (999) 123-45-67', email: 'ivan@example.com', comment: 'Call me after 6 pm', title: 'Call request' }],
  });
  // The host form itself still posted: the snippet never blocks or re-submits it.
  expect(site.hits.filter((h) => h.method === 'POST' && h.path === '/thanks')).toHaveLength(1);
  // A password input is never read, whatever the config says.
  expect(lead!.fields.password_never_read ?? '').toBe('');

  const delivered = await crm.waitForLeads(1);
  expect(delivered).toHaveLength(1);
  expect(delivered[0]).toMatchObject({ id: lead!.id, name: 'Ivan Petrov', phone: '+7 (999) 123-45-67', email: 'ivan@example.com' });
  await new Promise((r) => setTimeout(r, 500));
  expect(crm.receipts.filter((r) => r.body.id === lead!.id)).toHaveLength(1);
  expect(crm.rejected).toEqual([]);
  const stored = await collector.admin<{ status: string; crmId: string; attempts: unknown[] }>('GET', `/projects/${projectId}/leads/${lead!.id}`);
  expect(stored.status).toBe('sent');
  expect(stored.crmId).toMatch(/^WH-/);
  expect(stored.attempts).toHaveLength(1);
  expect(watched.errors).toEqual([]);
  await page.close();
});

test('a form whose required field is empty yields no lead', async () => {
  const { page, watched } = await openForm();
  await expectLeads({
    collector,
    projectId,
    action: async () => {
      await page.fill('input[name=fio]', 'No Phone');
      await Promise.all([page.waitForURL(`${site.url}/thanks`), page.click('button[type=submit]')]);
    },
    refuted: [{ name: 'No Phone' }],
    settleMs: 1500,
  });
  expect(watched.errors).toEqual([]);
  await page.close();
});
