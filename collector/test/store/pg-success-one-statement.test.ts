// A delivery success on PostgreSQL is one statement (the attempt, the job and the lead): a batch of
// outcomes holds its connection for one round trip per attempt, not three, and the worker's next
// claim waits for that batch's commit. Counted as the statements the pg client sends.
import pg from 'pg';
import { afterEach, beforeEach, expect, test, vi } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres.ts';
import type { Store } from '../../src/store/types.ts';
import { newLead, PG_URL } from '../store-helpers.ts';

const T0 = 1_800_000_000_000;
let schema: string;
let store: Store;

beforeEach(async () => {
  schema = `lr_one_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  store = await openPostgresStore({ connectionString: PG_URL, schema, max: 2 });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await store.close();
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin.end();
});

test('completing a create job sends one statement besides BEGIN and COMMIT, and records all three rows', async () => {
  const project = await store.createProject('P', T0);
  await store.putIntegration(project.id, { type: 'webhook', enabled: true, settings: { url: 'http://x' } }, T0);
  const lead = (await store.ingestLead(newLead(project.id, { clientId: 'one-statement-1', phoneNorm: '79001', emailNorm: 'a@x.io' }), T0)).lead;
  const [job] = await store.claimJobs('w', T0 + 1000, 1, 60_000);
  expect(job).toBeDefined();

  const sent: string[] = [];
  const query = pg.Client.prototype.query;
  vi.spyOn(pg.Client.prototype, 'query').mockImplementation(function (this: pg.Client, ...args: unknown[]) {
    const text = typeof args[0] === 'string' ? args[0] : (args[0] as { text?: string })?.text;
    if (text) sent.push(text.trim().split(/\s+/)[0]!.toUpperCase());
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof query);
  await store.completeJob(job!, { at: T0 + 1500, ok: true, httpStatus: 201, error: null, durationMs: 3 }, 'deal-7');
  vi.restoreAllMocks();

  expect(sent.filter((s) => s !== 'BEGIN' && s !== 'COMMIT')).toHaveLength(1);
  const after = await store.getLead(project.id, lead.id);
  expect(after).toMatchObject({ status: 'sent', crmId: 'deal-7' });
  expect(await store.listAttempts(lead.id)).toHaveLength(1);
  expect((await store.queueStats(T0 + 2000)).depth).toBe(0);
});
