// Per-project daily quotas of leads and visits (QUOTA_LEADS_PER_DAY, QUOTA_VISITS_PER_DAY, or the
// project's own), counted per UTC day in the same transaction as the write, on both stores: over the
// quota a request gets 429 QUOTA_EXCEEDED (the proxy API too), counted in /metrics, and nothing is
// stored. A visit the same browser registers again is the visit it already has, stored once.
import { describe, expect, it } from 'vitest';
import { systemClock } from '../src/clock.ts';
import { quotasFromEnv, type DailyQuotas } from '../src/config.ts';
import { onEachStore } from './store-helpers.ts';

const DAY = 86_400_000;
/** 2027-01-15 12:00 UTC. */
const NOON = Date.UTC(2027, 0, 15, 12);
const TEXT = { 'content-type': 'text/plain' };

onEachStore('lr_quota', ({ startApp }) => {
  async function setup(quotas: DailyQuotas) {
    let time = NOON;
    const { app, store } = await startApp({
      adminToken: 'admin',
      clock: { now: () => time, sleep: systemClock.sleep },
      quotas,
      rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 },
    });
    const project = await store.createProject('Shop', time);
    let n = 0;
    const siteLead = (clientId = `client-${++n}-abcdef`) =>
      app.inject({ method: 'POST', url: `/api/site/1.0/${project.id}/leads`, payload: JSON.stringify({ clientId, name: 'Ann' }), headers: TEXT });
    const proxyLead = () => app.inject({ method: 'GET', url: `/api/proxy/1.0/leads/add?key=${project.key}&name=Bob` });
    const visit = (body: Record<string, unknown> = { landingPage: `https://shop.example/?n=${++n}` }, headers: Record<string, string> = {}) =>
      app.inject({
        method: 'POST',
        url: `/api/site/1.0/${project.id}/visits`,
        payload: JSON.stringify(body),
        headers: { ...TEXT, 'user-agent': 'Firefox', ...headers },
        remoteAddress: headers['x-ip'] ?? '198.51.100.1',
      });
    const metric = async (kind: string) => {
      const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
      const m = new RegExp(`^leadrelay_quota_exceeded_total\\{kind="${kind}"\\} (\\d+)$`, 'm').exec(text);
      return m ? Number(m[1]) : 0;
    };
    const leadCount = async () => (await store.listLeads(project.id, { limit: 1000 })).items.length;
    return { app, store, project, siteLead, proxyLead, visit, metric, leadCount, setTime: (t: number) => (time = t) };
  }

  it('leads: over the quota 429 QUOTA_EXCEEDED from the site and the proxy API, nothing stored, counted; a resend still answers; the next UTC day takes more', async () => {
    const { siteLead, proxyLead, metric, leadCount, setTime } = await setup({ leadsPerDay: 3, visitsPerDay: 0 });
    const first = await siteLead('client-first-123');
    expect(first.statusCode).toBe(202);
    expect((await siteLead()).statusCode).toBe(202);
    expect((await proxyLead()).json()).toMatchObject({ status: 'success' });

    const over = await siteLead();
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ status: 'error', error: 'QUOTA_EXCEEDED', message: expect.stringContaining('3 leads a day') });
    expect(over.headers['retry-after']).toBe(String(12 * 3600));
    const overProxy = await proxyLead();
    expect(overProxy.statusCode).toBe(429);
    expect(overProxy.json()).toMatchObject({ status: 'error', error: 'QUOTA_EXCEEDED' });
    expect(await leadCount()).toBe(3);
    expect(await metric('leads')).toBe(2);

    // The snippet resending a lead that is stored already is not a new lead.
    const resent = await siteLead('client-first-123');
    expect([resent.statusCode, resent.json().data.id]).toEqual([202, first.json().data.id]);

    setTime(NOON + DAY / 2); // 00:00 UTC the next day
    expect((await siteLead()).statusCode).toBe(202);
    expect(await leadCount()).toBe(4);
  });

  it('leads: concurrent requests store exactly the quota', async () => {
    const { siteLead, leadCount } = await setup({ leadsPerDay: 5, visitsPerDay: 0 });
    const answers = await Promise.all(Array.from({ length: 12 }, () => siteLead()));
    expect(answers.filter((r) => r.statusCode === 202)).toHaveLength(5);
    expect(answers.filter((r) => r.statusCode === 429)).toHaveLength(7);
    expect(await leadCount()).toBe(5);
  });

  it('visits: over the quota 429, counted; a repeat of a stored visit still gets its number', async () => {
    const { visit, metric, setTime } = await setup({ leadsPerDay: 0, visitsPerDay: 2 });
    const a = await visit({ landingPage: 'https://shop.example/a' });
    const b = await visit({ landingPage: 'https://shop.example/b' });
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    const over = await visit({ landingPage: 'https://shop.example/c' });
    expect(over.statusCode).toBe(429);
    expect(over.json()).toMatchObject({ error: 'QUOTA_EXCEEDED', message: expect.stringContaining('2 visits a day') });
    expect(await metric('visits')).toBe(1);
    const repeat = await visit({ landingPage: 'https://shop.example/a' });
    expect(repeat.json()).toEqual(a.json());
    setTime(NOON + DAY);
    expect((await visit({ landingPage: 'https://shop.example/c' })).json()).toEqual({ visit: b.json().visit + 1 });
  });

  it('a project’s own quota wins over the collector’s, 0 meaning none; null gives the collector’s back', async () => {
    const { store, project, siteLead, visit } = await setup({ leadsPerDay: 1, visitsPerDay: 1 });
    expect(await store.getProjectQuotas(project.id)).toEqual({ leadsPerDay: null, visitsPerDay: null });
    expect(await store.setProjectQuotas(project.id, { leadsPerDay: 0, visitsPerDay: 2 })).toBe(true);
    expect(await store.setProjectQuotas('no-such-project', { leadsPerDay: 0, visitsPerDay: 2 })).toBe(false);
    await expect(store.setProjectQuotas(project.id, { leadsPerDay: -1, visitsPerDay: null })).rejects.toThrow(/leadsPerDay/);
    for (let i = 0; i < 3; i++) expect((await siteLead()).statusCode).toBe(202);
    expect((await visit()).statusCode).toBe(200);
    expect((await visit()).statusCode).toBe(200);
    expect((await visit()).statusCode).toBe(429);
    await store.setProjectQuotas(project.id, { leadsPerDay: null, visitsPerDay: null });
    expect((await siteLead()).statusCode).toBe(429);
  });

  it('the admin API sets and shows a project’s own quotas (PUT /projects/:projectId); a bad one is a 400 naming it', async () => {
    const { app, project, siteLead } = await setup({ leadsPerDay: 1, visitsPerDay: 1 });
    const auth = { authorization: 'Bearer admin' };
    const put = (body: unknown) => app.inject({ method: 'PUT', url: `/api/v1/projects/${project.id}`, headers: auth, payload: body as object });
    const get = async () => (await app.inject({ url: `/api/v1/projects/${project.id}`, headers: auth })).json();
    expect(await get()).toMatchObject({ quotaLeadsPerDay: null, quotaVisitsPerDay: null, jsRules: true });
    const set = await put({ quotaLeadsPerDay: 3 });
    expect(set.statusCode).toBe(200);
    expect(set.json()).toMatchObject({ quotaLeadsPerDay: 3, quotaVisitsPerDay: null, jsRules: true });
    for (let i = 0; i < 3; i++) expect((await siteLead()).statusCode).toBe(202);
    expect((await siteLead()).statusCode).toBe(429);
    // A key left out keeps its value; another setting changes alone.
    expect((await put({ jsRules: false })).json()).toMatchObject({ quotaLeadsPerDay: 3, jsRules: false });
    for (const bad of [{ quotaLeadsPerDay: -1 }, { quotaVisitsPerDay: 1.5 }, { quotaLeadsPerDay: '10' }]) {
      const res = await put(bad);
      expect(res.statusCode, JSON.stringify(bad)).toBe(400);
      expect(res.json().message).toMatch(Object.keys(bad)[0]!);
    }
    expect((await put({ quotaLeadsPerDay: null })).json()).toMatchObject({ quotaLeadsPerDay: null });
    expect((await siteLead()).statusCode).toBe(429);
  });

  it('the same browser registering the same visit again gets the number it has, stored once, for 30 minutes', async () => {
    const { store, project, visit, setTime } = await setup({ leadsPerDay: 0, visitsPerDay: 0 });
    const body = { landingPage: 'https://shop.example/?utm_source=ya', referrer: 'https://ya.ru/', utm: { source: 'ya', medium: 'cpc' }, clickIds: { yclid: '7' } };
    const first = (await visit(body)).json().visit as number;
    // The same registration again (an answer that never arrived, a second tab), key order aside.
    expect((await visit({ ...body, utm: { medium: 'cpc', source: 'ya' } })).json().visit).toBe(first);
    setTime(NOON + 29 * 60_000);
    expect((await visit(body)).json().visit).toBe(first);
    // Nothing else was stored: the next new visit takes the next number.
    const otherBrowser = (await visit(body, { 'user-agent': 'Chrome' })).json().visit as number;
    expect(otherBrowser).toBe(first + 1);
    const otherAddress = (await visit(body, { 'x-ip': '203.0.113.5' })).json().visit as number;
    expect(otherAddress).toBe(first + 2);
    const otherAd = (await visit({ ...body, utm: { source: 'google' } })).json().visit as number;
    expect(otherAd).toBe(first + 3);
    expect(await store.getVisit(project.id, first + 4)).toBeNull();
    setTime(NOON + 61 * 60_000);
    expect((await visit(body)).json().visit).toBe(first + 4);
  });
});

describe('quotasFromEnv', () => {
  it('reads QUOTA_LEADS_PER_DAY and QUOTA_VISITS_PER_DAY, 0 for none, with defaults', () => {
    expect(quotasFromEnv({})).toEqual({ leadsPerDay: 10_000, visitsPerDay: 100_000 });
    expect(quotasFromEnv({ QUOTA_LEADS_PER_DAY: '0', QUOTA_VISITS_PER_DAY: '500' })).toEqual({ leadsPerDay: 0, visitsPerDay: 500 });
    expect(() => quotasFromEnv({ QUOTA_LEADS_PER_DAY: '-1' })).toThrow(/QUOTA_LEADS_PER_DAY/);
    expect(() => quotasFromEnv({ QUOTA_VISITS_PER_DAY: 'lots' })).toThrow(/QUOTA_VISITS_PER_DAY/);
  });
});
