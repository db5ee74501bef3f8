// The admin UI in Russian and English (exact accessible names, a contract: collector/admin-ui/ARCHITECTURE.md "Languages"),
// the EN/RU switch, the leads summary chart with data, resend of selected and of all failed leads, the
// XLSX and locale CSV export, the forms' 7-day counts, the integration page in words, a duplicate linked to its
// original by name and date, and a 375 px wide screen; in real Chromium.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Lead, Project } from '../shared/schemas.ts';
import { startWebhookMock, type WebhookMock } from '../fixtures/crm/webhook-mock.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { startAdminCollector, type AdminCollector } from '../test-support/collector.ts';
import { watchAdminPage } from './admin-helpers.ts';

let collector: AdminCollector;
let crm: WebhookMock;
let browser: Browser;
let project: Project;
let formId: string;
const failedIds: string[] = [];

const NAMES = {
  en: {
    token: 'Admin token', logIn: 'Log in', links: ['Forms', 'Leads', 'Integration', 'Install'], addForm: 'Add form', addField: 'Add field', save: 'Save',
    editor: ['Title', 'Trigger', 'Selector', 'Sites'], resend: 'Resend',
  },
  ru: {
    token: 'Токен администратора', logIn: 'Войти', links: ['Формы', 'Заявки', 'Интеграция', 'Установка'], addForm: 'Добавить форму', addField: 'Добавить поле',
    save: 'Сохранить', editor: ['Название', 'Триггер', 'Селектор', 'Сайты'], resend: 'Отправить повторно',
  },
} as const;

async function leadsOf(status: string): Promise<Lead[]> {
  return (await collector.api<{ items: Lead[] }>('GET', `/projects/${project.id}/leads?status=${status}&limit=500`)).items;
}

beforeAll(async () => {
  [collector, crm, browser] = await Promise.all([startAdminCollector(), startWebhookMock({ secret: 'lang-secret' }), launchBrowser()]);
  project = await collector.api<Project>('POST', '/projects', { name: 'Магазин' });
  formId = (await collector.api<{ id: string }>('POST', `/projects/${project.id}/forms`, { title: 'Обратный звонок', selector: '#call', fields: {} })).id;
  await collector.api('POST', `/projects/${project.id}/forms`, { title: 'Silent form', selector: '#silent', fields: {} });
  // One attempt only: a CRM that is down makes failed leads at once.
  crm.setDown(true, 503);
  await collector.api('PUT', `/projects/${project.id}/integration`, {
    type: 'webhook', enabled: true, settings: { url: crm.url, secret: 'lang-secret' }, retry: { strategy: 'fixed', baseSeconds: 1, maxAttempts: 1 },
  });
  for (const [name, phone] of [['Анна Смирнова', '+7 999 100-00-01'], ['Борис Орлов', '+7 999 100-00-02'], ['Вера Ким', '+7 999 100-00-03']]) {
    failedIds.push(await collector.siteLead(project.id, { formId, name, phone }));
  }
  // Bounded: three single attempts against a CRM that answers 503 at once.
  for (let i = 0; i < 200 && (await leadsOf('failed')).length < 3; i++) await new Promise((r) => setTimeout(r, 100));
  if ((await leadsOf('failed')).length !== 3) throw new Error('the three leads did not fail');
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await crm?.close();
  await collector?.close();
});

async function contextFor(locale: string, viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
  const context = await browser.newContext({ locale, viewport, acceptDownloads: true });
  const page = await context.newPage();
  return { context, page, problems: watchAdminPage(page) };
}

async function logInAs(page: Page, lang: 'en' | 'ru'): Promise<void> {
  await page.goto(`${collector.origin}/admin/`);
  await page.getByLabel(NAMES[lang].token, { exact: true }).fill(collector.token);
  await page.getByRole('button', { name: NAMES[lang].logIn, exact: true }).click();
  await page.getByRole('link', { name: NAMES[lang].links[0], exact: true }).waitFor();
}

/** Every contract name of one language, from the login to the lead's Resend. */
async function expectNames(page: Page, lang: 'en' | 'ru'): Promise<void> {
  const n = NAMES[lang];
  for (const link of n.links) expect(await page.getByRole('link', { name: link, exact: true }).count(), link).toBe(1);
  await page.getByRole('button', { name: n.addForm, exact: true }).click();
  for (const label of n.editor) expect(await page.getByLabel(label, { exact: true }).count(), label).toBe(1);
  expect(await page.getByRole('button', { name: n.addField, exact: true }).count()).toBe(1);
  expect(await page.getByRole('button', { name: n.save, exact: true }).count()).toBe(1);
  await page.getByRole('link', { name: n.links[1], exact: true }).click();
  await page.getByRole('link', { name: 'Анна Смирнова', exact: true }).click();
  await page.getByRole('button', { name: n.resend, exact: true }).waitFor();
  expect(await page.evaluate(() => document.documentElement.lang)).toBe(lang);
}

describe('admin UI languages', { timeout: 90_000 }, () => {
  it('speaks Russian to a ru-RU browser: the contract names, dates the Russian way, a wrong token in plain words', async () => {
    const { context, page, problems } = await contextFor('ru-RU');
    await page.goto(`${collector.origin}/admin/`);
    await page.getByLabel('Токен администратора', { exact: true }).fill('wrong');
    await page.getByRole('button', { name: 'Войти', exact: true }).click();
    const alert = await page.getByRole('alert').textContent();
    expect(alert).toMatch(/^Этот токен не подошёл/);
    expect(alert).not.toMatch(/Bearer|Authorization|401/);
    await logInAs(page, 'ru');
    await expectNames(page, 'ru');
    // The lead page's date in Russian month names; the status in Russian.
    expect(await page.locator('.card').first().textContent()).toMatch(/Не отправлена/);
    expect(await page.locator('dl.props').nth(1).textContent()).toMatch(/(янв|фев|мар|апр|мая|июн|июл|авг|сен|окт|ноя|дек)/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('speaks English to an en-US browser, with the same names as before', async () => {
    const { context, page, problems } = await contextFor('en-US');
    await page.goto(`${collector.origin}/admin/`);
    await page.getByLabel('Admin token', { exact: true }).fill('wrong');
    await page.getByRole('button', { name: 'Log in', exact: true }).click();
    expect(await page.getByRole('alert').textContent()).toMatch(/^That token was not accepted\. Check/);
    await logInAs(page, 'en');
    await expectNames(page, 'en');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('switches EN/RU on the login page and inside, re-rendering at once, and keeps the choice', async () => {
    const { context, page, problems } = await contextFor('en-US');
    await page.goto(`${collector.origin}/admin/`);
    await page.getByRole('button', { name: 'RU', exact: true }).click();
    await page.getByLabel('Токен администратора', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'RU', exact: true }).getAttribute('aria-pressed')).toBe('true');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await logInAs(page, 'en');
    await page.getByRole('link', { name: 'Leads', exact: true }).click();
    await page.getByRole('heading', { name: 'Leads', exact: true }).waitFor();
    // Inside: no reload, the page's state (the filter typed) stays.
    await page.getByLabel('Search', { exact: true }).fill('Анна');
    await page.getByRole('button', { name: 'RU', exact: true }).click();
    await page.getByRole('heading', { name: 'Заявки', exact: true }).waitFor();
    for (const link of NAMES.ru.links) expect(await page.getByRole('link', { name: link, exact: true }).count(), link).toBe(1);
    expect(await page.getByLabel('Поиск', { exact: true }).inputValue()).toBe('Анна');
    await page.reload();
    await page.getByRole('heading', { name: 'Заявки', exact: true }).waitFor();
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.getByRole('heading', { name: 'Leads', exact: true }).waitFor();
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('leads page summary, bulk resend and export', { timeout: 90_000 }, () => {
  it('draws the 30-day chart from the data, with the share delivered and the oldest undelivered lead', async () => {
    const { context, page, problems } = await contextFor('en-US');
    await logInAs(page, 'en');
    await page.getByRole('link', { name: 'Leads', exact: true }).click();
    const chart = page.getByRole('img', { name: /^Leads per day, last 30 days: 3 in all, 0 sent$/ });
    await chart.waitFor();
    const today = page.locator('.chart-day').last();
    expect(await today.getAttribute('data-total')).toBe('3');
    expect(await today.locator('rect.chart-bad').count()).toBe(1);
    expect(Number(await today.locator('rect.chart-bad').getAttribute('height'))).toBeGreaterThan(0);
    expect(await page.locator('.chart-day').count()).toBe(30);
    expect(await page.locator('.chart-day rect.chart-bar').count()).toBe(1);
    const figures = await page.locator('.summary-figures').textContent();
    expect(figures).toMatch(/Delivered\s*0%/);
    expect(figures).toMatch(/Oldest undelivered.*Анна Смирнова/);
    // The Form column names the form by its title.
    expect(await page.getByRole('row').filter({ hasText: 'Борис Орлов' }).textContent()).toContain('Обратный звонок');
    expect(problems).toEqual([]);
    await context.close();
  });

  it('resends the selected rows, then all failed ones', async () => {
    const { context, page, problems } = await contextFor('ru-RU');
    await logInAs(page, 'ru');
    await page.getByRole('link', { name: 'Заявки', exact: true }).click();
    await page.getByLabel('Выбрать: Анна Смирнова', { exact: true }).check();
    await page.getByLabel('Выбрать: Вера Ким', { exact: true }).check();
    // Sent or not: the CRM is still down, so each selected lead is tried again and fails again.
    const attemptsBefore = (await leadsOf('failed')).map((l) => l.attemptCount);
    expect(attemptsBefore).toEqual([1, 1, 1]);
    await page.getByRole('button', { name: 'Отправить повторно выбранные (2)', exact: true }).click();
    await page.getByText('Поставлено в очередь на повторную отправку: 2.').waitFor();
    await expect
      .poll(async () => (await leadsOf('failed')).filter((l) => l.status === 'failed' && l.attemptCount === 2).map((l) => l.name).sort(), { timeout: 20_000 })
      .toEqual(['Анна Смирнова', 'Вера Ким']);

    crm.setDown(false);
    await page.getByRole('button', { name: 'Отправить повторно все неудачные', exact: true }).click();
    await page.getByText('Поставлено в очередь на повторную отправку: 3.').waitFor();
    await expect.poll(async () => (await leadsOf('sent')).length, { timeout: 20_000 }).toBe(3);
    expect(problems).toEqual([]);
    await context.close();
  });

  it('exports XLSX with the phone as text, and CSV with ";" for Russian', async () => {
    const { context, page, problems } = await contextFor('ru-RU');
    await logInAs(page, 'ru');
    await page.getByRole('link', { name: 'Заявки', exact: true }).click();
    const [xlsx] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Выгрузить XLSX', exact: true }).click()]);
    expect(xlsx.suggestedFilename()).toMatch(/\.xlsx$/);
    const bytes = readFileSync((await xlsx.path())!);
    expect(bytes.subarray(0, 2).toString('latin1')).toBe('PK');
    // Stored, not compressed: the sheet's XML is readable in the file as it is.
    const text = bytes.toString('utf8');
    expect(text).toContain('t="inlineStr"><is><t xml:space="preserve">+7 999 100-00-01</t>');
    expect(text).toContain('>Анна Смирнова</t>');
    expect(text).not.toContain("'+7");

    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Выгрузить CSV', exact: true }).click()]);
    const lines = readFileSync((await csv.path())!, 'utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^\uFEFF?id;createdAt;status;crmId;/);
    expect(lines).toHaveLength(4);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("shows each form's leads of the last 7 days and when the last came", async () => {
    const { context, page, problems } = await contextFor('en-US');
    await logInAs(page, 'en');
    const row = page.getByRole('row').filter({ hasText: 'Обратный звонок' });
    await expect.poll(() => row.textContent()).toMatch(/Yes3last /);
    expect(await row.locator('.form-stats.stale').count()).toBe(0);
    // A form that is on and caught nothing stands out, saying what to check.
    const silent = page.getByRole('row').filter({ hasText: 'Silent form' });
    expect(await silent.locator('.form-stats.stale').textContent()).toMatch(/^0none in 30 daysNo lead for 7 days: check the selector on the site$/);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('integration page', { timeout: 90_000 }, () => {
  it('explains each setting in words, and keeps the connection test result after saving', async () => {
    const { context, page, problems } = await contextFor('en-US');
    await logInAs(page, 'en');
    await page.getByRole('link', { name: 'Integration', exact: true }).click();
    const url = page.getByLabel('Webhook URL');
    await url.waitFor();
    const hint = await url.evaluate((el) => document.getElementById(el.getAttribute('aria-describedby')!.split(' ')[0]!)!.textContent);
    expect(hint).toBe('the address leadrelay posts each lead to');
    crm.setDown(false);
    await page.getByRole('button', { name: 'Test connection', exact: true }).click();
    const result = page.locator('#integration-test-result');
    await expect.poll(() => result.textContent()).toMatch(/^✓ The webhook answered 2xx\. · checked /);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Saved.', { exact: true }).waitFor();
    expect(await result.textContent()).toMatch(/^✓ The webhook answered 2xx\. · checked /);
    // A changed setting makes the shown result old news, and it says so.
    await page.getByLabel('Attempts at most').fill('3');
    expect(await result.textContent()).toMatch(/^✓ The webhook answered 2xx\. · checked /);
    await url.fill(`${crm.url}?v=2`);
    expect(await result.textContent()).toMatch(/the settings changed since: test again$/);
    expect(problems).toEqual([]);
    await context.close();
  });

  it("links a CRM's credentials to that CRM's own help page, in Russian too", async () => {
    const { context, page, problems } = await contextFor('ru-RU');
    await logInAs(page, 'ru');
    await page.getByRole('link', { name: 'Интеграция', exact: true }).click();
    await page.getByLabel('Тип CRM').selectOption('amocrm');
    const help = page.getByRole('link', { name: 'Где взять в amoCRM', exact: true });
    expect(await help.count()).toBe(1);
    expect(await help.getAttribute('href')).toMatch(/^https:\/\/www\.amocrm\.ru\//);
    expect(await page.getByLabel('Токен API').count()).toBe(1);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('a 375 px wide screen', { timeout: 90_000 }, () => {
  it('never scrolls the page sideways, and every tab is reachable', async () => {
    const { context, page, problems } = await contextFor('ru-RU', { width: 375, height: 740 });
    await logInAs(page, 'ru');
    const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    for (const [link, heading] of [
      ['Заявки', 'Заявки'],
      ['Установка', 'Установка на сайт'],
      ['Интеграция', 'Интеграция с CRM'],
      ['Формы', 'Формы сайта'],
    ] as const) {
      const tab = page.getByRole('link', { name: link, exact: true });
      await tab.scrollIntoViewIfNeeded();
      await tab.click();
      await page.getByRole('heading', { name: heading, exact: true }).waitFor();
      expect(await overflow(), link).toBeLessThanOrEqual(0);
    }
    await page.getByRole('link', { name: 'Заявки', exact: true }).click();
    await page.getByRole('link', { name: 'Борис Орлов', exact: true }).waitFor();
    expect(await overflow()).toBeLessThanOrEqual(0);
    // The leads table fits: the client's link is inside the viewport, not beyond its right edge.
    const box = await page.getByRole('link', { name: 'Борис Орлов', exact: true }).boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(375);
    expect(problems).toEqual([]);
    await context.close();
  });
});

describe('a duplicate', { timeout: 90_000 }, () => {
  it("links to its original by the original's name and date, not by a bare id", async () => {
    crm.setDown(false);
    const originalId = await collector.siteLead(project.id, { formId, name: 'Дина Лебедева', phone: '+7 999 100-00-09' });
    // Bounded: one delivery to a CRM that answers at once (a failed lead would be no original).
    for (let i = 0; i < 200 && (await collector.api<Lead>('GET', `/projects/${project.id}/leads/${originalId}`)).status !== 'sent'; i++) {
      await new Promise((r) => setTimeout(r, 100));
    }
    const id = await collector.siteLead(project.id, { formId, name: 'Дина снова', phone: '+7 999 100-00-09' });
    const lead = await collector.api<Lead>('GET', `/projects/${project.id}/leads/${id}`);
    expect(lead.status).toBe('duplicate');
    const { context, page, problems } = await contextFor('ru-RU');
    await logInAs(page, 'ru');
    await page.getByRole('link', { name: 'Заявки', exact: true }).click();
    const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'Дина снова', exact: true }) });
    const original = row.getByRole('link', { name: /^Дина Лебедева от \d{1,2} [а-я]+\.? \d{4}/ });
    await original.waitFor();
    expect(await row.textContent()).not.toContain(lead.duplicateOf!);
    await original.click();
    expect(lead.duplicateOf).toBe(originalId);
    await page.waitForURL(`**/leads/${originalId}`);
    expect(problems).toEqual([]);
    await context.close();
  });
});
