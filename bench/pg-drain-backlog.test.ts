// The PostgreSQL section's drains measure their own backlog: the delivery jobs the ingest runs left
// queued (their collectors run with the worker off) are set aside first. Left in place they were older
// than the backlog, claimed first and counted in its depth, and the first drain read ~2 leads/s.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import { openPostgresStore } from '../collector/src/store/postgres.ts';
import { newLead, PG_URL } from '../collector/test/store-helpers.ts';
import { queueBacklog, setAsideOpenJobs } from './pg-scaling.ts';

const pool = new pg.Pool({ connectionString: PG_URL, max: 2 });
afterAll(() => pool.end());

test('after the ingest runs, the queue holds only the backlog the drain measures', async () => {
  const schema = `lr_bench_${randomBytes(4).toString('hex')}`;
  const store = await openPostgresStore({ connectionString: PG_URL, schema, max: 2 });
  try {
    const project = await store.createProject('P', Date.now());
    await store.putIntegration(project.id, { type: 'webhook', enabled: true, settings: { url: 'http://127.0.0.1:9/' } }, Date.now());
    // Leads taken by a collector whose worker is off: each leaves its delivery job queued.
    for (let i = 0; i < 3; i++) await store.ingestLead(newLead(project.id, { clientId: `ingest-${i}-xxxxxx`, phoneNorm: `7911${i}`, emailNorm: `${i}@ingest.io` }), Date.now());
    expect((await store.queueStats(Date.now())).depth).toBe(3);

    expect(await setAsideOpenJobs(pool, schema)).toBe(3);
    await queueBacklog(pool, schema, [project.id], 5, '42');
    const { depth } = await store.queueStats(Date.now());
    expect(depth).toBe(5);
    // What a worker claims first is the backlog's, not an ingest run's leftover.
    const jobs = await store.claimJobs('w', Date.now(), 10, 60_000);
    expect(jobs).toHaveLength(5);
  } finally {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  }
});
