// Chaos: real collector processes take concurrent leads and deliver them to a flaky webhook CRM
// while they are SIGKILLed again and again. In the end every acknowledged lead reached the CRM, and
// no lead made two deals. Sending the same lead twice over the wire can happen when the kill
// falls between the CRM's answer and our commit; the Idempotency-Key lets the CRM drop the repeat
// (as Stripe's and Svix's receivers do), so both raw receipts and distinct ids are counted.
// Two set-ups: one process on SQLite (the default), and two processes sharing PostgreSQL.
// The work is fixed (LEADS leads; the kills fall at fixed shares of them) and every deadline is
// derived from it, so a faster or slower machine runs the same test.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { startFlakyWebhook, type FlakyWebhook } from '../../../fixtures/crm/flaky-webhook.ts';
import { PG_URL } from '../store-helpers.ts';
import { freePort, sleep } from './collector-process.ts';

const ADMIN_TOKEN = 'chaos-admin-token';
const SECRET = 'chaos-secret';
/** CHAOS_KILLS=0 runs the same traffic without kills: the baseline for repeats over the wire. */
const KILLS = Number(process.env.CHAOS_KILLS ?? 5);
const CLIENTS = 6;
const LEADS = 300;
/** A killed collector's claimed jobs come back after this (DELIVERY_LEASE_MS). */
const LEASE_MS = 2000;
/** The most a collector may take to start (tsx compiles it first; a loaded 2-core machine is slow at that). */
const START_MS = 60_000;
/**
 * Time allowed per lead to be acknowledged, and again to be delivered once all are: far above what a
 * loaded machine needs (the integration's rateLimit lifts the webhook's 50/s, so pace is not the bound).
 */
const PER_LEAD_MS = 100;
/** Delivery after the last acknowledgement: every lead, plus leases of killed workers and retries (0.3 s apart). */
const DRAIN_MS = LEADS * PER_LEAD_MS + 10 * LEASE_MS;
/** The whole run: every start, every lead acknowledged, the drain and the final check. */
const testTimeout = (processes: number) => (KILLS + processes) * START_MS + LEADS * PER_LEAD_MS + DRAIN_MS + 20_000;


const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Collector {
  base: string;
  proc: ChildProcess | null;
}

async function startCollector(c: Collector, env: Record<string, string>): Promise<void> {
  const proc = spawn(process.execPath, ['--import', 'tsx', 'collector/src/server.ts'], {
    cwd: join(import.meta.dirname, '../../..'),
    env: {
      ...process.env,
      ...env,
      PORT: new URL(c.base).port,
      HOST: '127.0.0.1',
      ADMIN_TOKEN,
      LOG_LEVEL: 'error',
      // A killed collector's claimed jobs come back after 2 s instead of a minute.
      DELIVERY_LEASE_MS: String(LEASE_MS),
      // All the traffic comes from one address: the per-IP limit is not under test here.
      RATE_LIMIT_SITE_PER_MINUTE: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  c.proc = proc;
  const deadline = Date.now() + START_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`the collector exited with ${proc.exitCode}`);
    if (await fetch(`${c.base}/healthz`).then((r) => r.ok, () => false)) return;
    await sleep(50);
  }
  throw new Error(`the collector did not start within ${START_MS / 1000} s`);
}

async function killCollector(c: Collector): Promise<void> {
  const proc = c.proc;
  if (!proc || proc.exitCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
}

async function runChaos(processes: number, env: Record<string, string>) {
  const crm: FlakyWebhook = await startFlakyWebhook({ secret: SECRET, failRate: 0.2, lostAnswerShare: 0.3 });
  cleanups.push(() => crm.close());
  const collectors: Collector[] = [];
  for (let i = 0; i < processes; i++) collectors.push({ base: `http://127.0.0.1:${await freePort()}`, proc: null });
  cleanups.push(async () => {
    for (const c of collectors) await killCollector(c);
  });
  // One at a time at first, so two processes never run the migrations at once.
  for (const c of collectors) await startCollector(c, env);

  const admin = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${collectors[0]!.base}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (!res.ok) throw new Error(`${method} ${path}: HTTP ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const project = await admin('POST', '/projects', { name: 'Chaos' });
  const projectId = String(project.id);
  await admin('PUT', `/projects/${projectId}/integration`, {
    type: 'webhook',
    enabled: true,
    settings: { url: crm.url, secret: SECRET },
    retry: { strategy: 'fixed', baseSeconds: 0.3, maxAttempts: 10_000 },
    // The webhook's default 50/s would make the drain time a matter of pace, not of the work.
    rateLimit: { count: 1000, perSeconds: 1 },
  });

  // Clients send LEADS leads the way the snippet does: a lead not acknowledged is sent again with
  // the same clientId (to any collector) until it is, so it is stored once.
  const acknowledged = new Map<string, string>(); // clientId → lead id
  let next = 0;
  let clientError: unknown = null;
  const client = async () => {
    while (next < LEADS) {
      const n = next++;
      const clientId = `chaos-${String(n).padStart(6, '0')}`;
      for (let tryNo = 0; ; tryNo++) {
        const target = collectors[(n + tryNo) % collectors.length]!;
        const res = await fetch(`${target.base}/api/site/1.0/${projectId}/leads`, {
          method: 'POST',
          headers: { 'content-type': 'text/plain' },
          body: JSON.stringify({ clientId, name: `Chaos ${n}`, phone: `+1 555 ${String(1_000_000 + n).slice(1)}`, email: `c${n}@example.com` }),
        }).catch(() => null);
        if (res?.status === 429) throw new Error('the collector rate-limited the test traffic');
        if (res?.status === 202) {
          acknowledged.set(clientId, ((await res.json()) as { data: { id: string } }).data.id);
          break;
        }
        await res?.body?.cancel();
        await sleep(100);
      }
    }
  };
  const clients = Array.from({ length: CLIENTS }, () => client().catch((err: unknown) => void (clientError = err)));

  // Each kill falls at a fixed share of the leads, while others are being taken and delivered.
  for (let k = 0; k < KILLS; k++) {
    const at = Math.ceil(((k + 1) * LEADS) / (KILLS + 1));
    while (acknowledged.size < at && !clientError) await sleep(10);
    if (clientError) break;
    const victim = collectors[k % collectors.length]!;
    await killCollector(victim);
    await startCollector(victim, env);
  }
  await Promise.all(clients);
  if (clientError) throw clientError;

  const ids = new Set(acknowledged.values());
  expect(ids.size).toBe(LEADS);
  const deadline = Date.now() + DRAIN_MS;
  while ([...ids].some((id) => !crm.deals.has(id)) && Date.now() < deadline) await sleep(200);
  // The CRM answers before the collector commits: give the last commits a moment.
  const sentCount = async () => {
    let count = 0;
    let before = '';
    for (;;) {
      const page = await admin('GET', `/projects/${projectId}/leads?status=sent&limit=500${before}`);
      const items = page.items as { id: string; crmId: string }[];
      for (const l of items) if (l.crmId === crm.deals.get(l.id)) count++;
      if (!page.next) return count;
      before = `&before=${String(page.next)}`;
    }
  };
  let sent = await sentCount();
  while (sent < ids.size && Date.now() < deadline + 5 * LEASE_MS) {
    await sleep(200);
    sent = await sentCount();
  }

  const receipts = crm.receipts.filter((r) => r.idempotencyKey && ids.has(r.idempotencyKey));
  const okByKey = new Map<string, number>();
  for (const r of receipts) if (r.status === 200) okByKey.set(r.idempotencyKey!, (okByKey.get(r.idempotencyKey!) ?? 0) + 1);
  const missing = [...ids].filter((id) => !crm.deals.has(id));
  const answeredTwice = [...okByKey.values()].filter((c) => c > 1).length;
  console.log(
    [
      `chaos (${processes} process${processes > 1 ? 'es' : ''}, ${env.DATABASE_URL ? 'PostgreSQL' : 'SQLite'}): ${KILLS} kill -9, ${ids.size} leads acknowledged from ${CLIENTS} concurrent clients`,
      `  CRM raw receipts ${receipts.length} (${receipts.filter((r) => r.status === 200).length} answered 2xx), distinct lead ids ${new Set(receipts.map((r) => r.idempotencyKey)).size}, deals ${[...ids].filter((id) => crm.deals.has(id)).length}`,
      `  leads answered 2xx more than once (a kill between the CRM's answer and our commit; dropped by Idempotency-Key): ${answeredTwice}`,
      `  missing: ${missing.length}; shown as sent with the CRM's deal id: ${sent}`,
    ].join('\n'),
  );

  expect(missing).toEqual([]);
  // The mock makes one deal per Idempotency-Key; every deal is for an acknowledged lead.
  expect(crm.dealOrder.filter((id) => ids.has(id))).toHaveLength(ids.size);
  expect(new Set(crm.dealOrder).size).toBe(crm.dealOrder.length);
  // The collector agrees: every lead is `sent`, with the deal id the CRM gave.
  expect(sent).toBe(ids.size);
  // A repeat over the wire needs a kill inside an attempt: at most one per in-flight attempt per kill.
  expect(answeredTwice).toBeLessThanOrEqual(KILLS * 32);
}

describe('kill -9 under load', () => {
  it('SQLite, one process: every acknowledged lead is delivered, none makes two deals', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'leadrelay-chaos-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    await runChaos(1, { DATA_DIR: dataDir });
  }, testTimeout(1));

  it('PostgreSQL, two processes: every acknowledged lead is delivered, none makes two deals', async () => {
    const database = `lr_chaos_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
    const admin = new pg.Client({ connectionString: PG_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${database}`);
    cleanups.push(async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      await admin.end();
    });
    const url = new URL(PG_URL);
    url.pathname = `/${database}`;
    const dataDir = mkdtempSync(join(tmpdir(), 'leadrelay-chaos-pg-'));
    cleanups.push(() => rmSync(dataDir, { recursive: true, force: true }));
    await runChaos(2, { DATABASE_URL: url.toString(), DATA_DIR: dataDir });
  }, testTimeout(2));
});
