// Delivery: leads per second through the worker to the mock CRM with no delay, the drain of a large
// backlog after an outage, the worker's own cost per attempt, and whether a backlog drains at the
// CRM's rate limit and no faster. The worker runs in this process (nothing else runs here then);
// the mock CRM runs in a child process.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { adapterFor } from '../collector/src/crm/index.ts';
import type { CrmAdapter, CrmContext } from '../collector/src/crm/types.ts';
import { createWorker } from '../collector/src/delivery/worker.ts';
import { webhook } from '../collector/src/crm/webhook.ts';
import { undiciSend } from '../collector/src/crm/http-client.ts';
import type { Lead } from '../shared/schemas.ts';
import { openSqliteStore } from '../collector/src/store/sqlite.ts';
import { startChild, type Child } from './child.ts';
import { bulkInsertLeads, createBenchDb } from './bulk.ts';
import { WEBHOOK_SECRET } from './fixture.ts';
import { profileMarkdown, startProfiler, summarizeProfile } from './profile.ts';
import { targetStatus, type Section, type Target } from './report.ts';
import { fmt, median } from './stats.ts';

export const MOCK_CRM_SERVER = fileURLToPath(new URL('./mock-crm-server.ts', import.meta.url));

export interface DeliveryConfig {
  workDir: string;
  /** Throughput runs (medians), each on a fresh backlog of `runLeads`, capped at `runCapSec`. */
  rounds: number;
  runLeads: number;
  runCapSec: number;
  backlogLeads: number;
  /** The backlog drains to the end; its deadline is derived from the measured rate, but never below this. */
  backlogMinCapSec: number;
  mockDurationSec: number;
  profile: boolean;
  /** One write + fsync on this disk (see report.ts), to say what one commit per attempt allows. */
  fsyncMs: number;
}

export interface DrainResult {
  leads: number;
  drained: number;
  seconds: number;
  /** Leads per second over the whole drain. */
  rate: number;
  /** Leads per second once `steadyFrom` leads are out (a token bucket's initial burst excluded). */
  steadyRate: number;
  cpuMsPerLead: number;
  insertSeconds: number;
  complete: boolean;
}

/** The webhook adapter without its rate limit or parallel cap, to measure what the worker itself can do. */
function unlimited(type: Parameters<typeof adapterFor>[0]): CrmAdapter | null {
  const a = adapterFor(type);
  return a && type === 'webhook' ? { ...a, rateLimit: { count: 1_000_000, perMs: 1000, parallel: 1000 } } : a;
}

/**
 * Queues a backlog while the CRM is "down" (no worker), then starts the worker and times the drain
 * until the queue is empty or `capSec` passes.
 */
export async function drainBacklog(o: {
  file: string;
  crmUrl: string;
  leads: number;
  capSec: number;
  rateLimited: boolean;
  /** Where the steady rate starts counting (default: a fifth of the backlog). */
  steadyFrom?: number;
}): Promise<DrainResult> {
  const steadyFrom = o.steadyFrom ?? Math.round(o.leads * 0.2);
  const t0 = performance.now();
  const { projectId } = await createBenchDb(o.file, o.crmUrl);
  bulkInsertLeads(o.file, projectId, o.leads, { status: 'pending', spreadMs: 3_600_000, tag: '6' });
  const insertSeconds = (performance.now() - t0) / 1000;
  const store = openSqliteStore({ file: o.file });
  try {
    // Options beyond the first worker's (adapterFor) are passed as a variable: a worker that does
    // not know them ignores them.
    const options = { store, log: pino({ level: 'silent' }), ...(o.rateLimited ? {} : { adapterFor: unlimited }) };
    const worker = createWorker(options);
    const cpu0 = process.cpuUsage();
    const start = performance.now();
    let steadyAt: number | null = null;
    let depth = (await store.queueStats(Date.now())).depth;
    worker.start();
    const pollMs = o.leads > 20_000 ? 100 : 20;
    while (depth > 0 && performance.now() - start < o.capSec * 1000) {
      await new Promise((r) => setTimeout(r, pollMs));
      depth = (await store.queueStats(Date.now())).depth;
      if (steadyAt === null && o.leads - depth >= steadyFrom) steadyAt = performance.now();
    }
    const end = performance.now();
    await worker.stop();
    const cpu = process.cpuUsage(cpu0);
    depth = (await store.queueStats(Date.now())).depth;
    const drained = o.leads - depth;
    const seconds = (end - start) / 1000;
    const steadyLeads = drained - steadyFrom;
    return {
      leads: o.leads,
      drained,
      seconds,
      rate: drained / seconds,
      steadyRate: steadyAt !== null && steadyLeads > 0 && end > steadyAt ? steadyLeads / ((end - steadyAt) / 1000) : Number.NaN,
      cpuMsPerLead: (cpu.user + cpu.system) / 1000 / Math.max(1, drained),
      insertSeconds,
      complete: depth === 0,
    };
  } finally {
    await store.close();
  }
}

/**
 * The mock's own rate, as the worker's requests meet it: the webhook adapter's signed lead POST over
 * the worker's own HTTP client (crm/http-client.ts), `inFlight` at once, each lead with a fresh id
 * (the mock checks both signatures and takes each Idempotency-Key once as new), and no store.
 */
export async function mockRate(crmUrl: string, durationSec: number, inFlight: number): Promise<number> {
  const ctx: CrmContext = { settings: { url: crmUrl, secret: WEBHOOK_SECRET }, fetch, send: undiciSend };
  const createdAt = new Date().toISOString();
  let n = 0;
  let failed = 0;
  const burst = async (seconds: number) => {
    const until = performance.now() + seconds * 1000;
    const sent = n;
    const loop = async (slot: number) => {
      while (performance.now() < until) {
        const id = `mock-${slot}-${n++}`;
        const lead = { id, projectId: 'bench', title: 'Request from the site', name: 'Ivan Petrov', phone: '+79990000000', email: 'ivan@example.org', fields: {}, createdAt };
        await webhook.create(lead as unknown as Lead, ctx).catch(() => failed++);
      }
    };
    const start = performance.now();
    await Promise.all(Array.from({ length: inFlight }, (_, slot) => loop(slot)));
    return (n - sent) / ((performance.now() - start) / 1000);
  };
  // Uncounted: the first seconds run at a fraction of the pace (measured: 323/s, then 1,693 and
  // 2,237/s in 3 s runs): connections are opened and the code compiled.
  await burst(2);
  const rate = await burst(durationSec);
  if (failed > 0) throw new Error(`the mock refused ${failed} of ${n} requests: the baseline would be wrong`);
  return rate;
}

export async function benchDelivery(cfg: DeliveryConfig, log: (line: string) => void): Promise<Section> {
  const mock: Child<{ url: string }> = await startChild(MOCK_CRM_SERVER);
  const body: string[] = [];
  const targets: Target[] = [];
  try {
    const url = mock.info.url;
    // Warm-up (JIT, sockets to the mock, SQLite): not counted.
    await drainBacklog({ file: join(cfg.workDir, 'delivery-warm.sqlite'), crmUrl: url, leads: Math.min(500, cfg.runLeads), capSec: 5, rateLimited: false });
    const runs: DrainResult[] = [];
    for (let i = 1; i <= cfg.rounds; i++) {
      const r = await drainBacklog({ file: join(cfg.workDir, `delivery-${i}.sqlite`), crmUrl: url, leads: cfg.runLeads, capSec: cfg.runCapSec, rateLimited: false });
      log(`delivery: run ${i}/${cfg.rounds}: ${r.drained}/${r.leads} in ${r.seconds.toFixed(1)} s = ${Math.round(r.rate)}/s, ${r.cpuMsPerLead.toFixed(2)} ms CPU per lead`);
      runs.push(r);
    }
    const rate = median(runs.map((r) => r.rate));
    const cpuPerLead = median(runs.map((r) => r.cpuMsPerLead));
    const mockRps = await mockRate(url, cfg.mockDurationSec, 32);
    log(`delivery: the mock alone takes ${Math.round(mockRps)} requests/s`);
    const overheadMs = 1000 / rate - 1000 / mockRps;

    // The whole backlog is drained; the deadline only guards against a stuck worker: four times what
    // the measured rate needs (the slowest run's, so a noisy machine does not cut it short), never a pace.
    const slowest = Math.min(...runs.map((r) => r.rate));
    const backlogCapSec = Math.max(cfg.backlogMinCapSec, Math.ceil((4 * cfg.backlogLeads) / Math.max(1, slowest)));
    const backlog = await drainBacklog({ file: join(cfg.workDir, 'backlog.sqlite'), crmUrl: url, leads: cfg.backlogLeads, capSec: backlogCapSec, rateLimited: false });
    log(`delivery: backlog ${backlog.drained}/${backlog.leads} in ${backlog.seconds.toFixed(1)} s (queued in ${backlog.insertSeconds.toFixed(1)} s)`);

    const limit = adapterFor('webhook')!.rateLimit;
    const limitPerSec = (limit.count * 1000) / limit.perMs;
    // A token bucket starts full: the first `burst` leads go at once, then the limit shows.
    const burst = limit.burst ?? limit.count;
    const limitedLeads = burst + Math.round(limitPerSec * (cfg.rounds > 1 ? 6 : 3));
    const limited = await drainBacklog({ file: join(cfg.workDir, 'limited.sqlite'), crmUrl: url, leads: limitedLeads, capSec: 60, rateLimited: true, steadyFrom: burst });
    log(`delivery: rate-limited backlog ${limited.drained}/${limited.leads} in ${limited.seconds.toFixed(1)} s, steady ${limited.steadyRate.toFixed(1)}/s (limit ${limitPerSec}/s)`);

    const backlogFigure = backlog.complete
      ? `${backlog.leads.toLocaleString('en-US')} leads drained in ${fmt(backlog.seconds)} s (${fmt(backlog.rate)}/s)`
      : `${backlog.drained.toLocaleString('en-US')} of ${backlog.leads.toLocaleString('en-US')} drained before the ${backlogCapSec} s deadline (4× the time the slowest throughput run's rate needs): the worker stalled (${fmt(backlog.rate)}/s)`;
    targets.push(
      { name: 'Delivery to a mock CRM with no delay', target: '≥ 2,000 leads/s', figure: `${fmt(rate)} leads/s`, status: targetStatus(rate >= 2000) },
      {
        name: 'A backlog drains at the CRM rate limit, no faster',
        target: `${limitPerSec}/s (webhook adapter's limit)`,
        // When the worker cannot even reach the limit, draining "at the limit" shows nothing.
        figure:
          rate > limitPerSec * 1.5
            ? `${fmt(limited.steadyRate)}/s steady (${fmt(limited.rate)}/s with the initial burst)`
            : `the worker's own pace (${fmt(rate)}/s) is not above the limit, so the limit cannot show (${fmt(limited.steadyRate)}/s steady)`,
        status: rate > limitPerSec * 1.5 ? targetStatus(limited.steadyRate <= limitPerSec * 1.1 && limited.steadyRate >= limitPerSec * 0.8) : 'not available',
      },
    );
    body.push(
      `The worker (\`createWorker\` with its defaults, in the bench process) against the strict webhook mock (\`fixtures/crm/webhook-mock.ts\`, signature and Idempotency-Key checked, no delay) in a child process. After one uncounted warm-up drain, each run writes a fresh backlog (pending leads with their delivery jobs, a bulk insert in one transaction: the site API's own path is too slow to set up 100,000 leads, see Ingest) with no worker running, then starts the worker and times it until the queue is empty. For throughput the webhook adapter's rate limit is lifted (the engine's own pace is measured); the last row keeps it.`,
      '',
      '| measure | figure |',
      '| --- | --- |',
      `| throughput, ${runs.length === 1 ? 'one run' : `median of ${runs.length} runs`} of ${cfg.runLeads.toLocaleString('en-US')} leads (capped at ${cfg.runCapSec} s each) | ${fmt(rate)} leads/s (runs: ${runs.map((r) => `${Math.round(r.rate)}${r.complete ? '' : ' capped'}`).join(', ')}) |`,
      `| the mock alone: the webhook's signed POST over the worker's HTTP client, 32 in flight, a fresh Idempotency-Key each, no store (${cfg.mockDurationSec} s) | ${fmt(mockRps)} requests/s = ${fmt(1000 / mockRps)} ms per request |`,
      `| worker time per attempt beyond the mock's (1/rate − 1/mock rate) | ${fmt(overheadMs)} ms |`,
      `| worker CPU per attempt (user + system, this process) | ${fmt(cpuPerLead)} ms |`,
      `| backlog after an outage: ${backlog.leads.toLocaleString('en-US')} leads (queued in ${fmt(backlog.insertSeconds)} s) | ${backlogFigure} |`,
      `| backlog of ${limited.leads} leads with the webhook's rate limit (${limit.count} per ${limit.perMs} ms) | ${limited.drained} drained in ${fmt(limited.seconds)} s: ${fmt(limited.steadyRate)}/s after the first ${burst} (the bucket's burst), ${fmt(limited.rate)}/s overall |`,
    );
    body.push(
      '',
      `- The outcomes of attempts finishing together share one durable commit (SQLite's group commit; on PostgreSQL \`writeBatched\`), so one fsync (${fmt(cfg.fsyncMs)} ms here) is paid per batch of attempts, not per attempt: at one attempt per commit it would cap the worker at ${fmt(1000 / cfg.fsyncMs)} attempts/s.`,
    );
    if (cfg.profile && rate < 2000) {
      log('delivery: profiling a throughput run');
      const stop = await startProfiler();
      await drainBacklog({ file: join(cfg.workDir, 'delivery-prof.sqlite'), crmUrl: url, leads: cfg.runLeads, capSec: Math.min(cfg.runCapSec, 8), rateLimited: false });
      body.push('', '### Profile: delivery throughput (target missed)', '', 'This profile covers one throughput run (its bulk set-up included), in the bench process.', '', ...profileMarkdown(summarizeProfile(await stop())));
    }
  } finally {
    await mock.stop();
  }
  return { title: 'Delivery', body, targets };
}
