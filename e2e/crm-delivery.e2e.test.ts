// One lead per trigger kind, from a fixture site in Chromium to a CRM mock other than the webhook:
// a `submit` form into amoCRM, a `click` AJAX form into Bitrix24. Both mocks check requests as
// strictly as the real APIs (auth, shape, required fields).
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { startAmoCrmMock, type AmoMock } from '../fixtures/crm/amocrm.ts';
import { startBitrix24Mock, type B24Mock } from '../fixtures/crm/bitrix24.ts';
import type { Lead } from '../shared/schemas.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { startCollector, type Collector } from '../test-support/collector.ts';
import { startSiteServer, watchPage, type SiteServer } from './harness.ts';

let browser: Browser;
let collector: Collector;
let amo: AmoMock;
let b24: B24Mock;
const sites: SiteServer[] = [];

const field = (value: string, required = false) => ({ source: 'field' as const, value, required });

beforeAll(async () => {
  [browser, collector, amo, b24] = await Promise.all([launchBrowser(), startCollector(), startAmoCrmMock({ token: 'amo-e2e' }), startBitrix24Mock()]);
});
afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), amo?.close(), b24?.close(), ...sites.map((s) => s.close())]);
});

async function project(name: string, integration: Parameters<Collector['setIntegration']>[1], form: Parameters<Collector['addForm']>[1]) {
  const { id } = await collector.createProject(name);
  await collector.setIntegration(id, integration);
  await collector.addForm(id, form);
  const site = await startSiteServer({ COLLECTOR: collector.url, PROJECT: id });
  sites.push(site);
  return { id, site };
}

async function waitForSent(projectId: string): Promise<Lead> {
  const until = Date.now() + 20_000;
  for (;;) {
    const leads = await collector.leads(projectId);
    if (leads[0]?.status === 'sent') return leads[0];
    if (Date.now() > until) throw new Error(`no lead was sent; leads: ${JSON.stringify(leads.map((l) => [l.status, l.lastError]))}`);
    await new Promise((r) => setTimeout(r, 150));
  }
}

test('a submit-trigger form becomes an amoCRM deal with its contact', async () => {
  const { id, site } = await project(
    'amo site',
    { type: 'amocrm', enabled: true, settings: { baseUrl: amo.url, token: 'amo-e2e' } },
    {
      title: 'Call request',
      trigger: 'submit',
      selector: '#order',
      fields: { name: field('fio'), phone: field('tel', true), email: field('mail') },
      extraFields: [{ key: 'price', source: 'static', value: '2500', required: false }],
    },
  );
  const page = await browser.newPage();
  const watched = watchPage(page);
  const config = page.waitForResponse((r) => r.url().includes('/config'));
  await page.goto(`${site.url}/classic/`);
  await config;
  await page.fill('[name=fio]', 'Pavel Sidorov');
  await page.fill('[name=tel]', '+7 903 555-44-33');
  await page.fill('[name=mail]', 'pavel@example.com');
  await Promise.all([page.waitForURL(`${site.url}/thanks`), page.click('button[type=submit]')]);

  const lead = await waitForSent(id);
  expect(amo.created.leads).toHaveLength(1);
  const deal = amo.created.leads[0]!;
  expect(lead.crmId).toBe(String(deal.id));
  expect(deal).toMatchObject({ name: 'Call request', price: 2500, request_id: lead.id });
  expect(amo.created.contacts[0]).toMatchObject({ name: 'Pavel Sidorov' });
  expect(JSON.stringify(amo.created.contacts[0]!.custom_fields_values)).toContain('+7 903 555-44-33');
  expect(watched.errors).toEqual([]);
  await page.close();
});

test('a click-trigger AJAX form becomes a Bitrix24 deal with its contact', async () => {
  const { id, site } = await project(
    'b24 site',
    { type: 'bitrix24', enabled: true, settings: { webhookUrl: b24.webhookUrl } },
    {
      title: 'Quote request',
      trigger: 'click',
      selector: '.js-send-quote',
      fields: { name: field('client_name'), phone: field('client_phone', true) },
      extraFields: [{ key: 'UF_CRM_1425989455', ...field('service') }],
    },
  );
  const page = await browser.newPage();
  const watched = watchPage(page);
  const config = page.waitForResponse((r) => r.url().includes('/config'));
  await page.goto(`${site.url}/ajax/`);
  await config;
  await page.fill('[name=client_name]', 'Irina');
  await page.fill('[name=client_phone]', '+7 904 123-00-11');
  await page.selectOption('[name=service]', 'cleaning');
  await page.click('.js-send-quote');
  await page.waitForSelector('#status:has-text("Thanks")');

  const lead = await waitForSent(id);
  expect(b24.created.deals).toHaveLength(1);
  const deal = b24.created.deals[0]!;
  expect(lead.crmId).toBe(String(deal.ID));
  expect(deal).toMatchObject({ TITLE: 'Quote request', ORIGIN_ID: lead.id, UF_CRM_1425989455: 'cleaning' });
  expect(b24.created.contacts.some((c) => c.NAME === 'Irina')).toBe(true);
  expect(b24.methods).toContain('crm.deal.add');
  expect(watched.errors).toEqual([]);
  await page.close();
});
