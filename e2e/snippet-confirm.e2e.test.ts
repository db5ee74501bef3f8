// Confirmation conditions in Chromium (ARCHITECTURE.md "Confirmation"): the built s.js on fixture sites whose own
// script refuses a bad send. A lead arrives only when the site took the form, and never twice.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../test-support/chromium.ts';
import { startCollector, type Collector } from '../test-support/collector.ts';
import { expectLeads, startSiteServer, watchPage, type SiteServer } from './harness.ts';

let browser: Browser;
let collector: Collector;
let site: SiteServer;
let projectId: string;
const E2E_TIMEOUT = 90_000;

const field = (value: string, required = false) => ({ source: 'field' as const, value, required });

beforeAll(async () => {
  if (!existsSync('dist/s.js')) throw new Error('dist/s.js is missing: run `node build.mjs` first');
  [browser, collector] = await Promise.all([launchBrowser(), startCollector()]);
  ({ id: projectId } = await collector.createProject('Confirmation'));
  const forms = [
    // The Tilda preset: the button's click, confirmed by the success box.
    { title: 'Tilda', trigger: 'click' as const, selector: '.t-submit', fields: { name: field('Name'), phone: field('Phone') }, confirm: { selector: '.t-form__successbox', seconds: 10 } },
    // The Contact Form 7 preset: the form's submit, confirmed by the wpcf7mailsent event.
    { title: 'CF7', selector: '.wpcf7-form', fields: { name: field('your-name'), email: field('your-email') }, confirm: { event: 'wpcf7mailsent', seconds: 10 } },
    // Classic forms that navigate: confirmed by the page unloading (no selector or event ever shows).
    { title: 'Navigating', selector: '#resend-form', fields: { phone: field('phone', true) }, confirm: { event: 'never-sent', seconds: 10 } },
    { title: 'Posting', selector: '#order', fields: { name: field('fio'), phone: field('tel', true) }, confirm: { seconds: 10 } },
  ];
  for (const f of forms) await collector.addForm(projectId, f);
  site = await startSiteServer({ COLLECTOR: collector.url, PROJECT: projectId });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close()]);
});

async function open(path: string): Promise<{ page: Page; errors: string[]; bodies: string[] }> {
  const page = await browser.newPage();
  const { errors } = watchPage(page);
  const bodies: string[] = [];
  page.on('request', (r) => {
    if (r.url().includes(`/api/site/1.0/${projectId}/leads`)) bodies.push(r.postData() ?? '');
  });
  const config = page.waitForResponse((r) => r.url().includes(`/api/site/1.0/${projectId}/config`));
  await page.goto(`${site.url}${path}`);
  await config;
  return { page, errors, bodies };
}

test(
  "Tilda-like: a click its script refuses (empty name) makes no lead; the corrected send, shown as a success, makes one",
  async () => {
    const { page, errors, bodies } = await open('/tilda/');
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('[name=Phone]', '+7 911 000-00-01');
        await page.click('.t-submit');
        await page.waitForSelector('#error:has-text("Please fill in the name")');
      },
      refuted: [{ title: 'Tilda' }],
    });
    expect(bodies).toEqual([]);
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('[name=Name]', 'Tanya');
        await page.click('.t-submit');
        await page.waitForSelector('.t-form__successbox', { state: 'visible' });
      },
      expected: [{ title: 'Tilda', name: 'Tanya', phone: '+7 911 000-00-01' }],
    });
    // The refused click's values were never sent, not even after the page is gone.
    await page.close({ runBeforeUnload: true });
    const tilda = (await collector.leads(projectId)).filter((l) => l.title === 'Tilda');
    expect(tilda.map((l) => l.name)).toEqual(['Tanya']);
    expect(errors).toEqual([]);
  },
  E2E_TIMEOUT,
);

test(
  'CF7-like: a submit answered by wpcf7invalid makes no lead; one answered by wpcf7mailsent makes exactly one',
  async () => {
    const { page, errors } = await open('/cf7/');
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('[name=your-name]', 'Kate');
        await page.fill('[name=your-email]', 'not-an-email');
        await page.click('.wpcf7-form button');
        await page.waitForSelector('#output:has-text("error")');
      },
      refuted: [{ title: 'CF7' }],
    });
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('[name=your-email]', 'kate@example.com');
        await page.click('.wpcf7-form button');
        await page.waitForSelector('#output:has-text("Thank you")');
      },
      expected: [{ title: 'CF7', name: 'Kate', email: 'kate@example.com' }],
    });
    await page.close({ runBeforeUnload: true });
    const cf7 = (await collector.leads(projectId)).filter((l) => l.title === 'CF7');
    expect(cf7.map((l) => l.email)).toEqual(['kate@example.com']);
    expect(errors).toEqual([]);
  },
  E2E_TIMEOUT,
);

test(
  'a classic form that navigates to a page with the snippet: confirmed by the unload, stored once though both pages send it',
  async () => {
    const { page, errors } = await open('/resend/');
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('#resend-form [name=phone]', '+7 912 000-00-02');
        await Promise.all([page.waitForURL(/thanks\.html/), page.click('#resend-form button')]);
      },
      expected: [{ title: 'Navigating', phone: '+7 912 000-00-02' }],
    });
    // The thank-you page's snippet found it (unmarked, or still marked pending) and sent it again: the outbox is empty.
    await page.waitForFunction(
      () =>
        new Promise<boolean>((resolve) => {
          const open = indexedDB.open('leadrelay');
          open.onsuccess = () => {
            const req = open.result.transaction('outbox').objectStore('outbox').count();
            req.onsuccess = () => resolve(req.result === 0);
          };
        }),
    );
    expect((await collector.leads(projectId)).filter((l) => l.title === 'Navigating')).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  },
  E2E_TIMEOUT,
);

test(
  'a classic form that posts to a page without the snippet: the unloading page sends it',
  async () => {
    const { page, errors } = await open('/classic/');
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('[name=fio]', 'Ivan');
        await page.fill('[name=tel]', '+7 913 000-00-03');
        await Promise.all([page.waitForURL(`${site.url}/thanks`), page.click('#order button')]);
      },
      expected: [{ title: 'Posting', name: 'Ivan', phone: '+7 913 000-00-03' }],
    });
    expect(errors).toEqual([]);
    await page.close();
  },
  E2E_TIMEOUT,
);
