// The admin UI's accessible names (a contract: docs/architecture.md, "Admin UI"), its validation messages, escaping of what
// visitors typed, paging, filtering and CSV export, in real Chromium against a real collector.
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Project } from '../shared/schemas.ts';
import type { FormConfig } from '../shared/form-config.ts';
import { startAmoCrmMock } from '../fixtures/crm/amocrm.ts';
import { startWebhookMock, type WebhookMock } from '../fixtures/crm/webhook-mock.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { logIn } from '../test-support/admin-login.ts';
import { startAdminCollector, type AdminCollector } from '../test-support/collector.ts';
import { watchAdminPage } from './admin-helpers.ts';

let collector: AdminCollector;
let crm: WebhookMock;
let browser: Browser;
let project: Project;

beforeAll(async () => {
  [collector, crm, browser] = await Promise.all([startAdminCollector(), startWebhookMock({ secret: 's3cret-value' }), launchBrowser()]);
  project = await collector.api<Project>('POST', '/projects', { name: 'Contract shop' });
  await collector.api('PUT', `/projects/${project.id}/integration`, { type: 'webhook', enabled: true, settings: { url: crm.url, secret: 's3cret-value' } });
});
afterAll(async () => {
  await browser?.close();
  await crm?.close();
  await collector?.close();
});

async function loggedInPage(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ acceptDownloads: true });
  const problems = watchAdminPage(page);
  await logIn(page, collector.origin, collector.token);
  return { page, problems };
}

// Browser steps on two shared cores: generous per-test time, not flaky waits.
describe('admin UI contract', { timeout: 60_000 }, () => {
  it('refuses a wrong token with a message, and keeps the right one for the tab only', async () => {
    const page = await browser.newPage();
    await page.goto(`${collector.origin}/admin/`);
    await page.getByLabel('Admin token').fill('wrong-token');
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/not accepted/);
    await page.getByLabel('Admin token').fill(collector.token);
    await page.getByRole('button', { name: 'Log in' }).click();
    for (const name of ['Forms', 'Leads', 'Integration', 'Install']) {
      await page.getByRole('link', { name, exact: true }).waitFor();
    }
    expect(await page.evaluate(() => Object.values(sessionStorage))).toContain(collector.token);
    expect(await page.evaluate(() => Object.values(localStorage))).not.toContain(collector.token);
    await page.close();
  });

  it('labels every editor control as the contract says, and saves every setting', async () => {
    const { page, problems } = await loggedInPage();
    await page.getByRole('button', { name: 'Add form', exact: true }).click();
    for (const label of ['Title', 'Trigger', 'Selector', 'Sites', 'Exclude these sites', 'Send to CRM', 'Call back']) {
      expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
    }
    for (const legend of ['Name', 'Phone', 'Email', 'Comment']) {
      const group = page.getByRole('group', { name: legend, exact: true });
      for (const label of ['Source', 'Value', 'Required']) expect(await group.getByLabel(label, { exact: true }).count(), `${legend} ${label}`).toBe(1);
    }

    // Empty selector and a required field with no value: messages name the field.
    await page.getByRole('group', { name: 'Phone', exact: true }).getByLabel('Required', { exact: true }).check();
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const alert = page.getByRole('alert');
    await expect.poll(() => alert.textContent()).toMatch(/Selector: enter the CSS selector/);
    expect(await alert.textContent()).toMatch(/Phone: is required/);

    await page.getByLabel('Title', { exact: true }).fill('Order from ');
    await page.getByRole('button', { name: '{utmSource}', exact: true }).click();
    await page.getByLabel('Trigger', { exact: true }).selectOption('click');
    await page.getByLabel('Selector', { exact: true }).fill('#buy, .order-button');
    await page.getByLabel('Sites', { exact: true }).fill('https://www.shop.example/cart, promo.example');
    await page.getByLabel('Exclude these sites', { exact: true }).check();
    await page.getByLabel('Send to CRM', { exact: true }).uncheck();
    await page.getByLabel('Call back', { exact: true }).check();
    const phone = page.getByRole('group', { name: 'Phone', exact: true });
    await phone.getByLabel('Value', { exact: true }).fill('tel');
    const name = page.getByRole('group', { name: 'Name', exact: true });
    await name.getByLabel('Source', { exact: true }).selectOption('js');
    await name.getByLabel('Value', { exact: true }).fill("return document.querySelector('.fio').value");
    await page.getByRole('button', { name: 'Add field', exact: true }).click();
    const extra = page.getByRole('group', { name: 'Extra field 1' });
    await extra.getByLabel('CRM field').fill('utm_source');
    await extra.getByLabel('Value', { exact: true }).fill('{utmSource}');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('button', { name: 'Add form', exact: true }).waitFor();

    const items = await collector.api<FormConfig[]>('GET', `/projects/${project.id}/forms`);
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({
      title: 'Order from {utmSource}',
      trigger: 'click',
      selector: '#buy, .order-button',
      sites: ['www.shop.example', 'promo.example'],
      excludeSites: true,
      sendToCrm: false,
      callback: true,
      fields: {
        phone: { source: 'field', value: 'tel', required: true },
        name: { source: 'js', value: "return document.querySelector('.fio').value", required: false },
      },
      extraFields: [{ key: 'utm_source', source: 'static', value: '{utmSource}', required: false }],
    });
    expect(items[0]!.fields.email).toBeUndefined();

    // The list shows it; copy and delete work from there.
    const row = page.getByRole('row', { name: /#buy/ });
    expect(await row.textContent()).toMatch(/Button click.*All but www\.shop\.example, promo\.example.*No/);
    await row.getByRole('button', { name: 'Copy' }).click();
    await expect.poll(async () => (await collector.api<FormConfig[]>('GET', `/projects/${project.id}/forms`)).length).toBe(2);
    await page.getByRole('row', { name: /\(copy\)/ }).getByRole('button', { name: 'Delete' }).click();
    await expect.poll(async () => (await collector.api<FormConfig[]>('GET', `/projects/${project.id}/forms`)).length).toBe(1);
    expect(problems).toEqual([]);
    await page.close();
  });

  it("offers the CRM's own fields for an extra field, and saves the one picked", async () => {
    const amo = await startAmoCrmMock({ token: 'amo-token' });
    const shop = await collector.api<Project>('POST', '/projects', { name: 'amoCRM shop' });
    await collector.api('PUT', `/projects/${shop.id}/integration`, { type: 'amocrm', enabled: true, settings: { baseUrl: amo.url, token: 'amo-token' } });
    const { page, problems } = await loggedInPage();
    await page.goto(`${collector.origin}/admin/p/${shop.id}/forms/new`);
    await page.getByRole('button', { name: 'Add field', exact: true }).click();
    const key = page.getByRole('group', { name: 'Extra field 1' }).getByLabel('CRM field');
    const listId = await key.getAttribute('list');
    await expect.poll(() => page.locator(`datalist#${listId} option`).count()).toBeGreaterThan(0);
    const options = await page.locator(`datalist#${listId} option`).evaluateAll((els) => els.map((e) => [(e as HTMLOptionElement).value, e.textContent]));
    expect(options).toContainEqual(['price', 'Budget']);
    await key.fill('price');
    // The picked field's name shows beside its key.
    await page.getByRole('group', { name: 'Extra field 1' }).getByText('Budget', { exact: true }).waitFor();
    await page.getByRole('group', { name: 'Extra field 1' }).getByLabel('Value', { exact: true }).fill('1500');
    await page.getByLabel('Selector', { exact: true }).fill('#order');
    await page.getByLabel('Title', { exact: true }).fill('Budget order');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('row', { name: /#order/ }).waitFor();
    const items = await collector.api<FormConfig[]>('GET', `/projects/${shop.id}/forms`);
    expect(items[0]!.extraFields).toEqual([{ key: 'price', source: 'static', value: '1500', required: false }]);
    expect(problems).toEqual([]);
    await page.close();
    await amo.close();
  });

  it('shows a visitor-typed name as text and runs nothing', async () => {
    const evil = '<img src=x onerror=alert(1)>';
    const id = await collector.siteLead(project.id, { name: evil, phone: '+7 900 000-00-01', comment: '<script>alert(2)</script>' });
    const { page, problems } = await loggedInPage();
    await page.getByRole('link', { name: 'Leads', exact: true }).click();
    await page.getByRole('link', { name: evil, exact: true }).click();
    await page.getByText('<script>alert(2)</script>', { exact: true }).waitFor();
    expect(page.url()).toContain(id);
    expect(await page.locator('img').count()).toBe(0);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('filters, searches, pages with the next cursor, and exports CSV', async () => {
    for (let i = 0; i < 54; i++) await collector.siteLead(project.id, { name: `Pager ${i}`, phone: `+7 901 000-${String(i).padStart(4, '0')}` });
    await collector.siteLead(project.id, { name: 'Pager 54', email: '=HYPERLINK("http://evil.example")' });
    const { page, problems } = await loggedInPage();
    await page.getByRole('link', { name: 'Leads', exact: true }).click();
    await page.getByRole('link', { name: 'Pager 54', exact: true }).waitFor();
    expect(await page.getByRole('link', { name: 'Pager 0', exact: true }).count()).toBe(0);
    await page.getByRole('button', { name: 'Show older leads' }).click();
    await page.getByRole('link', { name: 'Pager 0', exact: true }).waitFor();

    // Leads with no form go to the CRM: they all become "sent".
    await page.getByLabel('Status').selectOption('sent');
    await expect.poll(() => page.getByRole('link', { name: /^Pager/ }).count()).toBeGreaterThan(0);
    await page.getByLabel('Search').fill('Pager 42');
    await page.getByRole('button', { name: 'Find' }).click();
    await expect.poll(() => page.getByRole('link', { name: /^Pager/ }).count()).toBe(1);

    await page.getByLabel('Status').selectOption('');
    await page.getByLabel('Search').fill('');
    await page.getByRole('button', { name: 'Find' }).click();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFF?id,createdAt,status,crmId/);
    expect(lines.length).toBe(1 + 56);
    expect(csv).toContain(',<img src=x onerror=alert(1)>,');
    // A typed formula is defused for spreadsheets.
    expect(csv).toContain(`,"'=HYPERLINK(""http://evil.example"")",`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('keeps integration secrets write-only and tests the connection', async () => {
    const { page, problems } = await loggedInPage();
    await page.getByRole('link', { name: 'Integration', exact: true }).click();
    const secret = page.getByLabel('Signing secret');
    await secret.waitFor();
    expect(await secret.inputValue()).toBe('');
    expect(await secret.getAttribute('placeholder')).toMatch(/^set/);
    await page.getByLabel('Attempts at most').fill('5');
    await page.getByLabel('Retry strategy').selectOption('exponential');
    await page.getByLabel('First delay (seconds)').fill('60');
    await page.getByLabel('Call-back URL').fill('https://calls.example.com/hook');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.').waitFor();
    await page.getByRole('button', { name: 'Test connection' }).click();
    await page.getByText('✓ The webhook answered 2xx.').waitFor();
    const saved = await collector.api<{ settings: Record<string, string>; retry: unknown; callbackUrl: string }>('GET', `/projects/${project.id}/integration`);
    // The stored secret survived a save that never saw it.
    expect(saved.settings).toEqual({ url: crm.url, secret: '********' });
    expect(saved.retry).toEqual({ strategy: 'exponential', baseSeconds: 60, maxAttempts: 5 });
    expect(saved.callbackUrl).toBe('https://calls.example.com/hook');
    expect(problems).toEqual([]);
    await page.close();
  });

  it('creates a project and switches between projects', async () => {
    const { page, problems } = await loggedInPage();
    await page.getByLabel('Project', { exact: true }).selectOption({ label: '+ New project…' });
    await page.getByRole('button', { name: 'Create project' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/^Project name: enter a name/);
    await page.getByLabel('Project name').fill('Second site');
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.getByRole('heading', { name: 'Install on your site' }).waitFor();
    const items = await collector.api<Project[]>('GET', '/projects');
    const second = items.find((p) => p.name === 'Second site')!;
    expect(page.url()).toBe(`${collector.origin}/admin/p/${second.id}/install`);
    await page.getByRole('link', { name: 'Forms', exact: true }).click();
    await page.getByText('No forms yet.', { exact: false }).waitFor();
    await page.getByLabel('Project', { exact: true }).selectOption({ label: 'Contract shop' });
    await page.getByRole('row', { name: /#buy/ }).waitFor();
    expect(page.url()).toBe(`${collector.origin}/admin/p/${project.id}/forms`);
    expect(problems).toEqual([]);
    await page.close();
  });

  it('gives the install tag with this collector origin and project id, and copies it', async () => {
    const context = await browser.newContext({ permissions: ['clipboard-read', 'clipboard-write'] });
    const page = await context.newPage();
    await logIn(page, collector.origin, collector.token);
    await page.getByRole('link', { name: 'Install', exact: true }).click();
    const tag = `<script async src="${collector.origin}/s.js" data-project="${project.id}"></script>`;
    expect(await page.getByLabel('Script tag').inputValue()).toBe(tag);
    await page.getByRole('button', { name: 'Copy', exact: true }).click();
    await page.getByText('Copied.').waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(tag);
    await context.close();
  });
});
