// What the delivery worker needs from a store, the same from SQLite and PostgreSQL: bulk requeue,
// lease renewal, writes guarded by the lease, parking a lead without an integration, and claims
// that skip throttled projects.
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { AttemptRecord, Store } from '../../src/store/types.ts';
import { newLead, postgresSchemas } from '../store-helpers.ts';

const postgres = postgresSchemas('lr_delivery');
afterAll(postgres.dropAll);

const T0 = 1_800_000_000_000;
const failed = (at: number, error = 'HTTP 400: bad'): AttemptRecord => ({ at, ok: false, httpStatus: 400, error, durationMs: 5 });

describe.each([
  ['sqlite', async () => openSqliteStore({ file: ':memory:' })],
  ['postgres', postgres.open],
] as const)('%s store, delivery side', (_name, open) => {
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

  const ingest = async (n: number, at: number) =>
    (await store.ingestLead(newLead(projectId, { clientId: `c-${n}-xxxxxx`, phoneNorm: `7900${n}`, emailNorm: `${n}@x.io` }), at)).lead;

  test('requeueLeads queues the leads of one status created since a time, and counts them', async () => {
    const leads = [await ingest(1, T0), await ingest(2, T0 + 1000), await ingest(3, T0 + 2000)];
    for (const job of await store.claimJobs('w', T0 + 5000, 10, 60_000)) {
      await store.failJob(job, failed(T0 + 5000), null, 'HTTP 400: bad');
    }
    expect(await store.requeueLeads(projectId, { status: 'failed', since: T0 + 1000 }, T0 + 6000)).toBe(2);
    expect((await store.getLead(projectId, leads[0]!.id))!.status).toBe('failed');
    const again = await store.getLead(projectId, leads[1]!.id);
    expect(again).toMatchObject({ status: 'pending', nextAttemptAt: new Date(T0 + 6000).toISOString() });
    expect((await store.claimJobs('w', T0 + 6000, 10, 60_000)).map((j) => j.leadId).sort()).toEqual([leads[1]!.id, leads[2]!.id].sort());
    expect(await store.requeueLeads(projectId, { status: 'retrying' }, T0 + 7000)).toBe(0);
  });

  test('a worker renews its own lease, not a lease it lost', async () => {
    await ingest(1, T0);
    const [job] = await store.claimJobs('w1', T0, 10, 1000);
    expect(job!.lockedBy).toBe('w1');
    expect(await store.renewLease(job!, T0 + 60_000)).toBe(true);
    expect(await store.claimJobs('w2', T0 + 2000, 10, 1000)).toEqual([]); // renewed: not free
    const [taken] = await store.claimJobs('w2', T0 + 60_000, 10, 1000);
    expect(taken!.lockedBy).toBe('w2');
    expect(await store.renewLease(job!, T0 + 120_000)).toBe(false);
  });

  test('a failure reported after the lease was lost is recorded but leaves the job and lead to their new owner', async () => {
    const lead = await ingest(1, T0);
    const [stale] = await store.claimJobs('w1', T0, 10, 1000);
    const [fresh] = await store.claimJobs('w2', T0 + 1000, 10, 60_000);
    await store.failJob(stale!, failed(T0 + 1500, 'late'), null, 'late');
    await store.releaseJob(stale!, T0 + 999_999);
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'pending', attemptCount: 1 });
    await store.completeJob(fresh!, { at: T0 + 2000, ok: true, httpStatus: 200, error: null, durationMs: 3 }, 'deal-1');
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'sent', crmId: 'deal-1', attemptCount: 2 });
    expect((await store.queueStats(T0 + 3000)).depth).toBe(0);
  });

  test('parkJob drops the job and the lead waits as no_integration until an integration is saved', async () => {
    const lead = await ingest(1, T0);
    const [job] = await store.claimJobs('w', T0, 10, 60_000);
    await store.parkJob(job!);
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'no_integration', nextAttemptAt: null });
    expect((await store.queueStats(T0)).depth).toBe(0);
    await store.putIntegration(projectId, { type: 'webhook', enabled: true, settings: { url: 'http://y' } }, T0 + 10);
    expect((await store.claimJobs('w', T0 + 10, 10, 60_000)).map((j) => j.leadId)).toEqual([lead.id]);
  });

  test('a parked note job keeps its lead as it is and is not due until an integration is enabled', async () => {
    const lead = await ingest(1, T0);
    const [create] = await store.claimJobs('w', T0, 10, 60_000);
    await store.completeJob(create!, { at: T0, ok: true, httpStatus: 200, error: null, durationMs: 1 }, 'deal-1');
    await store.addComment(projectId, lead.id, 'Title', 'a comment', T0 + 1);
    const [note] = await store.claimJobs('w', T0 + 1, 10, 60_000);
    expect(note!.kind).toBe('note');
    await store.parkJob(note!);
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'sent', crmId: 'deal-1' });
    const years = 50 * 365 * 24 * 3600_000;
    expect(await store.queueStats(T0 + years)).toEqual({ depth: 1, oldestDueAt: null });
    expect(await store.claimJobs('w', T0 + years, 10, 60_000)).toEqual([]);
    // Saved but off: still parked. Enabled: due at once, with its payload.
    await store.putIntegration(projectId, { type: 'webhook', enabled: false, settings: { url: 'http://y' } }, T0 + 10);
    expect(await store.claimJobs('w', T0 + 10, 10, 60_000)).toEqual([]);
    await store.putIntegration(projectId, { type: 'webhook', enabled: true, settings: { url: 'http://y' } }, T0 + 20);
    const [again] = await store.claimJobs('w', T0 + 20, 10, 60_000);
    expect(again).toMatchObject({ kind: 'note', leadId: lead.id, payload: { title: 'Title', message: 'a comment' } });
  });

  test('attempts of every kind are listed with their kind; the lead counts its own', async () => {
    const lead = await ingest(1, T0);
    const [create] = await store.claimJobs('w', T0, 10, 60_000);
    await store.completeJob(create!, { at: T0, ok: true, httpStatus: 201, error: null, durationMs: 1 }, 'deal-1');
    await store.addComment(projectId, lead.id, 'T', 'm', T0 + 1);
    const [note] = await store.claimJobs('w', T0 + 1, 10, 60_000);
    await store.failJob(note!, failed(T0 + 2, 'HTTP 400: no such deal'), null, 'HTTP 400: no such deal');
    expect((await store.listAttempts(lead.id)).map((a) => [a.kind, a.ok, a.error])).toEqual([
      ['create', true, null],
      ['note', false, 'HTTP 400: no such deal'],
    ]);
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'sent', attemptCount: 1, lastError: null });
  });

  test('claims skip the projects whose CRM is throttled, and keep run-time order', async () => {
    const other = (await store.createProject('Q', T0)).id;
    await store.putIntegration(other, { type: 'webhook', enabled: true, settings: { url: 'http://z' } }, T0);
    const a = await ingest(1, T0);
    const b = (await store.ingestLead(newLead(other, { clientId: 'q-1-xxxxxx', phoneNorm: '7911', emailNorm: 'q@x.io' }), T0 + 1)).lead;
    const c = await ingest(2, T0 + 2);
    expect((await store.claimJobs('w', T0 + 10, 10, 60_000, [projectId])).map((j) => j.leadId)).toEqual([b.id]);
    expect((await store.claimJobs('w', T0 + 10, 10, 60_000)).map((j) => j.leadId)).toEqual([a.id, c.id]);
  });
});
