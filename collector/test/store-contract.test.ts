// The same behaviour from both stores: SQLite (default) and PostgreSQL (DATABASE_URL).
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';
import { newLead, postgresSchemas } from './store-helpers.ts';

const postgres = postgresSchemas('lr_test');
afterAll(postgres.dropAll);

const HOUR = 3600_000;
const T0 = 1_800_000_000_000;

describe.each([
  ['sqlite', async () => openSqliteStore({ file: ':memory:' })],
  ['postgres', postgres.open],
] as const)('%s store', (_name, open) => {
  let store: Store;
  let projectId: string;
  beforeEach(async () => {
    store = await open();
    projectId = (await store.createProject('P', T0)).id;
    await store.putIntegration(projectId, { type: 'webhook', enabled: true, settings: { url: 'http://x' } }, T0);
  });
  afterEach(async () => {
    await store.close();
  });

  test('projects are found by id and by key; a miss is not remembered', async () => {
    const p = (await store.getProject(projectId))!;
    expect(await store.getProjectByKey(p.key)).toEqual(p);
    expect(await store.getProject('not-yet')).toBeNull();
    expect(await store.getProjectByKey('no-such-key')).toBeNull();
    const later = await store.createProject('Later', T0);
    expect(await store.getProject(later.id)).toEqual(later);
    expect(await store.getProjectByKey(later.key)).toEqual(later);
  });

  test('an integration keeps its own pace (rateLimit) until it is saved without one', async () => {
    const rateLimit = { count: 500, perSeconds: 1, parallel: 16 };
    const saved = await store.putIntegration(projectId, { type: 'webhook', enabled: true, settings: { url: 'http://x' }, rateLimit }, T0 + 1);
    expect(saved.rateLimit).toEqual(rateLimit);
    expect((await store.getIntegration(projectId))!.rateLimit).toEqual(rateLimit);
    await store.putIntegration(projectId, { type: 'webhook', enabled: true, settings: { url: 'http://x' } }, T0 + 2);
    expect((await store.getIntegration(projectId))!).not.toHaveProperty('rateLimit');
  });

  test('a lead is stored pending with one create job; the same clientId is stored once', async () => {
    const a = await store.ingestLead(newLead(projectId, { clientId: 'client-123' }), T0);
    const b = await store.ingestLead(newLead(projectId, { clientId: 'client-123', name: 'Changed' }), T0 + 1);
    expect(a.created).toBe(true);
    expect(b.created).toBe(false);
    expect(b.lead.id).toBe(a.lead.id);
    expect(a.lead).toMatchObject({ status: 'pending', name: 'Ann', attemptCount: 0 });
    expect((await store.queueStats(T0)).depth).toBe(1);
  });

  test('duplicates: same phone or email within 12 hours; in_processing ignores failed originals', async () => {
    const first = (await store.ingestLead(newLead(projectId), T0)).lead;
    const byEmail = (await store.ingestLead(newLead(projectId, { phoneNorm: '', phone: '', emailNorm: 'ann@example.com' }), T0 + HOUR)).lead;
    expect(byEmail).toMatchObject({ status: 'duplicate', duplicateOf: first.id });
    const later = (await store.ingestLead(newLead(projectId, { emailNorm: '' }), T0 + 12 * HOUR + 1)).lead;
    expect(later.status).toBe('pending');
    // Fail `later` for good: in the default mode it no longer counts, with 'all' it does.
    const [job] = (await store.claimJobs('w', T0 + 13 * HOUR, 10, 1000)).filter((j) => j.leadId === later.id);
    await store.failJob(job!, { at: T0 + 13 * HOUR, ok: false, httpStatus: 400, error: 'bad', durationMs: 1 }, null, 'bad');
    const inProcessing = (await store.ingestLead(newLead(projectId, { emailNorm: '' }), T0 + 14 * HOUR)).lead;
    expect(inProcessing.status).toBe('pending');
    const all = (await store.ingestLead(newLead(projectId, { emailNorm: '', duplicateCheck: 'all' }), T0 + 14 * HOUR + 1)).lead;
    expect(all).toMatchObject({ status: 'duplicate', duplicateOf: inProcessing.id });
  });

  test('a test lead is stored as test with no job, is never a duplicate, and is never an original', async () => {
    const t1 = (await store.ingestLead(newLead(projectId, { test: true, callback: true }), T0)).lead;
    expect(t1).toMatchObject({ status: 'test', duplicateOf: null });
    expect((await store.queueStats(T0)).depth).toBe(0);
    const t2 = (await store.ingestLead(newLead(projectId, { test: true }), T0 + 1)).lead;
    expect(t2.status).toBe('test');
    // A real lead with the same phone and email is not a duplicate of the test ones, in either mode.
    const real = (await store.ingestLead(newLead(projectId, { duplicateCheck: 'all' }), T0 + 2)).lead;
    expect(real.status).toBe('pending');
    // A test lead after a real one is still a test lead, never a duplicate.
    const t3 = (await store.ingestLead(newLead(projectId, { test: true }), T0 + 3)).lead;
    expect(t3).toMatchObject({ status: 'test', duplicateOf: null });
    expect((await store.listLeads(projectId, { status: 'test', limit: 10 })).items.map((l) => l.id)).toEqual([t3.id, t2.id, t1.id]);
  });

  test('a duplicate with append adds a comment to the original and queues it as a CRM note', async () => {
    const first = (await store.ingestLead(newLead(projectId), T0)).lead;
    await store.ingestLead(newLead(projectId, { name: 'Ann again', appendDuplicateComment: true }), T0 + 1);
    const original = (await store.getLead(projectId, first.id))!;
    expect(original.comments).toHaveLength(1);
    expect(original.comments[0]!.message).toContain('Ann again');
    const jobs = await store.claimJobs('w', T0 + 2, 10, 1000);
    expect(jobs.map((j) => j.kind).sort()).toEqual(['create', 'note']);
  });

  test('not sent, and no integration until one is enabled', async () => {
    const skip = (await store.ingestLead(newLead(projectId, { send: false, phoneNorm: '1', emailNorm: '' }), T0)).lead;
    expect(skip.status).toBe('not_sent');
    const other = (await store.createProject('Q', T0)).id;
    const waiting = (await store.ingestLead(newLead(other), T0)).lead;
    expect(waiting.status).toBe('no_integration');
    await store.putIntegration(other, { type: 'webhook', enabled: true, settings: { url: 'http://y' } }, T0 + 5);
    expect((await store.getLead(other, waiting.id))!.status).toBe('pending');
    const jobs = await store.claimJobs('w', T0 + 5, 10, 1000);
    expect(jobs.map((j) => j.leadId)).toContain(waiting.id);
    expect(jobs.map((j) => j.leadId)).not.toContain(skip.id);
  });

  test('claimed jobs are leased: nobody else gets them until the lease ends', async () => {
    await store.ingestLead(newLead(projectId), T0);
    expect(await store.claimJobs('a', T0, 10, 60_000)).toHaveLength(1);
    expect(await store.claimJobs('b', T0 + 59_999, 10, 60_000)).toHaveLength(0);
    expect(await store.claimJobs('b', T0 + 60_000, 10, 60_000)).toHaveLength(1);
  });

  test('a failure schedules a retry and counts the attempt; success stores the CRM id', async () => {
    const { lead } = await store.ingestLead(newLead(projectId), T0);
    const [job] = await store.claimJobs('w', T0, 10, 1000);
    await store.failJob(job!, { at: T0, ok: false, httpStatus: 503, error: 'down', durationMs: 5 }, T0 + 1800_000, 'HTTP 503: down');
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'retrying', attemptCount: 1, lastError: 'HTTP 503: down', nextAttemptAt: new Date(T0 + 1800_000).toISOString() });
    expect(await store.claimJobs('w', T0 + 1000, 10, 1000)).toHaveLength(0);
    const [again] = await store.claimJobs('w', T0 + 1800_000, 10, 1000);
    expect(again).toMatchObject({ attempts: 1, firstAttemptAt: T0 });
    await store.completeJob(again!, { at: T0 + 1800_000, ok: true, httpStatus: 201, error: null, durationMs: 7 }, 'DEAL-9');
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'sent', crmId: 'DEAL-9', attemptCount: 2, lastError: null });
    expect((await store.listAttempts(lead.id)).map((a) => [a.ok, a.httpStatus, a.durationMs])).toEqual([[false, 503, 5], [true, 201, 7]]);
    expect((await store.queueStats(T0 + 1800_000)).depth).toBe(0);
  });

  test('a delivered attempt keeps the fields the CRM refused, and its pending notes become note jobs', async () => {
    const { lead } = await store.ingestLead(newLead(projectId), T0);
    const [job] = await store.claimJobs('w', T0, 10, 1000);
    const droppedFields = [{ key: 'UF_CRM_X', value: 'blue', reason: 'no such field' }];
    await store.completeJob(job!, { at: T0, ok: true, httpStatus: 200, error: null, durationMs: 3, droppedFields }, 'DEAL-1', [{ title: '', message: 'Call me' }]);
    expect(await store.listAttempts(lead.id)).toMatchObject([{ ok: true, droppedFields }]);
    const [note] = await store.claimJobs('w', T0, 10, 1000);
    expect(note).toMatchObject({ kind: 'note', leadId: lead.id, payload: { title: '', message: 'Call me' } });
  });

  test('visits are sequential per project and keep their record', async () => {
    const body = { landingPage: 'https://a/?utm_source=x', referrer: 'https://r/', utm: { source: 'x' }, clickIds: { gclid: 'g1' }, params: { '1': 'p' }, firstVisit: null };
    // Three browsers (one browser registering the same visit again gets the number it has).
    const numbers = await Promise.all([1, 2, 3].map((i) => store.registerVisit(projectId, body, '1.2.3.4', `ua ${i}`, T0)));
    expect(numbers.sort()).toEqual([1, 2, 3]);
    expect(await store.getVisit(projectId, 2)).toMatchObject({ number: 2, firstVisit: 2, utm: { source: 'x' }, clickIds: { gclid: 'g1' }, params: { '1': 'p' } });
  });

  test('leads are listed newest first, paged, filtered and searched (LIKE wildcards are literal)', async () => {
    for (const [i, name] of ['Ann', 'Bob', '100%_sure'].entries()) {
      await store.ingestLead(newLead(projectId, { name, phoneNorm: `7${i}`, emailNorm: '' }), T0 + i);
    }
    const page = await store.listLeads(projectId, { limit: 2 });
    expect(page.items.map((l) => l.name)).toEqual(['100%_sure', 'Bob']);
    expect((await store.listLeads(projectId, { limit: 2, before: page.next! })).items.map((l) => l.name)).toEqual(['Ann']);
    expect((await store.listLeads(projectId, { limit: 10, q: '%_' })).items.map((l) => l.name)).toEqual(['100%_sure']);
    expect((await store.listLeads(projectId, { limit: 10, status: 'sent' })).items).toEqual([]);
  });

  test('a setting keeps its first value; the write probe writes', async () => {
    expect(await store.initSetting('admin_token', 'first')).toEqual({ value: 'first', created: true });
    expect(await store.initSetting('admin_token', 'second')).toEqual({ value: 'first', created: false });
    await store.probeWrite(T0);
    await store.probeWrite(T0 + 1);
    expect(await store.initSetting('admin_token', 'third')).toEqual({ value: 'first', created: false });
  });
});
