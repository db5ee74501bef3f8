// The built s.js in Chromium on fixture sites of real-world shapes (fixtures/sites/*): each shape
// catches exactly the leads it should, and the host page never sees an error.
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
  // These tests load the built artifact, as a site would (`npm test` builds first).
  if (!existsSync('dist/s.js')) throw new Error('dist/s.js is missing: run `node build.mjs` first');
  [browser, collector] = await Promise.all([launchBrowser(), startCollector()]);
  ({ id: projectId } = await collector.createProject('Snippet sites'));
  const forms = [
    { title: 'AJAX quote', trigger: 'click' as const, selector: '.js-send-quote', fields: { name: field('client_name'), phone: field('client_phone', true) }, extraFields: [{ key: 'service', ...field('service') }] },
    { title: 'Late callback', selector: '.callback-form', fields: { phone: field('phone', true) }, extraFields: [{ key: 'when', ...field('when') }] },
    { title: 'Framework signup', selector: '#signup', fields: { email: field('email', true) }, extraFields: [{ key: 'plan', ...field('plan') }, { key: 'agree', ...field('agree') }] },
    { title: 'Header or footer', selector: '#header-callback, .footer-order', fields: { phone: field('phone', true) } },
    { title: 'Excluded here', selector: '#excluded-form', sites: ['localhost'], excludeSites: true, fields: { phone: field('phone', true) } },
    { title: 'Only elsewhere', selector: '#excluded-form', sites: ['other.example'], fields: { phone: field('phone', true) } },
    { title: 'Included here', selector: '#excluded-form', sites: ['www.localhost'], fields: { phone: field('phone', true) } },
    {
      title: 'Under CSP',
      selector: '#csp-form',
      fields: { name: { source: 'js' as const, value: "return this.querySelector('[name=name]').value.toUpperCase()", required: false }, phone: field('phone', true) },
    },
    { title: 'In an iframe', selector: '#iframe-form', fields: { phone: field('phone', true) } },
  ];
  for (const f of forms) await collector.addForm(projectId, f);
  site = await startSiteServer({ COLLECTOR: collector.url, PROJECT: projectId });
  site.headers = (path): Record<string, string> =>
    path.startsWith('/csp/')
      ? { 'content-security-policy': `default-src 'self'; script-src ${collector.url}; connect-src ${collector.url}; style-src 'self'` }
      : {};
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close()]);
});

async function open(path: string, initScript?: () => void): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const { errors } = watchPage(page);
  if (initScript) await page.addInitScript(initScript);
  const config = page.waitForResponse((r) => r.url().includes(`/api/site/1.0/${projectId}/config`));
  await page.goto(`${site.url}${path}`);
  await config;
  return { page, errors };
}

test(
  'an AJAX form (fetch + preventDefault, fields cleared at once) is caught by its button click',
  async () => {
    const { page, errors } = await open('/ajax/');
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('[name=client_name]', 'Olga');
        await page.fill('[name=client_phone]', '+7 901 111-22-33');
        await page.selectOption('[name=service]', 'repair');
        await page.click('.js-send-quote');
        await page.waitForSelector('#status:has-text("Thanks")');
      },
      expected: [{ title: 'AJAX quote', name: 'Olga', phone: '+7 901 111-22-33', fields: { service: 'repair' } }],
    });
    // The site's own request went out: the snippet did not get in its way.
    expect(site.hits.filter((h) => h.path === '/api/quote')).toHaveLength(1);
    expect(errors).toEqual([]);
    await page.close();
  },
  E2E_TIMEOUT,
);

test(
  'a form inserted by script after load is caught (delegation), checkbox group joined',
  async () => {
    const { page, errors } = await open('/late-form/');
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.click('#open');
        await page.fill('.callback-form [name=phone]', '+7 902 000-00-01');
        await page.check('[name=when][value=morning]');
        await page.check('[name=when][value=evening]');
        await Promise.all([page.waitForURL(`${site.url}/thanks`), page.click('.callback-form button')]);
      },
      expected: [{ title: 'Late callback', phone: '+7 902 000-00-01', fields: { when: 'morning, evening' } }],
    });
    expect(errors).toEqual([]);
    await page.close();
  },
  E2E_TIMEOUT,
);

test(
  'a framework-style form whose values are set through DOM properties, not typed',
  async () => {
    const { page, errors } = await open('/framework/');
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.evaluate(() => (window as unknown as { app: { setState(p: object): void } }).app.setState({ email: 'dev@example.com', plan: 'pro', agree: true }));
        await page.click('#signup button');
      },
      expected: [{ title: 'Framework signup', email: 'dev@example.com', fields: { plan: 'pro', agree: 'yes' } }],
    });
    expect(errors).toEqual([]);
    await page.close();
  },
  E2E_TIMEOUT,
);

test(
  'two matching forms and a comma-separated selector: each makes its own lead, the other form none',
  async () => {
    const { page, errors } = await open('/two-forms/');
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('#header-callback [name=phone]', '+7 903 000-00-01');
        await page.click('#header-callback button');
        await page.fill('#newsletter [name=phone]', '+7 903 000-00-02');
        await page.click('#newsletter button');
        await page.fill('.footer-order [name=phone]', '+7 903 000-00-03');
        await page.click('.footer-order button');
      },
      expected: [
        { title: 'Header or footer', phone: '+7 903 000-00-01' },
        { title: 'Header or footer', phone: '+7 903 000-00-03' },
      ],
      refuted: [{ phone: '+7 903 000-00-02' }],
    });
    expect(errors).toEqual([]);
    await page.close();
  },
  E2E_TIMEOUT,
);

test(
  'a site in an exclude list makes no lead from that config; an include list naming it (www. ignored) does',
  async () => {
    const { page, errors } = await open('/excluded/');
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('#excluded-form [name=phone]', '+7 904 000-00-01');
        await page.click('#excluded-form button');
      },
      expected: [{ title: 'Included here', phone: '+7 904 000-00-01' }],
      refuted: [{ title: 'Excluded here' }, { title: 'Only elsewhere' }],
    });
    expect(errors).toEqual([]);
    await page.close();
  },
  E2E_TIMEOUT,
);

test(
  'under a strict CSP (no unsafe-eval) the js rule is empty, the lead still arrives, the page sees no error',
  async () => {
    const head = await fetch(`${site.url}/csp/`);
    expect(head.headers.get('content-security-policy')).not.toContain('unsafe-eval');
    // Records the page's CSP violations (init scripts are injected by the browser, not subject to the CSP).
    // Kept in sessionStorage, as the form navigates away.
    const { page, errors } = await open('/csp/', () => {
      document.addEventListener('securitypolicyviolation', (e) => {
        sessionStorage.setItem('violations', (sessionStorage.getItem('violations') || '') + e.violatedDirective + ' ' + e.blockedURI + '\n');
      });
    });
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await page.fill('#csp-form [name=name]', 'Pavel');
        await page.fill('#csp-form [name=phone]', '+7 905 000-00-01');
        await Promise.all([page.waitForURL(`${site.url}/thanks`), page.click('#csp-form button')]);
      },
      expected: [{ title: 'Under CSP', phone: '+7 905 000-00-01', name: '' }],
    });
    // The js rule really was blocked by the policy (an "eval" violation), not skipped.
    expect(await page.evaluate(() => sessionStorage.getItem('violations'))).toMatch(/^script-src\S* eval$/m);
    expect(errors).toEqual([]);
    await page.close();
  },
  E2E_TIMEOUT,
);

test(
  'a form inside an iframe is not caught and nothing breaks',
  async () => {
    const { page, errors } = await open('/iframe/');
    const frame = page.frameLocator('#widget');
    await expectLeads({
      collector,
      projectId,
      action: async () => {
        await frame.locator('[name=phone]').fill('+7 906 000-00-01');
        await frame.locator('button').click();
        await page.waitForTimeout(300);
      },
      refuted: [{ phone: '+7 906 000-00-01' }],
    });
    expect(site.hits.filter((h) => h.method === 'POST' && h.path === '/thanks').length).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  },
  E2E_TIMEOUT,
);
