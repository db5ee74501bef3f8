// Jobs of a dead worker come back when their lease ends; a stopping worker finishes what it sent
// and puts back what it had not; a worker that lost its lease cannot overwrite the new owner's result.
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { webhook } from '../../src/crm/webhook.ts';
import type { CrmAdapter } from '../../src/crm/types.ts';
import { createWorker } from '../../src/delivery/worker.ts';
import { MIN, runDue, silentLog, startHarness, type Harness } from './delivery-harness.ts';

let current: Harness | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe('lease', () => {
  it('a job claimed by a worker that died is sent by another once the lease ends', async () => {
    const h = (current = await startHarness({ worker: { leaseMs: 60_000 } }));
    const id = await h.lead(1);
    const store = h.ctx.store;
    const claimed = await store.claimJobs('dead-worker', h.clock.now(), 10, 60_000);
    expect(claimed.map((j) => j.leadId)).toEqual([id]);
    await runDue(h);
    expect(h.crm.receipts).toHaveLength(0); // still leased
    await h.clock.advance(59_000);
    await runDue(h);
    expect(h.crm.receipts).toHaveLength(0);
    await h.clock.advance(1000);
    await runDue(h);
    expect(h.crm.dealOrder).toEqual([id]);
    expect((await h.getLead(id)).status).toBe('sent');
  });

  it('a worker whose lease was taken over cannot overwrite the new owner’s success', async () => {
    const h = (current = await startHarness());
    const id = await h.lead(1);
    const store = h.ctx.store;
    const [slow] = await store.claimJobs('slow-worker', h.clock.now(), 10, 1000);
    await h.clock.advance(1000);
    await runDue(h); // another worker takes the expired job and delivers it
    expect((await h.getLead(id)).status).toBe('sent');
    // The slow worker's late failure is recorded as an attempt but changes nothing else.
    await store.failJob(slow!, { at: h.clock.now(), ok: false, httpStatus: 504, error: 'late timeout', durationMs: 1 }, h.clock.now() + MIN, 'late timeout');
    expect(await store.renewLease(slow!, h.clock.now() + 60_000)).toBe(false);
    const lead = await h.getLead(id);
    expect(lead).toMatchObject({ status: 'sent', nextAttemptAt: null, lastError: null });
    expect(lead.attempts.map((a) => a.error)).toEqual([null, 'late timeout']);
  });

  it('refuses a request timeout that would outlive the lease', () => {
    expect(() => createWorker({ store: {} as never, log: silentLog, leaseMs: 10_000, requestTimeoutMs: 10_000 })).toThrow(RangeError);
  });
});

describe('graceful shutdown', () => {
  it('lets the attempt in flight finish and puts back the jobs still waiting for the rate limit', async () => {
    let release!: () => void;
    const inFlight = new Promise<void>((r) => (release = r));
    let started = 0;
    const h = (current = await startHarness());
    const store = h.ctx.store;
    const slowCrm: CrmAdapter = {
      ...webhook,
      rateLimit: { count: 1, perMs: 10_000 }, // the second lead waits 10 s in the limiter
      async create() {
        started++;
        await inFlight;
        return { crmId: 'slow-1', httpStatus: 201 };
      },
    };
    const worker = createWorker({
      store,
      log: silentLog,
      clock: systemClock,
      adapterFor: () => slowCrm,
      pollMs: 20,
      maxRateWaitMs: 30_000,
    });
    const first = await h.lead(1);
    const second = await h.lead(2);
    worker.start();
    while (started === 0) await new Promise((r) => setTimeout(r, 5));
    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await new Promise((r) => setTimeout(r, 100));
    expect(stopped).toBe(false); // waits for the CRM's answer
    release();
    await stopping;
    expect(started).toBe(1);
    expect(await h.getLead(first)).toMatchObject({ status: 'sent', crmId: 'slow-1' });
    const waiting = await h.getLead(second);
    expect(waiting).toMatchObject({ status: 'pending', attemptCount: 0 });
    // Put back unlocked: the next worker takes it at once, no lease to wait out.
    expect((await store.claimJobs('next-worker', Date.now(), 10, 60_000)).map((j) => j.leadId)).toEqual([second]);
  });
});

describe('several workers on one store', () => {
  const n = 120;
  // Time allowed: a generous 100 ms per lead to store it, and as much again to deliver it.
  it('each lead is sent once over the wire when two workers claim from the same queue', async () => {
    const h = (current = await startHarness());
    for (let i = 0; i < n; i++) await h.lead(i);
    const fast = { ...webhook, rateLimit: { count: 1_000_000, perMs: 1000 } };
    const workers = [1, 2].map(() =>
      createWorker({ store: h.ctx.store, log: silentLog, clock: systemClock, adapterFor: () => fast, concurrency: 8, pollMs: 20 }),
    );
    for (const w of workers) w.start();
    // No pace to keep (the limit is lifted): a generous 100 ms per lead for the machine's own work.
    await h.crm.waitForDeals(n, n * 100);
    await Promise.all(workers.map((w) => w.stop()));
    expect(h.crm.receipts).toHaveLength(n);
    expect(new Set(h.crm.receipts.map((r) => r.idempotencyKey)).size).toBe(n);
  }, n * 200 + 10_000);
});
