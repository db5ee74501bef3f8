// A rolling deploy: SIGTERM while CRM calls are in flight. The collector stops claiming, lets the
// calls finish and records them, and only then closes the store; after a restart every lead has
// made exactly one deal. The CRM here is not idempotent for the count: every 2xx is one deal.
// Also, in-process: the stop's wait is bounded, and what it cuts off is sent again, once.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { webhook } from '../../src/crm/webhook.ts';
import type { CrmAdapter } from '../../src/crm/types.ts';
import { createWorker } from '../../src/delivery/worker.ts';
import { startFlakyWebhook } from '../../../fixtures/crm/flaky-webhook.ts';
import { PG_URL } from '../store-helpers.ts';
import { startCollectorProcess, waitUntilNotListening, sleep, type CollectorProcess } from './collector-process.ts';
import { silentLog, startHarness, type Harness } from './delivery-harness.ts';

const ADMIN_TOKEN = 'graceful-admin-token';
const SECRET = 'graceful-webhook-secret';
const LEADS = 40;
const HELD = 20;

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function sigtermWhileInFlight(env: Record<string, string>) {
  const crm = await startFlakyWebhook({ secret: SECRET });
  cleanups.push(() => crm.close());
  let collector: CollectorProcess = await startCollectorProcess({ ...env, ADMIN_TOKEN });
  const live = () => collector;
  cleanups.push(() => void live().proc.kill('SIGKILL'));

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${collector.base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const projectId = String((await admin('POST', '/projects', { name: 'Rolling deploy' })).id);
  crm.hold(true);
  await admin('PUT', `/projects/${projectId}/integration`, {
    type: 'webhook',
    enabled: true,
    settings: { url: crm.url, secret: SECRET },
    // Enough requests in flight at once for the held ones the test waits for (the default cap is 4).
    rateLimit: { count: 1000, perSeconds: 1, parallel: 32 },
  });
  const ids: string[] = [];
  for (let n = 0; n < LEADS; n++) {
    const res = await fetch(`${collector.base}/api/site/1.0/${projectId}/leads`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ clientId: `deploy-${n}`, name: `Deploy ${n}`, phone: `+1 555 ${String(1_000_000 + n).slice(1)}` }),
    });
    expect(res.status).toBe(202);
    ids.push(((await res.json()) as { data: { id: string } }).data.id);
  }

  // The CRM holds the calls: they are in flight when the deploy stops the process.
  await crm.waitForHeld(HELD);
  collector.proc.kill('SIGTERM');
  await waitUntilNotListening(collector.base);
  await sleep(300);
  expect(collector.proc.exitCode).toBeNull(); // it waits for the CRM's answers
  const inFlightAtStop = crm.heldCount();
  crm.release();
  expect(await collector.exited).toBe(0);
  const sentBeforeStop = new Set(crm.receipts.filter((r) => r.status === 200).map((r) => r.idempotencyKey));

  collector = await startCollectorProcess({ ...env, ADMIN_TOKEN }, Number(new URL(collector.base).port));
  // Every lead the stopped process sent is recorded as sent: nothing of it is left to send again.
  const leadsNow = async () => {
    const page = await admin('GET', `/projects/${projectId}/leads?limit=500`);
    return page.items as { id: string; status: string; crmId: string | null }[];
  };
  expect(sentBeforeStop.size).toBeGreaterThanOrEqual(inFlightAtStop);
  for (const l of await leadsNow()) if (sentBeforeStop.has(l.id)) expect(l).toMatchObject({ status: 'sent', crmId: crm.deals.get(l.id) });

  // The restarted process sends the rest (40 leads at the webhook's 50/s: about a second of work).
  await crm.waitForDeals(LEADS, 120_000);
  for (;;) {
    const items = await leadsNow();
    if (items.every((l) => l.status === 'sent')) break;
    await sleep(100);
  }
  const dealsPerLead = new Map<string, number>();
  for (const r of crm.receipts) if (r.status === 200) dealsPerLead.set(r.idempotencyKey!, (dealsPerLead.get(r.idempotencyKey!) ?? 0) + 1);
  expect([...dealsPerLead.keys()].sort()).toEqual([...ids].sort());
  expect([...dealsPerLead.entries()].filter(([, count]) => count !== 1)).toEqual([]);
  const one = (await admin('GET', `/projects/${projectId}/leads/${ids[0]}`)) as { attempts: { kind: string; ok: boolean }[] };
  expect(one.attempts).toEqual([expect.objectContaining({ kind: 'create', ok: true })]);

  collector.proc.kill('SIGTERM');
  expect(await collector.exited).toBe(0);
}

describe('SIGTERM while CRM calls are in flight', () => {
  it('SQLite: the calls finish and are recorded before the store closes; after a restart each lead made one deal', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leadrelay-sigterm-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    await sigtermWhileInFlight({ DATA_DIR: dataDir });
  }, 300_000);

  it('PostgreSQL: the same, the pool ends only after the attempts are recorded', async () => {
    const database = `lr_sigterm_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const client = new pg.Client({ connectionString: PG_URL });
    await client.connect();
    await client.query(`CREATE DATABASE ${database}`);
    cleanups.push(async () => {
      await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await client.end();
    });
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'leadrelay-sigterm-pg-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    await sigtermWhileInFlight({ DATABASE_URL: url.toString(), DATA_DIR: dataDir });
  }, 300_000);
});

describe('the stop waits for attempts in flight, but not forever', () => {
  let h: Harness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('a CRM that never answers is cut off at stopTimeoutMs; the attempt is recorded and due again at once', async () => {
    h = await startHarness();
    let calls = 0;
    const silent: CrmAdapter = {
      ...webhook,
      async create(_lead, ctx) {
        calls++;
        // A CRM that never answers: only the abort ends the call.
        await new Promise((_, reject) => ctx.signal!.addEventListener('abort', () => reject(ctx.signal!.reason), { once: true }));
        throw new Error('unreachable');
      },
    };
    const worker = createWorker({ store: h.ctx.store, log: silentLog, clock: systemClock, adapterFor: () => silent, pollMs: 20, stopTimeoutMs: 200, requestTimeoutMs: 30_000, leaseMs: 60_000 });
    const id = await h.lead(1);
    worker.start();
    while (calls === 0) await sleep(5);
    await worker.stop();
    const lead = await h.getLead(id);
    expect(lead.status).toBe('retrying');
    expect(lead.attempts).toEqual([expect.objectContaining({ kind: 'create', ok: false, error: expect.stringMatching(/collector stopped before the CRM answered/) })]);
    // Not leased and due now: the next process sends it at once (here: the harness's own worker).
    expect(Date.parse(lead.nextAttemptAt!)).toBeLessThanOrEqual(Date.now());
    const due = await h.ctx.store.claimJobs('next-process', Date.now(), 10, 60_000);
    expect(due.map((j) => j.leadId)).toEqual([id]);
  });
});
