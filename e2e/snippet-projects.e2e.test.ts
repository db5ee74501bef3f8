// Two projects on one origin, and the Roistat drop-in cookie, in Chromium with the built s.js: every key the
// snippet keeps in the browser is the project's own, so configs, visits and queued leads never mix.
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { Lead } from '../shared/schemas.ts';
import { launchBrowser } from '../test-support/chromium.ts';
import { startCollector, type Collector } from '../test-support/collector.ts';
import { expectLeads, startSiteServer, watchPage, type SiteServer } from './harness.ts';

let browser: Browser;
let collector: Collector;
let site: SiteServer;
let a: { id: string; key: string };
let b: { id: string; key: string };
const E2E_TIMEOUT = 90_000;

const phoneField = { phone: { source: 'field' as const, value: 'phone', required: true } };

beforeAll(async () => {
  // These tests load the built artifact, as a site would (`npm test` builds first).
  if (!existsSync('dist/s.js')) throw new Error('dist/s.js is missing: run `node build.mjs` first');
  [browser, collector] = await Promise.all([launchBrowser(), startCollector()]);
  a = await collector.createProject('Landing A');
  b = await collector.createProject('Landing B');
  // The same markup on both landings: each project has its own form config for `#order`.
  await collector.addForm(a.id, { title: 'A order', selector: '#order', fields: phoneField });
  await collector.addForm(b.id, { title: 'B order', selector: '#order', fields: phoneField });
  // Visit numbers are per project: B starts at 3, so a visit of A (1) and of B are told apart. The two
  // visits differ (the collector stores a repeated identical visit of one browser once).
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${collector.url}/api/site/1.0/${b.id}/visits`, { method: 'POST', body: JSON.stringify({ landingPage: `https://elsewhere.example/${i}` }) });
    expect(res.status).toBe(200);
  }
  site = await startSiteServer({ COLLECTOR: collector.url, PROJECT_A: a.id, PROJECT_B: b.id, PROJECT: a.id });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([collector?.close(), site?.close()]);
});

/**
 * Opens `path` and waits until the snippet of `project` has fetched its config and registered a visit, each
 * when `fresh` says it must; counts the requests of both, so a test can say none was needed.
 */
async function open(page: Page, path: string, project: string, fresh: { config: boolean; visit: boolean }) {
  const seen = { config: 0, visits: 0 };
  const count = (r: { url(): string }) => {
    if (r.url().endsWith(`/${project}/config`)) seen.config++;
    if (r.url().endsWith(`/${project}/visits`)) seen.visits++;
  };
  page.on('request', count);
  const waits: Promise<unknown>[] = [];
  if (fresh.config) waits.push(page.waitForResponse((r) => r.url().endsWith(`/${project}/config`)));
  if (fresh.visit) waits.push(page.waitForResponse((r) => r.url().endsWith(`/${project}/visits`)));
  await page.goto(`${site.url}${path}`);
  await Promise.all(waits);
  await page.waitForLoadState('load');
  await page.waitForTimeout(300);
  page.off('request', count);
  return seen;
}

const submit = async (page: Page, phone: string) => {
  await page.fill('#order [name=phone]', phone);
  await page.click('#order button');
};

/** The number of leads of `project` in the snippet's IndexedDB outbox (each entry carries its project as `p`). */
const outbox = (project: string) =>
  new Promise<number>((resolve) => {
    const open = indexedDB.open('leadrelay');
    open.onsuccess = () => {
      const db = open.result;
      if (!db.objectStoreNames.contains('outbox')) return resolve(0);
      const all = db.transaction('outbox').objectStore('outbox').getAll();
      all.onsuccess = () => resolve(all.result.filter((e: { p?: string }) => e.p === project).length);
    };
    open.onerror = () => resolve(-1);
  });

const cookies = async (context: BrowserContext) => Object.fromEntries((await context.cookies()).map((c) => [c.name, c.value]));
const only = (leads: Lead[]) => {
  expect(leads).toHaveLength(1);
  return leads[0]!;
};

test(
  "two projects' snippets on one origin keep separate configs, visits and queued leads",
  async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { errors } = watchPage(page);

    // Landing A from an ad: A's config, A's visit (1) with its UTM.
    await open(page, '/two-projects/a.html?utm_source=alpha', a.id, { config: true, visit: true });
    const leadA1 = only(await expectLeads({ collector, projectId: a.id, action: () => submit(page, '+7 900 000-00-01'), expected: [{ title: 'A order', phone: '+7 900 000-00-01' }] }));
    expect(leadA1).toMatchObject({ visit: 1, utm: { source: 'alpha' } });

    // Landing B from another ad on the same origin: B loads its own config (not A's cached one) and
    // registers its own visit (3); its lead goes to B only.
    expect(await open(page, '/two-projects/b.html?utm_source=beta', b.id, { config: true, visit: true })).toEqual({ config: 1, visits: 1 });
    const leadB1 = only(
      await expectLeads({ collector, projectId: b.id, action: () => submit(page, '+7 900 000-00-02'), expected: [{ title: 'B order', phone: '+7 900 000-00-02' }] }),
    );
    expect(leadB1).toMatchObject({ visit: 3, utm: { source: 'beta' } });
    expect((await collector.leads(a.id)).map((l) => l.phone)).toEqual(['+7 900 000-00-01']);

    // The collector down: B's lead waits in B's own outbox.
    await collector.stop();
    await submit(page, '+7 900 000-00-03');
    await expect.poll(() => page.evaluate(outbox, b.id)).toBe(1);
    expect(await page.evaluate(outbox, a.id)).toBe(0);
    await collector.start();

    // Back on A (no ad): A's cached config and A's visit go on (no fetch, no new registration, still
    // alpha), and A's page does not send B's queued lead anywhere.
    expect(await open(page, '/two-projects/a.html', a.id, { config: false, visit: false })).toEqual({ config: 0, visits: 0 });
    const leadA2 = only(
      await expectLeads({
        collector,
        projectId: a.id,
        action: () => submit(page, '+7 900 000-00-04'),
        expected: [{ title: 'A order', phone: '+7 900 000-00-04' }],
        refuted: [{ phone: '+7 900 000-00-03' }],
      }),
    );
    expect(leadA2).toMatchObject({ visit: 1, utm: { source: 'alpha' } });
    expect((await collector.leads(b.id)).some((l) => l.phone === '+7 900 000-00-03')).toBe(false);
    expect(await page.evaluate(outbox, b.id)).toBe(1);

    // B's next page sends its own queued lead, to B, with B's visit.
    const arrived = await expectLeads({
      collector,
      projectId: b.id,
      action: () => open(page, '/two-projects/b.html', b.id, { config: false, visit: false }),
      expected: [{ title: 'B order', phone: '+7 900 000-00-03' }],
    });
    expect(only(arrived)).toMatchObject({ visit: 3, utm: { source: 'beta' } });
    await expect.poll(() => page.evaluate(outbox, b.id)).toBe(0);
    expect((await collector.leads(a.id)).map((l) => l.phone).sort()).toEqual(['+7 900 000-00-01', '+7 900 000-00-04']);
    // Each project's visit in its own cookie; the plain lr_visit (what a site's PHP reads) is the last page's project.
    expect(await cookies(context)).toMatchObject({ [`lr_visit_${a.id}`]: '1', [`lr_visit_${b.id}`]: '3', lr_visit: '3' });
    expect(errors).toEqual([]);
    await context.close();
  },
  E2E_TIMEOUT,
);

test(
  'data-visit-cookie="roistat_visit": the visit number is in that cookie, and a proxy lead sent with it (as unchanged Roistat PHP does) gets the visit and its UTM',
  async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { errors } = watchPage(page);
    const visit = page.waitForResponse((r) => r.url().endsWith(`/${a.id}/visits`));
    await page.goto(`${site.url}/roistat/?utm_source=roistat_src&utm_campaign=spring`);
    const { visit: number } = (await (await visit).json()) as { visit: number };
    await expect.poll(async () => (await context.cookies()).find((c) => c.name === 'roistat_visit')).toMatchObject({ value: String(number), path: '/', domain: 'localhost' });
    expect((await cookies(context))[`lr_visit_${a.id}`]).toBe(String(number));

    // What the site's PHP does with the cookie: $_COOKIE['roistat_visit'] goes into `roistat`.
    const roistat = (await cookies(context)).roistat_visit!;
    const query = new URLSearchParams({ roistat, key: a.key, title: 'PHP order', phone: '+7 900 000-00-05' });
    const res = await fetch(`${collector.url}/api/proxy/1.0/leads/add?${query}`);
    expect(res.status).toBe(200);
    const lead = (await collector.leads(a.id)).find((l) => l.phone === '+7 900 000-00-05');
    expect(lead).toMatchObject({ source: 'proxy', visit: number, utm: { source: 'roistat_src', campaign: 'spring' } });
    expect(errors).toEqual([]);
    await context.close();
  },
  E2E_TIMEOUT,
);

test(
  'a garbage cached config in the browser: no page error, the fresh config is fetched and its form is caught',
  async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { errors } = watchPage(page);
    // A visit is going on (so the cache is trusted without a refetch), then the cached config turns to garbage.
    await open(page, '/two-projects/a.html', a.id, { config: true, visit: true });
    await page.evaluate((key) => localStorage.setItem(key, '{"at":1,"config":{"forms":[null]}}'), `lr_config_${a.id}`);
    expect(await open(page, '/two-projects/a.html', a.id, { config: true, visit: false })).toEqual({ config: 1, visits: 0 });
    await expectLeads({ collector, projectId: a.id, action: () => submit(page, '+7 900 000-00-06'), expected: [{ title: 'A order', phone: '+7 900 000-00-06' }] });
    expect(JSON.parse((await page.evaluate((key) => localStorage.getItem(key), `lr_config_${a.id}`))!).config.forms).toHaveLength(1);
    expect(errors).toEqual([]);
    await context.close();
  },
  E2E_TIMEOUT,
);

test(
  'a browser that ran the version without per-project keys: its visit and the lead it had queued are taken over',
  async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const { errors } = watchPage(page);
    const res = await fetch(`${collector.url}/api/site/1.0/${a.id}/visits`, {
      method: 'POST',
      body: JSON.stringify({ landingPage: `${site.url}/two-projects/a.html?utm_source=legacy`, utm: { source: 'legacy' } }),
    });
    const { visit } = (await res.json()) as { visit: number };
    // What the older snippet left on the origin: its visit (unsuffixed keys) and a lead in its outbox, without a project.
    await page.goto(`${site.url}/no-snippet-here`);
    await page.evaluate(
      async ({ visit, landingPage }) => {
        localStorage.setItem('lr_visit_data', JSON.stringify({ visit, landingPage, referrer: '', utm: { source: 'legacy' }, clickIds: {}, params: {}, firstVisit: visit }));
        document.cookie = `lr_visit=${visit};path=/;max-age=86400`;
        document.cookie = `lr_first_visit=${visit};path=/;max-age=86400`;
        const context = { page: landingPage, referrer: '', landingPage, visit, firstVisit: visit, utm: { source: 'legacy' }, clickIds: {}, cookies: {}, params: {} };
        const body = { clientId: 'legacy-lead-0001', formId: null, source: 'js', phone: '+7 900 000-00-07', fields: {}, context };
        await new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('leadrelay');
          open.onupgradeneeded = () => open.result.createObjectStore('outbox');
          open.onsuccess = () => {
            const tx = open.result.transaction('outbox', 'readwrite');
            tx.objectStore('outbox').put({ id: body.clientId, at: Date.now(), body }, body.clientId);
            tx.oncomplete = () => (open.result.close(), resolve());
            tx.onerror = () => reject(tx.error);
          };
        });
      },
      { visit, landingPage: `${site.url}/two-projects/a.html?utm_source=legacy` },
    );

    const arrived = await expectLeads({
      collector,
      projectId: a.id,
      action: async () => expect(await open(page, '/two-projects/a.html', a.id, { config: true, visit: false })).toEqual({ config: 1, visits: 0 }),
      expected: [{ source: 'js', phone: '+7 900 000-00-07' }],
    });
    expect(only(arrived)).toMatchObject({ visit, utm: { source: 'legacy' } });
    const total = () =>
      page.evaluate(
        () =>
          new Promise<number>((resolve) => {
            const open = indexedDB.open('leadrelay');
            open.onsuccess = () => {
              const count = open.result.transaction('outbox').objectStore('outbox').count();
              count.onsuccess = () => (open.result.close(), resolve(count.result));
            };
          }),
      );
    await expect.poll(total).toBe(0);

    // The visit goes on under the project's own keys.
    const next = await expectLeads({ collector, projectId: a.id, action: () => submit(page, '+7 900 000-00-08'), expected: [{ title: 'A order', phone: '+7 900 000-00-08' }] });
    expect(only(next)).toMatchObject({ visit, utm: { source: 'legacy' } });
    expect((await cookies(context))[`lr_visit_${a.id}`]).toBe(String(visit));
    expect(errors).toEqual([]);
    await context.close();
  },
  E2E_TIMEOUT,
);
