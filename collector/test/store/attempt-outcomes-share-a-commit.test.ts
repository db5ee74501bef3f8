// The worker's attempt outcomes on PostgreSQL: outcomes recorded together share one transaction
// (one commit for several attempts, engine.writeBatched), and one outcome whose statement fails
// fails alone: the others of its batch are still recorded, each once.
import pg from 'pg';
import { afterAll, afterEach, beforeEach, expect, test } from 'vitest';
import { openPostgresStore } from '../../src/store/postgres.ts';
import type { AttemptRecord, Store } from '../../src/store/types.ts';
import { newLead, PG_URL } from '../store-helpers.ts';

const T0 = 1_800_000_000_000;
const ok = (at: number): AttemptRecord => ({ at, ok: true, httpStatus: 201, error: null, durationMs: 5 });
const failed = (at: number, error: string): AttemptRecord => ({ at, ok: false, httpStatus: 503, error, durationMs: 5 });

const admin = new pg.Client({ connectionString: PG_URL });
let schema: string;
let store: Store;
let projectId: string;

beforeEach(async () => {
  schema = `lr_batch_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  store = await openPostgresStore({ connectionString: PG_URL, schema, max: 4 });
  if (!(admin as unknown as { _connected?: boolean })._connected) await admin.connect();
  // Each attempt row notes the transaction that wrote it; an error text 'refuse me' makes its insert fail.
  await admin.query(`
    CREATE TABLE ${schema}.attempt_tx (lead_id TEXT, txid BIGINT);
    CREATE FUNCTION ${schema}.note_tx() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NEW.error = 'refuse me' THEN RAISE EXCEPTION 'refused by the test'; END IF;
      INSERT INTO ${schema}.attempt_tx VALUES (NEW.lead_id, txid_current());
      RETURN NEW;
    END $$;
    CREATE TRIGGER note_tx AFTER INSERT ON ${schema}.attempts FOR EACH ROW EXECUTE FUNCTION ${schema}.note_tx();`);
  projectId = (await store.createProject('P', T0)).id;
  await store.putIntegration(projectId, { type: 'webhook', enabled: true, settings: { url: 'http://x' } }, T0);
});

afterEach(async () => {
  await store.close();
  await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
});
afterAll(() => admin.end());

async function claimed(n: number) {
  for (let i = 0; i < n; i++) {
    await store.ingestLead(newLead(projectId, { clientId: `c-${i}-xxxxxx`, phoneNorm: `7900${i}`, emailNorm: `${i}@x.io` }), T0);
  }
  const jobs = await store.claimJobs('w', T0 + 1000, n, 60_000);
  expect(jobs).toHaveLength(n);
  return jobs;
}

test('outcomes recorded together commit in one transaction', async () => {
  const jobs = await claimed(8);
  await Promise.all(jobs.map((job, i) => (i % 2 ? store.completeJob(job, ok(T0 + 2000), `D-${i}`) : store.failJob(job, failed(T0 + 2000, 'HTTP 503'), T0 + 60_000, 'HTTP 503'))));
  const tx = await admin.query(`SELECT COUNT(DISTINCT txid) AS n, COUNT(*) AS rows FROM ${schema}.attempt_tx`);
  expect(Number(tx.rows[0].rows)).toBe(8);
  expect(Number(tx.rows[0].n)).toBe(1);
  const states = (await Promise.all(jobs.map((j) => store.getLead(projectId, j.leadId)))).map((l) => l!.status);
  expect(states.sort()).toEqual(['retrying', 'retrying', 'retrying', 'retrying', 'sent', 'sent', 'sent', 'sent']);
});

test('one outcome that fails fails alone: the rest of its batch is recorded once each', async () => {
  const jobs = await claimed(5);
  const results = await Promise.allSettled(
    jobs.map((job, i) => (i === 2 ? store.failJob(job, failed(T0 + 2000, 'refuse me'), T0 + 60_000, 'x') : store.completeJob(job, ok(T0 + 2000), `D-${i}`))),
  );
  expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
  const rows = await admin.query(`SELECT lead_id, COUNT(*) AS n FROM ${schema}.attempts GROUP BY lead_id`);
  expect(rows.rows.map((r) => [r.lead_id, Number(r.n)]).sort()).toEqual(jobs.filter((_, i) => i !== 2).map((j) => [j.leadId, 1]).sort());
  // The refused one is untouched: still held, to be retried when its lease ends.
  const job = await admin.query(`SELECT state, tries, locked_by FROM ${schema}.jobs WHERE id = $1`, [jobs[2]!.id]);
  expect(job.rows[0]).toEqual({ state: 'queued', tries: 0, locked_by: 'w' });
});
