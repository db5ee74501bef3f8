// On both stores: the lead list's search folds case beyond ASCII, and the delivery state lives on
// the job row (docs/data-model.md "Delivery state"): a retry changes the job, never the lead's row;
// the lead's row changes with its outcome only, and a resend starts a new round on the same job row.
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/types.ts';
import { newLead, postgresSchemas } from '../store-helpers.ts';

const postgres = postgresSchemas('lr_state');
afterAll(postgres.dropAll);

const T0 = 1_800_000_000_000;
const failed = (at: number, error = 'HTTP 503: down') => ({ at, ok: false, httpStatus: 503, error, durationMs: 1 });

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

  const names = async (q: string) => (await store.listLeads(projectId, { limit: 10, q })).items.map((l) => l.name);

  test('search folds Cyrillic case: "анна" finds "Анна Петрова", "ПЕТР" too, in any field', async () => {
    await store.ingestLead(newLead(projectId, { name: 'Анна Петрова', phoneNorm: '71', emailNorm: '' }), T0);
    await store.ingestLead(newLead(projectId, { name: 'Bob', comment: 'Звонить ПОСЛЕ 18:00', phoneNorm: '72', emailNorm: '' }), T0 + 1);
    await store.ingestLead(newLead(projectId, { name: 'Ёлка', phoneNorm: '73', emailNorm: '' }), T0 + 2);
    expect(await names('анна')).toEqual(['Анна Петрова']);
    expect(await names('ПЕТР')).toEqual(['Анна Петрова']);
    expect(await names('после 18')).toEqual(['Bob']);
    expect(await names('ёлка')).toEqual(['Ёлка']);
    expect(await names('ann@EXAMPLE')).toHaveLength(3);
  });

  test('a retry changes only the job row; the lead row changes with its outcome', async () => {
    const { lead } = await store.ingestLead(newLead(projectId), T0);
    const leadRow = async () => store.db.get('SELECT * FROM leads WHERE id = ?', [lead.id]);
    const jobRow = async () => store.db.get("SELECT state, attempts, tries, run_at, last_error, locked_by FROM jobs WHERE lead_id = ? AND kind = 'create'", [lead.id]);
    const before = await leadRow();
    const [job] = await store.claimJobs('w', T0, 10, 60_000);
    await store.failJob(job!, failed(T0), T0 + 60_000, 'HTTP 503: down');
    expect(await leadRow()).toEqual(before);
    expect(await jobRow()).toMatchObject({ state: 'retrying', last_error: 'HTTP 503: down', locked_by: null });
    expect(Number((await jobRow())!.run_at)).toBe(T0 + 60_000);
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'retrying', attemptCount: 1, nextAttemptAt: new Date(T0 + 60_000).toISOString() });
    expect((await store.listLeads(projectId, { limit: 10, status: 'retrying' })).items.map((l) => l.id)).toEqual([lead.id]);
    expect((await store.listLeads(projectId, { limit: 10, status: 'pending' })).items).toEqual([]);

    const [again] = await store.claimJobs('w', T0 + 60_000, 10, 60_000);
    await store.failJob(again!, failed(T0 + 60_000, 'HTTP 400: bad'), null, 'HTTP 400: bad');
    expect(await leadRow()).toMatchObject({ status: 'failed' });
    expect(await jobRow()).toMatchObject({ state: 'failed', last_error: 'HTTP 400: bad' });
    expect(Number((await jobRow())!.tries)).toBe(2);
    expect((await store.queueStats(T0 + 120_000)).depth).toBe(0);
  });

  test('a resend starts a new round on the same job row; the lead keeps counting its attempts', async () => {
    const { lead } = await store.ingestLead(newLead(projectId), T0);
    const [job] = await store.claimJobs('w', T0, 10, 60_000);
    await store.failJob(job!, failed(T0), null, 'HTTP 400: bad');
    await store.requeueLead(projectId, lead.id, T0 + 1000);
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'pending', attemptCount: 1, lastError: 'HTTP 400: bad', nextAttemptAt: new Date(T0 + 1000).toISOString() });
    const [round2] = await store.claimJobs('w', T0 + 1000, 10, 60_000);
    expect(round2).toMatchObject({ id: job!.id, attempts: 0, firstAttemptAt: null });
    await store.completeJob(round2!, { at: T0 + 1000, ok: true, httpStatus: 201, error: null, durationMs: 1 }, 'D-1');
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'sent', attemptCount: 2, lastError: null, nextAttemptAt: null, crmId: 'D-1' });
    const jobs = await store.db.all('SELECT state FROM jobs WHERE lead_id = ?', [lead.id]);
    expect(jobs).toEqual([{ state: 'done' }]);
  });

  test('a not_sent lead shows why; parking keeps the attempt count; a new integration clears the reason', async () => {
    const held = (await store.ingestLead(newLead(projectId, { send: false, notSentReason: 'form switched off', phoneNorm: '1', emailNorm: '' }), T0)).lead;
    expect(held).toMatchObject({ status: 'not_sent', lastError: 'form switched off', attemptCount: 0, nextAttemptAt: null });
    const { lead } = await store.ingestLead(newLead(projectId), T0);
    const [job] = await store.claimJobs('w', T0, 10, 60_000);
    await store.failJob(job!, failed(T0), T0 + 10, 'HTTP 503: down');
    const [again] = await store.claimJobs('w', T0 + 10, 10, 60_000);
    await store.parkJob(again!);
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'no_integration', attemptCount: 1, lastError: 'no enabled integration', nextAttemptAt: null });
    await store.putIntegration(projectId, { type: 'webhook', enabled: true, settings: { url: 'http://y' } }, T0 + 20);
    expect(await store.getLead(projectId, lead.id)).toMatchObject({ status: 'pending', attemptCount: 1, lastError: null, nextAttemptAt: new Date(T0 + 20).toISOString() });
    expect((await store.claimJobs('w', T0 + 20, 10, 60_000)).map((j) => [j.leadId, j.attempts])).toEqual([[lead.id, 0]]);
  });
});
