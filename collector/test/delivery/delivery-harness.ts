// A collector in-process with a manual clock, its worker driven by the test, and a flaky webhook
// CRM to deliver to: the pieces the delivery tests share.
import pino from 'pino';
import type { DeliveryAttempt, Lead, RetryPolicy } from '../../../shared/schemas.ts';
import { buildApp, type App } from '../../src/app.ts';
import { createManualClock, type ManualClock } from '../../../test-support/manual-clock.ts';
import { adapterFor } from '../../src/crm/index.ts';
import type { CrmAdapter } from '../../src/crm/types.ts';
import { createWorker, type Worker, type WorkerOptions } from '../../src/delivery/worker.ts';
import { startFlakyWebhook, type FlakyWebhook, type FlakyWebhookOptions } from '../../../fixtures/crm/flaky-webhook.ts';

export const T0 = Date.UTC(2026, 0, 5, 9, 0, 0);
export const MIN = 60_000;
const TOKEN = 'test-admin-token';
const SECRET = 'webhook-secret';

export interface Harness {
  app: App['app'];
  ctx: App['ctx'];
  clock: ManualClock;
  crm: FlakyWebhook;
  worker: Worker;
  projectId: string;
  /** Sends a lead through the site API; returns its id. */
  lead(n: number, extra?: Record<string, unknown>): Promise<string>;
  getLead(id: string): Promise<Lead & { attempts: DeliveryAttempt[] }>;
  admin(method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  setIntegration(opts?: { retry?: RetryPolicy; enabled?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export const silentLog = pino({ level: 'silent' });

export async function startHarness(
  opts: {
    retry?: RetryPolicy;
    integration?: boolean;
    crm?: FlakyWebhookOptions;
    worker?: Partial<WorkerOptions>;
    adapter?: (base: CrmAdapter) => CrmAdapter;
  } = {},
): Promise<Harness> {
  const clock = createManualClock(T0);
  const crm = await startFlakyWebhook({ secret: SECRET, now: () => clock.now(), ...opts.crm });
  // Every test lead comes from one address: the per-IP limit of the site API is not under test here.
  const built = await buildApp({ adminToken: TOKEN, clock, worker: false, logger: silentLog, rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 } });
  const { app, ctx } = built;
  const worker = createWorker({
    store: ctx.store,
    log: silentLog,
    clock,
    metrics: built.metrics,
    adapterFor: (type) => {
      const base = adapterFor(type);
      return base && opts.adapter ? opts.adapter(base) : base;
    },
    ...opts.worker,
  });

  const admin = async (method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
    const res = await app.inject({
      method,
      url: `/api/v1${url}`,
      headers: { authorization: `Bearer ${TOKEN}` },
      ...(body === undefined ? {} : { payload: body as object }),
    });
    return { status: res.statusCode, json: res.body ? (JSON.parse(res.body) as unknown) : null };
  };
  const project = (await admin('POST', '/projects', { name: 'Delivery test' })).json as { id: string };
  const h: Harness = {
    app,
    ctx,
    clock,
    crm,
    worker,
    projectId: project.id,
    async lead(n, extra = {}) {
      const res = await app.inject({
        method: 'POST',
        url: `/api/site/1.0/${project.id}/leads`,
        headers: { 'content-type': 'text/plain' },
        payload: JSON.stringify({
          clientId: `client-${String(n).padStart(6, '0')}`,
          name: `Lead ${n}`,
          phone: `+7 900 ${String(1000000 + n).slice(1)}`,
          email: `lead${n}@example.com`,
          ...extra,
        }),
      });
      if (res.statusCode !== 202) throw new Error(`lead ${n}: HTTP ${res.statusCode} ${res.body}`);
      return (JSON.parse(res.body) as { data: { id: string } }).data.id;
    },
    async getLead(id) {
      const res = await admin('GET', `/projects/${project.id}/leads/${id}`);
      if (res.status !== 200) throw new Error(`lead ${id}: HTTP ${res.status}`);
      return res.json as Awaited<ReturnType<Harness['getLead']>>;
    },
    admin,
    async setIntegration(o = {}) {
      const res = await admin('PUT', `/projects/${project.id}/integration`, {
        type: 'webhook',
        enabled: o.enabled ?? true,
        settings: { url: crm.url, secret: SECRET },
        ...(o.retry ?? opts.retry ? { retry: o.retry ?? opts.retry } : {}),
      });
      if (res.status !== 200) throw new Error(`integration: HTTP ${res.status} ${JSON.stringify(res.json)}`);
    },
    async close() {
      await worker.stop();
      await app.close();
      await crm.close();
    },
  };
  if (opts.integration !== false) await h.setIntegration();
  return h;
}

/**
 * Runs the due jobs to the end. While the attempts wait on the clock (the rate limiter), the clock
 * is moved to the next wake-up; while they wait on the network, it stands still.
 */
export async function runDue(h: Harness): Promise<number> {
  let done = false;
  const round = h.worker.runOnce().finally(() => (done = true));
  while (!done) {
    await new Promise((r) => setTimeout(r, 1));
    const next = h.clock.nextWakeAt();
    if (!done && next !== null) await h.clock.advance(Math.max(0, next - h.clock.now()));
  }
  return round;
}

/** Moves the manual clock in steps, running the worker's due jobs at each step. */
export async function runFor(h: Harness, totalMs: number, stepMs = MIN): Promise<void> {
  const end = h.clock.now() + totalMs;
  while (h.clock.now() < end) {
    await h.clock.advance(Math.min(stepMs, end - h.clock.now()));
    await runDue(h);
  }
}

export function storeOf(h: Harness) {
  return h.ctx.store;
}
