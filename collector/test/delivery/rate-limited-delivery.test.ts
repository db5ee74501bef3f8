// A backlog drains at the CRM's pace; the queue and its outcome are visible on /metrics.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import type { CrmAdapter, RateLimit } from '../../src/crm/types.ts';
import { webhook } from '../../src/crm/webhook.ts';
import { createWorker } from '../../src/delivery/worker.ts';
import { runDue, silentLog, startHarness, T0, type Harness } from './delivery-harness.ts';

let current: Harness | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** A CRM that answers at once and notes when each lead arrived. */
function instantCrm(rateLimit: RateLimit, now: () => number, arrivals: { id: string; at: number }[]): CrmAdapter {
  return {
    ...webhook,
    rateLimit,
    async create(lead) {
      arrivals.push({ id: lead.id, at: now() });
      return { crmId: `crm-${arrivals.length}`, httpStatus: 201 };
    },
  };
}

describe('rate-limited delivery', () => {
  it.each([
    // [CRM, limit, backlog, expected drain time = (backlog - burst) / rate]
    ['amoCRM', { count: 7, perMs: 1000 }, 77, 10_000],
    ['Bitrix24', { count: 2, perMs: 1000, burst: 50 }, 70, 10_000],
    ['HubSpot', { count: 100, perMs: 10_000 }, 150, 5000],
  ] as const)('a backlog for %s drains at its documented rate, in order', async (_crm, limit, n, expectedMs) => {
    const h = (current = await startHarness());
    const arrivals: { id: string; at: number }[] = [];
    const ids: string[] = [];
    for (let i = 0; i < n; i++) ids.push(await h.lead(i));
    const worker = createWorker({
      store: h.ctx.store,
      log: silentLog,
      clock: h.clock,
      adapterFor: () => instantCrm(limit, () => h.clock.now(), arrivals),
      pollMs: 100,
    });
    worker.start();
    while (arrivals.length < n && h.clock.now() - T0 < 60_000) await h.clock.advance(10);
    await worker.stop();
    expect(arrivals.map((a) => a.id)).toEqual(ids);
    const last = arrivals.at(-1)!.at - T0;
    // Within a poll interval and a clock step of the ideal.
    expect(last).toBeGreaterThanOrEqual(expectedMs - limit.perMs / limit.count);
    expect(last).toBeLessThanOrEqual(expectedMs + 100 + 10);
    // Never faster than the bucket allows over any stretch.
    const burst = 'burst' in limit ? limit.burst : limit.count;
    const rate = limit.count / limit.perMs;
    for (let i = 0; i < n; i += 5) {
      for (let j = i; j < n; j += 5) {
        expect(j - i + 1).toBeLessThanOrEqual(burst + rate * (arrivals[j]!.at - arrivals[i]!.at) + 1e-6);
      }
    }
  });

  it('the limit counts requests, not leads: an adapter making 3 requests per lead is paced per request', async () => {
    const h = (current = await startHarness());
    const n = 20;
    for (let i = 0; i < n; i++) await h.lead(i);
    const requestsAt: number[] = [];
    const threeCalls: CrmAdapter = {
      ...webhook,
      rateLimit: { count: 6, perMs: 1000 },
      async create(lead, ctx) {
        for (const step of ['contact', 'deal', 'note']) await ctx.fetch(`http://crm.invalid/${step}`, { signal: ctx.signal ?? null });
        return { crmId: lead.id, httpStatus: 200 };
      },
    };
    const worker = createWorker({
      store: h.ctx.store,
      log: silentLog,
      clock: h.clock,
      adapterFor: () => threeCalls,
      pollMs: 100,
      fetch: async () => {
        requestsAt.push(h.clock.now() - T0);
        return new Response('{}');
      },
    });
    worker.start();
    while (requestsAt.length < 3 * n && h.clock.now() - T0 < 60_000) await h.clock.advance(10);
    await worker.stop();
    // 60 requests at 6/s after a burst of 6: 9 s.
    expect(requestsAt).toHaveLength(3 * n);
    expect(requestsAt.at(-1)!).toBeGreaterThanOrEqual(9000 - 170);
    expect(requestsAt.at(-1)!).toBeLessThanOrEqual(9000 + 110);
    for (let i = 0; i < requestsAt.length; i++) {
      for (let j = i; j < requestsAt.length; j++) {
        expect(j - i + 1).toBeLessThanOrEqual(6 + (6 / 1000) * (requestsAt[j]! - requestsAt[i]!) + 1e-6);
      }
    }
  });

  it('an adapter whose pace depends on its settings (rateLimitFor, e.g. MoySklad\'s token kind) is paced by it', async () => {
    const h = (current = await startHarness());
    const n = 10;
    for (let i = 0; i < n; i++) await h.lead(i);
    const arrivals: { id: string; at: number }[] = [];
    const seen: Record<string, string>[] = [];
    const bySettings: CrmAdapter = {
      ...instantCrm({ count: 100, perMs: 1000 }, () => h.clock.now(), arrivals),
      rateLimitFor(settings) {
        seen.push(settings);
        return { count: 2, perMs: 1000, burst: 1 };
      },
    };
    const worker = createWorker({ store: h.ctx.store, log: silentLog, clock: h.clock, adapterFor: () => bySettings, pollMs: 100 });
    worker.start();
    while (arrivals.length < n && h.clock.now() - T0 < 60_000) await h.clock.advance(10);
    await worker.stop();
    expect(arrivals).toHaveLength(n);
    // 2/s with no burst: the 10th lead 4.5 s after the first, not at once as 100/s would allow.
    expect(arrivals.at(-1)!.at - arrivals[0]!.at).toBeGreaterThanOrEqual(4500 - 10);
    expect(seen[0]).toHaveProperty('url');
  });

  const realTimeLeads = 150;
  // Time allowed: the pace's 2 s, and a generous 100 ms per lead to store it and as much to deliver it.
  it('the webhook’s own limit (50/s) holds in real time', async () => {
    const h = (current = await startHarness());
    const n = realTimeLeads;
    for (let i = 0; i < n; i++) await h.lead(i);
    const sentAt: number[] = [];
    const worker = createWorker({
      store: h.ctx.store,
      log: silentLog,
      clock: systemClock,
      pollMs: 50,
      fetch: (input, init) => {
        sentAt.push(Date.now());
        return fetch(input, init);
      },
    });
    const started = Date.now();
    worker.start();
    // 2 s of pace, and a generous 100 ms per lead for the machine's own work.
    await h.crm.waitForDeals(n, ((n - 50) / 50) * 1000 + n * 100);
    const elapsed = Date.now() - started;
    await worker.stop();
    // 50 at once, then 100 more at 50/s: never sooner than 2 s. (How much later depends on the
    // machine; the manual-clock tests above pin the pace exactly.)
    expect(elapsed).toBeGreaterThanOrEqual(1900);
    expect(h.crm.receipts).toHaveLength(n);
    // When the requests left: never more than the burst plus the rate over any stretch.
    for (let i = 0; i < n; i += 5) {
      for (let j = i; j < n; j += 5) {
        expect(j - i + 1).toBeLessThanOrEqual(50 + (50 / 1000) * (sentAt[j]! - sentAt[i]! + 2) + 1);
      }
    }
  }, realTimeLeads * 200 + 10_000);
});

describe('/metrics and /healthz', () => {
  it('show the queue, the attempts by outcome and the delivery latency', async () => {
    const h = (current = await startHarness({ retry: { strategy: 'fixed', baseSeconds: 60, maxAttempts: 2 } }));
    expect((await h.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok', queue: { depth: 0, oldestDueAt: null, oldestDueSeconds: null } });

    await h.lead(1);
    await h.lead(2);
    await h.clock.advance(90_000);
    let text = (await h.app.inject({ url: '/metrics' })).body;
    expect(text).toContain('leadrelay_delivery_queue_depth 2');
    expect(text).toContain('leadrelay_delivery_oldest_due_job_age_seconds 90');

    h.crm.script({ status: 500 }, { status: 500 }, { status: 500 });
    await runDue(h); // both fail once
    await h.clock.advance(60_000);
    await runDue(h); // lead 1 fails again and gives up (2 attempts); lead 2 goes through
    const res = await h.app.inject({ url: '/metrics' });
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    text = res.body;
    expect(text).toContain('leadrelay_delivery_attempts_total{outcome="retry",integration="webhook"} 2');
    expect(text).toContain('leadrelay_delivery_attempts_total{outcome="failed",integration="webhook"} 1');
    expect(text).toContain('leadrelay_delivery_attempts_total{outcome="sent",integration="webhook"} 1');
    expect(text).toContain('leadrelay_delivery_queue_depth 0');
    // The delivered lead waited 90 s, then 60 s for its retry.
    expect(text).toContain('leadrelay_delivery_latency_seconds_sum{integration="webhook"} 150');
    expect(text).toContain('leadrelay_delivery_attempt_duration_seconds_count{integration="webhook"} 4');
    expect(text).toContain('leadrelay_process_cpu_user_seconds_total');
  });
});
