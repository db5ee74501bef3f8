// Seeing that a setup works, in Chromium on the built s.js and s-tools.js (snippet/ARCHITECTURE.md "Modes",
// "The tools bundle"): test mode remembered for the tab, the inspector's report, the debug console, the
// picker on hashed classes, a late form and a shadow-root form, and missed-form reports.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page, Request } from 'playwright-core';
import { launchBrowser } from '../test-support/chromium.ts';
import { startCollector, type Collector } from '../test-support/collector.ts';
import { startSiteServer, watchPage, type SiteServer } from './harness.ts';

let browser: Browser;
let collector: Collector;
let site: SiteServer;
let projectId: string;
const E2E_TIMEOUT = 90_000;
const field = (value: string, required = false) => ({ source: 'field' as const, value, required });

beforeAll(async () => {
  if (!existsSync('dist/s-tools.js')) throw new Error('dist/s-tools.js is missing: run `node build.mjs` first');
  [browser, collector] = await Promise.all([launchBrowser(), startCollector()]);
  ({ id: projectId } = await collector.createProject('See setup'));
  await collector.addForm(projectId, {
    title: 'Tilda request',
    selector: '.t-form',
    fields: { name: field('Name'), phone: field('Phone', true), email: field('E-mail'), comment: field('Textarea') },
  });
  // A typo in the selector: the form it meant is never caught.
  await collector.addForm(projectId, { title: 'Quote', selector: '#qoute form', fields: { phone: field('client_phone', true) } });
  site = await startSiteServer({ COLLECTOR: collector.url, PROJECT: projectId });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close()]);
});

/** Opens the page and waits for the snippet and its config (from the network or from its 60 s cache). */
async function open(page: Page, query = ''): Promise<void> {
  await page.goto(`${site.url}/see/${query}`);
  await page.waitForFunction(() => (window as unknown as { leadrelay?: { reach?: unknown } }).leadrelay?.reach);
  await page.waitForLoadState('networkidle');
}

/** Submits the Tilda form with `phone` and gives the body the snippet posted to /leads. */
async function sendLead(page: Page, phone: string): Promise<Record<string, unknown>> {
  const posted = page.waitForRequest((r) => r.url().endsWith(`/api/site/1.0/${projectId}/leads`) && r.method() === 'POST');
  await page.fill('[name=Phone]', phone);
  await page.click('.t-submit');
  return JSON.parse((await posted).postData()!);
}

test(
  'test mode: ?leadrelay_test=1 marks leads test for the tab, across pages, until ?leadrelay_test=0',
  async () => {
    const page = await browser.newPage();
    const { errors } = watchPage(page);
    let configs = 0;
    page.on('request', (r) => void (r.url().endsWith(`/api/site/1.0/${projectId}/config`) && configs++));
    await open(page, '?leadrelay_test=1');
    expect(await sendLead(page, '+7 900 000-00-01')).toMatchObject({ test: true, phone: '+7 900 000-00-01' });
    // A test page view asks for the current config every time, even with a fresh one cached.
    const before = configs;
    await open(page);
    expect(configs).toBe(before + 1);
    expect(await sendLead(page, '+7 900 000-00-02')).toMatchObject({ test: true });
    await open(page, '?leadrelay_test=0');
    expect(await sendLead(page, '+7 900 000-00-03')).not.toHaveProperty('test');
    // Out of test mode, within the minute: the cached config, no request.
    const normal = configs;
    await open(page);
    expect(configs).toBe(normal);
    // Another tab is not in test mode.
    const other = await browser.newPage();
    await open(other);
    expect(await sendLead(other, '+7 900 000-00-04')).not.toHaveProperty('test');
    expect(errors).toEqual([]);
    await Promise.all([page.close(), other.close()]);
  },
  E2E_TIMEOUT,
);

// Needs the collector side of test mode (SiteLeadBody.test stored as status "test", never delivered).
test(
  'a lead from a test-mode page is stored with status test',
  async () => {
    const page = await browser.newPage();
    await open(page, '?leadrelay_test=1');
    await sendLead(page, '+7 900 000-00-09');
    await expect
      .poll(async () => (await collector.leads(projectId)).find((l) => l.phone === '+7 900 000-00-09')?.status, { timeout: 10_000 })
      .toBe('test');
    await page.close();
  },
  E2E_TIMEOUT,
);

test(
  'leadrelay.inspect(): a wrong selector matches nothing and a wrong field name is not found',
  async () => {
    const page = await browser.newPage();
    await open(page);
    await page.fill('[name=Name]', 'Анна');
    const report = await page.evaluate(() => (window as unknown as { leadrelay: { inspect(): Promise<unknown> } }).leadrelay.inspect());
    expect(report).toMatchObject({
      project: projectId,
      forms: [
        {
          title: 'Tilda request',
          trigger: 'submit',
          selector: '.t-form',
          applies: true,
          matches: 1,
          fields: [
            { key: 'name', source: 'field', value: 'Name', found: true, preview: 'Анна' },
            { key: 'phone', found: true, required: true, preview: '' },
            { key: 'email', value: 'E-mail', found: false, preview: '' },
            { key: 'comment', found: true },
          ],
        },
        { title: 'Quote', selector: '#qoute form', matches: 0, fields: [{ key: 'phone', found: false }] },
      ],
    });
    await page.close();
  },
  E2E_TIMEOUT,
);

test(
  '?leadrelay_debug=1 prints the report as console tables and warns about the typo and the missing name',
  async () => {
    const page = await browser.newPage();
    const messages: { type: string; text: string }[] = [];
    page.on('console', (m) => messages.push({ type: m.type(), text: m.text() }));
    await open(page, '?leadrelay_debug=1');
    await expect.poll(() => messages.filter((m) => m.type === 'warning').length, { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(messages.some((m) => m.type === 'table')).toBe(true);
    const warnings = messages.filter((m) => m.type === 'warning').map((m) => m.text);
    expect(warnings).toContain('[leadrelay] form "Quote": selector #qoute form matches nothing on this page');
    expect(warnings).toContain('[leadrelay] form "Tilda request": no control named "E-mail" (email) in the matched element');
    // Printed again after a submit.
    const tables = messages.filter((m) => m.type === 'table').length;
    await page.fill('[name=Phone]', '+7 900 000-00-05');
    await page.click('.t-submit');
    await expect.poll(() => messages.filter((m) => m.type === 'table').length, { timeout: 10_000 }).toBeGreaterThan(tables);
    // The decision log, in words (s.js logs numbered messages; the tools bundle prints them).
    await expect.poll(() => messages.some((m) => m.type === 'log' && m.text.startsWith('[leadrelay] match')), { timeout: 10_000 }).toBe(true);
    expect(messages.some((m) => m.text.startsWith('[leadrelay] config'))).toBe(true);
    await page.close();
  },
  E2E_TIMEOUT,
);

/** Clicks `target` in pick mode; gives the dialog's selector, link and trigger. */
async function pickAt(page: Page, target: string) {
  await page.hover(target);
  await page.click(target);
  const dialog = page.getByRole('dialog', { name: 'leadrelay picker' });
  const selector = await dialog.getByRole('textbox', { name: 'Selector' }).inputValue();
  expect(await dialog.getByRole('textbox', { name: 'Selector' }).getAttribute('readonly')).not.toBeNull();
  const href = (await dialog.getByRole('link', { name: 'Create this form in leadrelay' }).getAttribute('href'))!;
  const trigger = await dialog.locator('[data-trigger]').textContent();
  return { selector, url: new URL(href), draft: JSON.parse(new URL(href).searchParams.get('draft')!), trigger };
}

test(
  'the picker: hashed classes, an id block, a late form, a button outside a form and a shadow-root form; the page DOM untouched',
  async () => {
    const page = await browser.newPage();
    const { errors } = watchPage(page);
    await open(page, '?leadrelay_pick=1');
    await page.waitForSelector('[data-form=subscribe]');
    await page.waitForSelector('leadrelay-picker', { state: 'attached' });
    const bodyBefore = await page.evaluate(() => document.body.innerHTML);
    const count = (s: string, inShadow = false) =>
      page.evaluate(
        ([sel, shadow]) => ((shadow ? document.getElementById('shadow-host')!.shadowRoot! : document) as ParentNode).querySelectorAll(sel as string).length,
        [s, inShadow] as const,
      );

    const tilda = await pickAt(page, '.t-form [name=Phone]');
    expect(tilda.selector).toBe('form.t-form');
    expect(await count(tilda.selector)).toBe(1);
    expect(tilda.trigger).toBe('submit');
    expect(tilda.url.origin + tilda.url.pathname).toBe(`${collector.url}/admin/p/${projectId}/forms/new`);
    expect(tilda.draft).toMatchObject({
      trigger: 'submit',
      selector: 'form.t-form',
      fields: {
        name: { source: 'field', value: 'Name', required: false },
        phone: { source: 'field', value: 'Phone', required: false },
        email: { source: 'field', value: 'Email', required: false },
        comment: { source: 'field', value: 'Textarea', required: false },
      },
    });

    const quote = await pickAt(page, '#quote [name=client_phone]');
    expect(quote.selector).toBe('#quote form');
    expect(quote.selector).not.toMatch(/css-|sc-|kRmsQh|nth/);
    expect(quote.draft.fields).toEqual({ phone: { source: 'field', value: 'client_phone', required: false } });

    const late = await pickAt(page, '[data-form=subscribe] input');
    expect(late.selector).toBe('form[data-form="subscribe"]');
    expect(await count(late.selector)).toBe(1);

    const button = await pickAt(page, '.callback-send');
    expect(button).toMatchObject({ trigger: 'click', selector: 'button.callback-send' });
    expect(button.draft.fields).toEqual({ phone: { source: 'field', value: 'cb_phone', required: false } });

    const shadow = await pickAt(page, '#shadow-host >> [name=phone]');
    expect(shadow.selector).toBe('form.widget-form');
    expect(await count(shadow.selector, true)).toBe(1);

    expect(await page.evaluate(() => document.body.innerHTML)).toBe(bodyBefore);
    expect(errors).toEqual([]);
    await page.close();
  },
  E2E_TIMEOUT,
);

test(
  'missed forms: an uncaptured submit is reported once per form per page view, by structure only; an ignored form never',
  async () => {
    const page = await browser.newPage();
    const missed: Request[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith(`/api/site/1.0/${projectId}/missed`) && r.method() === 'POST') missed.push(r);
    });
    await open(page);
    await page.fill('#search [name=q]', 'плитка secret');
    await page.click('#search button');
    await expect.poll(() => missed.length, { timeout: 10_000 }).toBe(1);
    await page.click('#search button');
    await page.fill('#login [name=user]', 'admin');
    await page.click('#login button');
    // The quote form (its config has a typo) is the last one: its report bounds the wait for the others.
    await page.fill('[name=client_phone]', '+7 900 000-00-06');
    await page.click('#quote button');
    await expect.poll(() => missed.length, { timeout: 10_000 }).toBe(2);
    const bodies = missed.map((r) => JSON.parse(r.postData()!));
    expect(bodies).toEqual([
      { selector: '#search', page: `${site.url}/see/`, fields: [{ name: 'q', type: 'text' }] },
      { selector: '#quote form', page: `${site.url}/see/`, fields: [{ name: 'client_phone', type: 'tel' }, { name: 'password', type: 'password' }] },
    ]);
    expect(JSON.stringify(bodies)).not.toMatch(/secret|admin|000-00-06/);
    // A new page view may report the same form again.
    await open(page);
    await page.click('#search button');
    await expect.poll(() => missed.length, { timeout: 10_000 }).toBe(3);
    await page.close();
  },
  E2E_TIMEOUT,
);

test(
  'missed forms: a classic form that leaves the page at once is still reported (the tools load when the visitor starts on it)',
  async () => {
    const page = await browser.newPage();
    const missed: Request[] = [];
    page.on('request', (r) => {
      if (r.url().endsWith(`/api/site/1.0/${projectId}/missed`) && r.method() === 'POST') missed.push(r);
    });
    await open(page);
    await page.fill('#newsletter [name=mail]', 'someone@example.com');
    await Promise.all([page.waitForURL(/\/subscribed$/), page.click('#newsletter button')]);
    await expect.poll(() => missed.length, { timeout: 10_000 }).toBe(1);
    expect(JSON.parse(missed[0]!.postData()!)).toEqual({ selector: '#newsletter', page: `${site.url}/see/`, fields: [{ name: 'mail', type: 'email' }] });
    await page.close();
  },
  E2E_TIMEOUT,
);
