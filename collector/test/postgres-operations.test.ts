// Operating on PostgreSQL: processes sharing a database share one generated admin token, and a
// connection that the server ends (a restart, a failover, an idle timeout) is survived.
import { afterAll, expect, test } from 'vitest';
import pg from 'pg';
import { resolveAdminToken } from '../src/startup.ts';
import { openPostgresStore } from '../src/store/postgres.ts';
import { PG_URL, newLead } from './store-helpers.ts';

const schema = `lr_ops_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
afterAll(async () => {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

test('two processes on one database without ADMIN_TOKEN get the same token; only the first generated it', async () => {
  // (Opened one after the other: CREATE SCHEMA IF NOT EXISTS, which only tests use, races itself.)
  const a = await openPostgresStore({ connectionString: PG_URL, schema, max: 2 });
  const b = await openPostgresStore({ connectionString: PG_URL, schema, max: 2 });
  const opts = { shared: true, dataDir: '/nonexistent' };
  // Both start at once: the first insert wins, the other reads it.
  const [ta, tb] = await Promise.all([resolveAdminToken(null, a, opts), resolveAdminToken(null, b, opts)]);
  expect(ta.token).toBe(tb.token);
  expect(ta.token.length).toBeGreaterThanOrEqual(24);
  expect([ta.generated, tb.generated].sort()).toEqual([false, true]);
  expect(ta.where).toBe('database');
  // A restart keeps it, and says it was not generated now.
  expect(await resolveAdminToken(null, b, opts)).toEqual({ token: ta.token, generated: false, where: 'database' });
  await Promise.all([a.close(), b.close()]);
});

test('a pooled connection terminated by the server is logged and replaced; the store goes on', async () => {
  const applicationName = `lr_ops_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const lost: Error[] = [];
  const store = await openPostgresStore({ connectionString: PG_URL, schema, max: 3, applicationName, onConnectionError: (err) => lost.push(err) });
  const project = await store.createProject('P', Date.now());
  // Three connections open at once, then idle in the pool.
  await Promise.all([1, 2, 3].map((i) => store.ingestLead(newLead(project.id, { phoneNorm: `7000${i}`, emailNorm: '' }), Date.now())));

  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  const { rows } = await admin.query('SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
  await admin.end();
  expect(rows.length).toBeGreaterThan(0);
  // Each idle connection reports its end (without a handler, the first one would end the process).
  await expect.poll(() => lost.length, { timeout: 10_000 }).toBe(rows.length);
  expect(lost[0]!.message).toMatch(/terminat/i);

  const after = await store.ingestLead(newLead(project.id, { phoneNorm: '70009', emailNorm: '', name: 'After' }), Date.now());
  expect(after.created).toBe(true);
  expect((await store.getLead(project.id, after.lead.id))?.name).toBe('After');
  await store.probeWrite(Date.now());
  await store.close();
});
