// One delivery worker on PostgreSQL drains a backlog without waiting for its poll: each claim comes
// back full while jobs are due (a short claim is what sends the worker to sleep for pollMs), and each
// lead reaches the CRM once (docs/architecture.md "Delivery worker"). Rounds are counted, never timed.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { expect, test } from 'vitest';
import { startWebhookMock } from '../../../fixtures/crm/webhook-mock.ts';
import { systemClock, type Clock } from '../../src/clock.ts';
import { webhook } from '../../src/crm/webhook.ts';
import { createWorker } from '../../src/delivery/worker.ts';
import { openPostgresStore } from '../../src/store/postgres.ts';
import { newLead, PG_URL } from '../store-helpers.ts';
import { silentLog } from './delivery-harness.ts';

test('a worker on PostgreSQL claims full rounds while jobs are due and never sleeps on its poll before the queue is empty', async () => {
  const n = 60;
  const concurrency = 8;
  const pollMs = 3_600_000; // a sleep on the poll would stall the drain: it is counted below
  const schema = `lr_drain_${randomBytes(4).toString('hex')}`;
  const crm = await startWebhookMock({ secret: 'drain-secret-0123456789' });
  const store = await openPostgresStore({ connectionString: PG_URL, schema, max: 4 });
  const admin = new pg.Client({ connectionString: PG_URL });
  try {
    const project = await store.createProject('P', Date.now());
    await store.putIntegration(project.id, { type: 'webhook', enabled: true, settings: { url: crm.url, secret: 'drain-secret-0123456789' } }, Date.now());
    for (let i = 0; i < n; i++) await store.ingestLead(newLead(project.id, { clientId: `drain-${i}-xxxxxx`, phoneNorm: `7922${i}`, emailNorm: `${i}@drain.io` }), Date.now());

    const claims: { asked: number; got: number; openBefore: number }[] = [];
    let open = n;
    const claimJobs = store.claimJobs.bind(store);
    store.claimJobs = async (...args: Parameters<typeof claimJobs>) => {
      const openBefore = open;
      const jobs = await claimJobs(...args);
      open -= jobs.length;
      claims.push({ asked: args[2], got: jobs.length, openBefore });
      return jobs;
    };
    const pollSleeps: number[] = [];
    const clock: Clock = {
      now: systemClock.now,
      sleep(ms, signal) {
        if (ms === pollMs) pollSleeps.push(open);
        return systemClock.sleep(ms, signal);
      },
    };
    const worker = createWorker({
      store,
      log: silentLog,
      clock,
      pollMs,
      concurrency,
      adapterFor: () => ({ ...webhook, rateLimit: { count: 1_000_000, perMs: 1000, parallel: 1000 } }),
    });
    worker.start();
    await crm.waitForLeads(n, 60_000);
    await worker.stop();

    // Each lead once, the jobs all done.
    expect(new Set(crm.receipts.map((r) => r.idempotencyKey)).size).toBe(n);
    expect(crm.receipts.filter((r) => !r.first)).toHaveLength(0);
    expect((await store.queueStats(Date.now())).depth).toBe(0);
    // Every claim made while enough jobs were open got as many as it asked for...
    expect(claims.filter((c) => c.openBefore >= c.asked && c.got < c.asked)).toEqual([]);
    expect(claims.reduce((s, c) => s + c.got, 0)).toBe(n);
    // ...and the worker slept on its poll only once the queue was empty.
    expect(pollSleeps.filter((left) => left > 0)).toEqual([]);
  } finally {
    await store.close();
    await crm.close();
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
  }
}, 90_000);
