// Privacy in the snippet, in Chromium (README "Privacy in the browser"): ignored controls and forms and payment
// card fields never reach a lead (neither the request nor the stored lead); a cookie-less project sets no cookie
// and registers no visit, and its leads still arrive.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { launchBrowser } from '../test-support/chromium.ts';
import { startCollector, type Collector } from '../test-support/collector.ts';
import { expectLeads, startSiteServer, watchPage, type SiteServer } from './harness.ts';

let browser: Browser;
let collector: Collector;
const E2E_TIMEOUT = 90_000;
const field = (value: string, required = false) => ({ source: 'field' as const, value, required });
const checkout = {
  title: 'Checkout',
  selector: '#checkout, #secret-form',
  fields: { name: field('name'), phone: field('phone') },
  extraFields: ['card', 'cvc', 'passport', 'diagnosis'].map((key) => ({ key, ...field(key) })),
};

beforeAll(async () => {
  if (!existsSync('dist/s.js')) throw new Error('dist/s.js is missing: run `node build.mjs` first');
  [browser, collector] = await Promise.all([launchBrowser(), startCollector()]);
});

afterAll(async () => {
  await browser?.close();
  await collector?.close();
});

async function project(name: string, cookies: boolean): Promise<{ projectId: string; site: SiteServer }> {
  const { id: projectId } = await collector.createProject(name);
  if (!cookies) await collector.admin('PUT', `/projects/${projectId}`, { cookies: false });
  await collector.addForm(projectId, checkout);
  return { projectId, site: await startSiteServer({ COLLECTOR: collector.url, PROJECT: projectId }) };
}

async function openIn(context: BrowserContext, site: SiteServer, projectId: string, query = '') {
  const page = await context.newPage();
  const { errors } = watchPage(page);
  const requests: { url: string; body: string }[] = [];
  page.on('request', (r) => requests.push({ url: r.url(), body: r.postData() ?? '' }));
  const config = page.waitForResponse((r) => r.url().includes(`/api/site/1.0/${projectId}/config`));
  await page.goto(`${site.url}/privacy/${query}`);
  await config;
  return { page, errors, requests };
}

const SECRETS = ['4111 1111 1111 1111', '737', 'AB1234567', 'flu', '+7 999 999-99-99'];

test(
  'card fields, controls under data-leadrelay-ignore and an ignored form never reach the request or the lead',
  async () => {
    const { projectId, site } = await project('Privacy', true);
    const context = await browser.newContext();
    const { page, errors, requests } = await openIn(context, site, projectId);
    const [lead] = await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('#checkout [name=name]', 'Pavel');
        await page.fill('#checkout [name=phone]', '+7 914 000-00-04');
        await page.fill('[name=card]', SECRETS[0]!);
        await page.fill('[name=cvc]', SECRETS[1]!);
        await page.fill('[name=passport]', SECRETS[2]!);
        await page.fill('[name=diagnosis]', SECRETS[3]!);
        await page.click('#checkout button');
        await page.fill('#secret-form [name=phone]', SECRETS[4]!);
        await page.click('#secret-form button');
      },
      expected: [{ title: 'Checkout', name: 'Pavel', phone: '+7 914 000-00-04' }],
      // The ignored form's submit makes a lead without its phone (nothing required), never with it.
      refuted: [{ phone: SECRETS[4]! }],
    });
    expect(lead!.fields).toMatchObject({ card: '', cvc: '', passport: '', diagnosis: '' });
    const sent = requests.filter((r) => r.url.includes('/leads')).map((r) => r.body).join('\n');
    expect(sent).toContain('Pavel');
    const stored = JSON.stringify(await collector.leads(projectId));
    for (const secret of SECRETS) {
      expect(sent).not.toContain(secret);
      expect(stored).not.toContain(secret);
    }
    expect(errors).toEqual([]);
    await context.close();
    await site.close();
  },
  E2E_TIMEOUT,
);

test(
  'a cookie-less project: no cookie of ours (not even one set before the switch), no /visits, the lead still arrives with no visit',
  async () => {
    const { projectId, site } = await project('No cookies', true);
    const context = await browser.newContext();
    // A visitor who came while cookies were on.
    const before = await openIn(context, site, projectId);
    await before.page.waitForFunction((p) => document.cookie.includes(`lr_visit_${p}=`), projectId);
    await before.page.close();
    await collector.admin('PUT', `/projects/${projectId}`, { cookies: false });

    // The next page view, from an ad: a new visit, so the config is fetched at once (else within its 5 minutes).
    const { page, errors, requests } = await openIn(context, site, projectId, '?utm_source=ad');
    const [lead] = await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('#checkout [name=name]', 'Olga');
        await page.fill('#checkout [name=phone]', '+7 915 000-00-05');
        await page.click('#checkout button');
      },
      expected: [{ title: 'Checkout', name: 'Olga', phone: '+7 915 000-00-05' }],
    });
    expect(lead!.visit).toBeNull();
    const ours = (await context.cookies()).filter((c) => c.name.startsWith('lr_'));
    expect(ours).toEqual([]);
    expect(await page.evaluate(() => document.cookie)).not.toMatch(/lr_/);
    expect(requests.filter((r) => r.url.includes('/visits'))).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
    await site.close();
  },
  E2E_TIMEOUT,
);
