// In real Chromium against a real collector: a test lead wears its "Test" badge in the list and on its
// page (and offers no resend); "Not captured yet" lists missed forms, "Capture this form" opens the
// editor pre-filled and saving it makes the entry go away; a `?draft=` link pre-fills the editor, a
// bad one leaves it empty with a note; hostile strings stay text (no dialog, no CSP violation).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Project } from '../shared/schemas.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { logIn } from '../test-support/admin-login.ts';
import { startAdminCollector, type AdminCollector } from '../test-support/collector.ts';
import { watchAdminPage } from './admin-helpers.ts';

let collector: AdminCollector;
let browser: Browser;

beforeAll(async () => {
  [collector, browser] = await Promise.all([startAdminCollector(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

const HOSTILE = `form[data-x="<img src=x onerror=alert(1)>"]`;

async function reportMissed(projectId: string, body: unknown): Promise<void> {
  const res = await fetch(`${collector.origin}/api/site/1.0/${projectId}/missed`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(body) });
  expect(res.status).toBe(202);
}

async function openAdmin(): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage();
  const problems = watchAdminPage(page);
  await logIn(page, collector.origin, collector.token);
  return { page, problems };
}

it('a test lead shows a "Test" badge in the list and on its page, and the filter offers Test', { timeout: 60_000 }, async () => {
  const shop = await collector.api<Project>('POST', '/projects', { name: 'Test mode shop' });
  const testId = await collector.siteLead(shop.id, { name: 'Tess', phone: '+7 900 000-00-11', test: true });
  await collector.siteLead(shop.id, { name: 'Rita', phone: '+7 900 000-00-12' });
  const { page, problems } = await openAdmin();
  await page.goto(`${collector.origin}/admin/p/${shop.id}/leads`);
  const testRow = page.getByRole('row', { name: /Tess/ });
  await testRow.waitFor();
  expect(await testRow.locator('.badge-test').textContent()).toBe('Test');
  expect(await page.getByRole('row', { name: /Rita/ }).locator('.badge-test').count()).toBe(0);
  await page.getByLabel('Status').selectOption({ label: 'Test' });
  // The filtered list replaces the whole one (the table may be empty in between): wait for both facts.
  await expect.poll(async () => [await page.getByRole('row', { name: /Rita/ }).count(), await page.getByRole('row', { name: /Tess/ }).count()]).toEqual([0, 1]);

  await page.goto(`${collector.origin}/admin/p/${shop.id}/leads/${testId}`);
  await page.locator('.badge-test').waitFor();
  expect(await page.locator('.badge-test').textContent()).toBe('Test');
  expect(await page.getByRole('button', { name: 'Resend' }).count()).toBe(0);
  expect(problems).toEqual([]);
  await page.close();
});

it('"Capture this form" opens the editor pre-filled; saving it takes the form out of "Not captured yet"', { timeout: 60_000 }, async () => {
  const shop = await collector.api<Project>('POST', '/projects', { name: 'Missed forms shop' });
  await reportMissed(shop.id, {
    selector: '.wpcf7-form',
    page: 'https://shop.example/contacts?utm_source=x',
    fields: [
      { name: 'your-name', type: 'text' },
      { name: 'your-email', type: 'email' },
      { name: 'your-phone', type: 'tel' },
      { name: 'your-message', type: 'textarea' },
      { name: '_wpcf7', type: 'hidden' },
    ],
  });
  await reportMissed(shop.id, { selector: HOSTILE, page: 'https://shop.example/"><script>alert(2)</script>', fields: [{ name: '<b>bold</b>', type: 'text' }] });

  const { page, problems } = await openAdmin();
  await page.goto(`${collector.origin}/admin/p/${shop.id}/forms`);
  await page.getByRole('heading', { name: 'Not captured yet' }).waitFor();
  const cf7 = page.getByRole('row', { name: /wpcf7-form/ });
  const cells = await cf7.getByRole('cell').allTextContents();
  expect(cells.slice(0, 4)).toEqual(['.wpcf7-form', 'your-name (text), your-email (email), your-phone (tel), your-message (textarea), _wpcf7 (hidden)', 'https://shop.example/contacts', '1']);
  // Hostile strings are shown as the text they are.
  const hostile = page.getByRole('row', { name: /onerror/ });
  expect((await hostile.getByRole('cell').allTextContents()).slice(0, 3)).toEqual([HOSTILE, '<b>bold</b> (text)', 'https://shop.example/"><script>alert(2)</script>']);

  await page.getByRole('button', { name: 'Capture this form: .wpcf7-form' }).click();
  await page.getByRole('heading', { name: 'New form' }).waitFor();
  expect(await page.getByLabel('Selector', { exact: true }).inputValue()).toBe('.wpcf7-form');
  expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('Request from the form .wpcf7-form');
  const value = (legend: string) => page.getByRole('group', { name: legend, exact: true }).getByLabel('Value', { exact: true }).inputValue();
  expect([await value('Name'), await value('Phone'), await value('Email'), await value('Comment')]).toEqual(['your-name', 'your-phone', 'your-email', 'your-message']);
  expect(await page.getByRole('status').filter({ hasText: 'Pre-filled' }).count()).toBe(1);

  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByRole('heading', { name: 'Site forms' }).waitFor();
  await page.getByRole('cell', { name: 'Request from the form .wpcf7-form' }).waitFor();
  // The hostile entry is still missed; the captured one is gone.
  await page.getByRole('row', { name: /onerror/ }).waitFor();
  expect(await page.getByRole('row', { name: /wpcf7-form/ }).filter({ has: page.getByRole('button', { name: /Capture this form/ }) }).count()).toBe(0);
  const saved = await collector.api<{ selector: string; fields: Record<string, { value: string }> }[]>('GET', `/projects/${shop.id}/forms`);
  expect(saved.map((f) => [f.selector, f.fields.phone?.value])).toEqual([['.wpcf7-form', 'your-phone']]);
  expect((await collector.api<{ selector: string }[]>('GET', `/projects/${shop.id}/missed-forms`)).map((m) => m.selector)).toEqual([HOSTILE]);
  expect(problems).toEqual([]);
  await page.close();
});

it('a ?draft= link pre-fills the editor (hostile text stays text); a bad draft leaves it empty with a note', { timeout: 60_000 }, async () => {
  const shop = await collector.api<Project>('POST', '/projects', { name: 'Draft shop' });
  const draft = {
    title: '<img src=x onerror=alert(3)> заявка',
    trigger: 'click',
    selector: 'button[data-role="order"]',
    fields: { name: { source: 'field', value: 'Имя', required: false }, email: { source: 'field', value: '"><svg onload=alert(4)>', required: false } },
  };
  const { page, problems } = await openAdmin();
  await page.goto(`${collector.origin}/admin/p/${shop.id}/forms/new?draft=${encodeURIComponent(JSON.stringify(draft))}`);
  await page.getByRole('heading', { name: 'New form' }).waitFor();
  expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe(draft.title);
  expect(await page.getByLabel('Trigger', { exact: true }).inputValue()).toBe('click');
  expect(await page.getByLabel('Selector', { exact: true }).inputValue()).toBe('button[data-role="order"]');
  const value = (legend: string) => page.getByRole('group', { name: legend, exact: true }).getByLabel('Value', { exact: true }).inputValue();
  expect([await value('Name'), await value('Email'), await value('Phone')]).toEqual(['Имя', '"><svg onload=alert(4)>', '']);

  // The picker opens the link in a new tab, which has no token yet: the draft survives the login.
  const fresh = await browser.newPage();
  const freshProblems = watchAdminPage(fresh);
  await fresh.goto(`${collector.origin}/admin/p/${shop.id}/forms/new?draft=${encodeURIComponent(JSON.stringify(draft))}`);
  await fresh.getByLabel('Admin token').fill(collector.token);
  await fresh.getByRole('button', { name: 'Log in' }).click();
  await fresh.getByRole('heading', { name: 'New form' }).waitFor();
  expect(await fresh.getByLabel('Selector', { exact: true }).inputValue()).toBe('button[data-role="order"]');
  expect(freshProblems).toEqual([]);
  await fresh.close();

  await page.goto(`${collector.origin}/admin/p/${shop.id}/forms/new?draft=${encodeURIComponent('{"trigger":"hover"')}`);
  await page.getByRole('status').filter({ hasText: 'could not be read' }).waitFor();
  expect(await page.getByLabel('Selector', { exact: true }).inputValue()).toBe('');
  expect(await page.getByLabel('Title', { exact: true }).inputValue()).toBe('');
  expect(problems).toEqual([]);
  await page.close();
});
