// Several collector processes on one PostgreSQL database: every lead is delivered exactly once,
// whichever worker claims it (FOR UPDATE SKIP LOCKED).
import { afterAll, expect, test } from 'vitest';
import pg from 'pg';
import pino from 'pino';
import { buildApp, type App } from '../src/app.ts';
import { openPostgresStore } from '../src/store/postgres.ts';
import { startWebhookMock } from '../../fixtures/crm/webhook-mock.ts';
import { PG_URL, newLead } from './store-helpers.ts';

const schema = `lr_workers_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
afterAll(async () => {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

test('three workers on one database deliver 30 leads, each once', async () => {
  const crm = await startWebhookMock({ secret: 's' });
  const apps: App[] = [];
  for (let i = 0; i < 3; i++) {
    const store = await openPostgresStore({ connectionString: PG_URL, schema, max: 4 });
    apps.push(await buildApp({ store, adminToken: 'x'.repeat(20), logger: pino({ level: 'silent' }), worker: false }));
  }
  const store = apps[0]!.ctx.store;
  const projectId = (await store.createProject('Shared', Date.now())).id;
  await store.putIntegration(projectId, { type: 'webhook', enabled: true, settings: { url: crm.url, secret: 's' } }, Date.now());
  const ids: string[] = [];
  // Ingested concurrently through all three processes' stores.
  const stored = await Promise.all(
    Array.from({ length: 30 }, (_, i) =>
      apps[i % 3]!.ctx.store.ingestLead(newLead(projectId, { name: `L${i}`, phoneNorm: String(i), emailNorm: '' }), Date.now()),
    ),
  );
  ids.push(...stored.map((s) => s.lead.id));
  // All three drain the queue at once, in small batches so their claims interleave.
  await Promise.all(
    apps.map(async ({ worker }) => {
      while ((await worker.runOnce()) > 0);
    }),
  );
  expect(crm.rejected).toEqual([]);
  expect(crm.receipts).toHaveLength(30);
  expect(new Set(crm.receipts.map((r) => r.idempotencyKey))).toEqual(new Set(ids));
  expect((await store.listLeads(projectId, { limit: 500, status: 'sent' })).items).toHaveLength(30);
  for (const { app, ctx } of apps) {
    await app.close();
    await ctx.store.close();
  }
  await crm.close();
}, 60_000);
