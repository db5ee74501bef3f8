// The offline queue in Chromium: a lead made while the collector is down, or while the browser is
// offline, waits in IndexedDB and arrives exactly once when the collector can be reached again.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../test-support/chromium.ts';
import { startCollector, type Collector } from '../test-support/collector.ts';
import { expectLeads, startSiteServer, watchPage, type SiteServer } from './harness.ts';

let browser: Browser;
let collector: Collector;
let site: SiteServer;
let projectId: string;
const E2E_TIMEOUT = 90_000;

beforeAll(async () => {
  // These tests load the built artifact, as a site would (`npm test` builds first).
  if (!existsSync('dist/s.js')) throw new Error('dist/s.js is missing: run `node build.mjs` first');
  [browser, collector] = await Promise.all([launchBrowser(), startCollector()]);
  ({ id: projectId } = await collector.createProject('Snippet offline'));
  await collector.addForm(projectId, { title: 'Order', selector: '#resend-form', fields: { phone: { source: 'field', value: 'phone', required: true } } });
  await collector.addForm(projectId, {
    title: 'Order without reload',
    trigger: 'click',
    selector: '#offline-send',
    fields: { phone: { source: 'field', value: 'offline_phone', required: true } },
  });
  site = await startSiteServer({ COLLECTOR: collector.url, PROJECT: projectId });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close()]);
});

const outbox = () =>
  new Promise<number>((resolve) => {
    const open = indexedDB.open('leadrelay');
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('outbox')) return resolve(0);
      const count = db.transaction('outbox').objectStore('outbox').count();
      count.onsuccess = () => resolve(count.result);
    };
    open.onerror = () => resolve(-1);
  });

test(
  'the collector down when the form is sent (the page navigates at once), up on the next page: the lead arrives once',
  async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { errors } = watchPage(page);
    const config = page.waitForResponse((r) => r.url().includes('/config'));
    await page.goto(`${site.url}/resend/`);
    await config;
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await collector.stop();
        await page.fill('#resend-form [name=phone]', '+7 910 000-00-01');
        await Promise.all([page.waitForURL(/\/resend\/thanks\.html/), page.click('#resend-form button')]);
        // The thank-you page has the snippet (s.js from the browser cache); the collector is still down.
        await page.waitForLoadState('load');
        // Polled, not after a fixed wait: the write may finish later on a loaded machine.
        await expect.poll(() => page.evaluate(outbox), { timeout: 15_000 }).toBe(1);
        await collector.start();
        await page.goto(`${site.url}/resend/`);
      },
      expected: [{ title: 'Order', phone: '+7 910 000-00-01' }],
      settleMs: 1500,
    });
    await expect.poll(() => page.evaluate(outbox)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  },
  E2E_TIMEOUT,
);

test(
  'offline, then online: the lead is sent on the online event, once',
  async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { errors } = watchPage(page);
    const config = page.waitForResponse((r) => r.url().includes('/config'));
    await page.goto(`${site.url}/resend/`);
    await config;
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await context.setOffline(true);
        await page.fill('[name=offline_phone]', '+7 911 000-00-02');
        await page.click('#offline-send');
        await expect.poll(() => page.evaluate(outbox)).toBe(1);
        await page.waitForTimeout(300);
        expect((await collector.leads(projectId)).some((l) => l.phone === '+7 911 000-00-02')).toBe(false);
        await context.setOffline(false);
      },
      expected: [{ title: 'Order without reload', phone: '+7 911 000-00-02' }],
      settleMs: 1500,
    });
    await expect.poll(() => page.evaluate(outbox)).toBe(0);
    expect(errors).toEqual([]);
    await context.close();
  },
  E2E_TIMEOUT,
);
