// Erasure (docs/privacy.md "Erasure"), POST /api/v1/projects/:projectId/erasure, on both stores: every
// lead of one person (any spelling of the phone, any case of the email) goes with its jobs, attempts,
// comments and the visits it names; another person's leads and another project's stay; the audit log
// records it without the erased values; the answer says the CRM's copy is not touched.
import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { listAudit } from '../src/audit.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';
import { auth, newProject, siteLead, TOKEN } from './helpers.ts';
import { postgresSchemas } from './store-helpers.ts';

const postgres = postgresSchemas('lr_erasure');
afterAll(postgres.dropAll);

describe.each([
  ['sqlite', async () => openSqliteStore({ file: ':memory:' })],
  ['postgres', postgres.open],
] as const)('%s store', (_name, open) => {
  let store: Store;
  let t: App;
  let project: { id: string; key: string };
  let other: { id: string; key: string };
  beforeEach(async () => {
    store = await open();
    t = await buildApp({ adminToken: TOKEN, logger: pino({ level: 'silent' }), store, worker: false, rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 } });
    await t.app.ready();
    project = await newProject(t.app, 'Shop');
    other = await newProject(t.app, 'Other shop');
    for (const p of [project, other]) {
      await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${p.id}/integration`, headers: auth, payload: { type: 'webhook', enabled: true, settings: { url: 'http://crm.invalid/' } } });
    }
  });
  afterEach(async () => {
    await t.app.close();
    await store.close();
  });

  const count = async (sql: string, params: unknown[]) => Number((await store.db.get(`SELECT COUNT(*) AS n FROM ${sql}`, params))!.n);
  const erase = (projectId: string, payload: unknown, headers: Record<string, string> = auth) =>
    t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/erasure`, headers, payload: payload as object });

  async function visit(projectId: string, page: string): Promise<number> {
    const res = await t.app.inject({ method: 'POST', url: `/api/site/1.0/${projectId}/visits`, headers: { 'content-type': 'text/plain' }, payload: JSON.stringify({ landingPage: page }) });
    return res.json().visit;
  }
  async function leadWithVisit(projectId: string, phone: string, email: string, page: string): Promise<string> {
    const number = await visit(projectId, page);
    const body = siteLead({ phone, email, context: { page, referrer: '', landingPage: page, visit: number } });
    const res = await t.app.inject({ method: 'POST', url: `/api/site/1.0/${projectId}/leads`, headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(body) });
    expect(res.statusCode).toBe(202);
    return res.json().data.id;
  }

  test("three spellings of one phone: all that person's leads, attempts, comments and visits go; others stay; audited without the values", async () => {
    const mine = [
      await leadWithVisit(project.id, '+7 (999) 123-45-67', 'ann@example.com', 'https://shop.example/a'),
      await leadWithVisit(project.id, '89991234567', '', 'https://shop.example/b'),
      await leadWithVisit(project.id, '7 999 1234567', 'ANN.second@example.com', 'https://shop.example/c'),
    ];
    // A proxy lead of the same person, with a comment.
    const proxy = await t.app.inject({ url: `/api/proxy/1.0/leads/add?key=${project.key}&name=Ann&phone=${encodeURIComponent('8 (999) 123 45 67')}` });
    mine.push(proxy.json().data.id);
    await t.app.inject({ url: `/api/proxy/1.0/leads/messages/add?key=${project.key}&id=${mine[3]}&message=call+me` });
    // A delivery attempt recorded on the first one.
    const jobs = await store.claimJobs('w', Date.now(), 50, 60_000);
    const job = jobs.find((j) => j.leadId === mine[0])!;
    await store.failJob(job, { at: Date.now(), ok: false, httpStatus: 500, error: 'down', durationMs: 3 }, Date.now() + 60_000, 'down');
    // Another person in the same project, and the same person in another project.
    const someoneElse = await leadWithVisit(project.id, '+7 999 765-43-21', 'bob@example.com', 'https://shop.example/d');
    const elsewhere = await leadWithVisit(other.id, '+79991234567', 'ann@example.com', 'https://other.example/');
    expect(await count('attempts WHERE lead_id = ?', [mine[0]])).toBe(1);
    expect(await count('lead_comments WHERE lead_id = ?', [mine[3]])).toBe(1);
    expect(await count('visits WHERE project_id = ?', [project.id])).toBe(4);

    const res = await erase(project.id, { phone: '8-999-123-45-67' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ deleted: 4, message: expect.stringContaining("The CRM's copy is not touched") });

    for (const id of mine) expect((await t.app.inject({ url: `/api/v1/projects/${project.id}/leads/${id}`, headers: auth })).statusCode).toBe(404);
    const list = (id: string) => `leads WHERE id IN (${mine.map(() => '?').join(', ')}) AND project_id = '${id}'`;
    expect(await count(list(project.id), mine)).toBe(0);
    expect(await count(`jobs WHERE lead_id IN (${mine.map(() => '?').join(', ')})`, mine)).toBe(0);
    expect(await count(`attempts WHERE lead_id IN (${mine.map(() => '?').join(', ')})`, mine)).toBe(0);
    expect(await count(`lead_comments WHERE lead_id IN (${mine.map(() => '?').join(', ')})`, mine)).toBe(0);
    // Only the visit of the other person is left in the project; the other project keeps its visit.
    expect(await count('visits WHERE project_id = ?', [project.id])).toBe(1);
    expect((await store.getVisit(project.id, 4))?.landingPage).toBe('https://shop.example/d');
    expect(await count('visits WHERE project_id = ?', [other.id])).toBe(1);
    expect((await store.getLead(project.id, someoneElse))?.phone).toBe('+7 999 765-43-21');
    expect((await store.getLead(other.id, elsewhere))?.email).toBe('ann@example.com');

    const [entry] = await listAudit(store.db, { projectId: project.id, limit: 10 });
    expect(entry).toMatchObject({ actor: 'admin token', action: 'erasure', detail: { byPhone: true, byEmail: false, deleted: { leads: 4, visits: 3, comments: 1, attempts: 1 } } });
    const logged = JSON.stringify(entry);
    for (const value of ['999', '123', '45-67', 'ann', 'example.com']) expect(logged).not.toContain(value);
  });

  test('by email, in any case; an email and a phone together take the leads of either', async () => {
    const byEmail = await leadWithVisit(project.id, '', 'Ann@Example.com', 'https://shop.example/a');
    const byPhone = await leadWithVisit(project.id, '+7 912 000-00-01', '', 'https://shop.example/b');
    const kept = await leadWithVisit(project.id, '+7 912 000-00-02', 'bob@example.com', 'https://shop.example/c');
    expect((await erase(project.id, { email: ' ANN@example.COM ' })).json().deleted).toBe(1);
    expect(await store.getLead(project.id, byEmail)).toBeNull();
    expect((await erase(project.id, { email: 'nobody@example.com', phone: '89120000001' })).json()).toMatchObject({
      deleted: 1,
      message: expect.stringContaining('1 lead erased'),
    });
    expect(await store.getLead(project.id, byPhone)).toBeNull();
    expect((await erase(project.id, { email: 'nobody@example.com' })).json()).toMatchObject({ deleted: 0, message: expect.stringContaining('No lead of this person') });
    expect(await store.getLead(project.id, kept)).not.toBeNull();
  });

  test('refusals: no phone or email, a phone without digits, an unknown key, no such project, no token', async () => {
    for (const payload of [{}, { phone: '' }, { phone: 'call me' }, { email: '   ' }]) {
      const res = await erase(project.id, payload);
      expect([res.statusCode, res.json().error]).toEqual([400, 'VALIDATION_ERROR']);
      expect(res.json().message).toMatch(/phone, email: give at least one/);
    }
    expect((await erase(project.id, { phone: '89991234567', name: 'Ann' })).statusCode).toBe(400);
    expect((await erase('no-such-project', { phone: '89991234567' })).json().error).toBe('PROJECT_NOT_FOUND');
    expect((await erase(project.id, { phone: '89991234567' }, {})).statusCode).toBe(401);
    expect((await listAudit(store.db, { projectId: project.id, limit: 10 })).filter((e) => e.action === 'erasure')).toEqual([]);
  });
});
