// Requests in flight to one CRM are capped across every slot of the worker (MoySklad refuses a 6th
// parallel request with error 1073): the cap itself, the worker's use of it (CRM requests, not leads;
// the integration's rateLimit.parallel), other projects going first while one CRM is full, and a
// MoySklad backlog against a mock that counts requests in flight the way its server does.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { MS_IDS, startMoySkladMock } from '../../../fixtures/crm/moysklad.ts';
import { systemClock } from '../../src/clock.ts';
import { allAdapters } from '../../src/crm/index.ts';
import { moysklad } from '../../src/crm/moysklad.ts';
import { DEFAULT_PARALLEL } from '../../src/crm/types.ts';
import { createParallelCap, parallelOf } from '../../src/delivery/parallel-cap.ts';
import { createWorker, rateLimitKey } from '../../src/delivery/worker.ts';
import { silentLog, startHarness, type Harness } from './delivery-harness.ts';

let current: Harness | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** Lets pending promise callbacks and I/O run; used only inside loops that wait for a state. */
const tick = () => new Promise((r) => setTimeout(r, 1));

describe('the parallel cap', () => {
  it('lets `max` in at once, hands each freed place to the next waiter in order, and drops aborted waiters', async () => {
    const cap = createParallelCap();
    const order: string[] = [];
    const releases = new Map<string, () => void>();
    const enter = (name: string, signal?: AbortSignal) =>
      cap.acquire('crm', 2, signal).then((release) => {
        order.push(name);
        releases.set(name, release);
      });
    const a = enter('a');
    const b = enter('b');
    const c = enter('c');
    const aborter = new AbortController();
    const d = enter('d', aborter.signal);
    const e = enter('e');
    await Promise.all([a, b]);
    await tick();
    expect(order).toEqual(['a', 'b']);
    expect(cap.load('crm')).toEqual({ inFlight: 2, waiting: 3 });
    expect(cap.busy('crm', { count: 1, perMs: 1, parallel: 2 })).toBe(true);
    expect(cap.busy('crm', { count: 1, perMs: 1, parallel: 4 })).toBe(false);

    aborter.abort(new Error('timed out'));
    await expect(d).rejects.toThrow('timed out');
    expect(cap.load('crm')).toEqual({ inFlight: 2, waiting: 2 });

    releases.get('a')!();
    releases.get('a')!(); // a second call gives nothing back twice
    await c;
    expect(order).toEqual(['a', 'b', 'c']);
    expect(cap.load('crm')).toEqual({ inFlight: 2, waiting: 1 });
    releases.get('b')!();
    await e;
    expect(order).toEqual(['a', 'b', 'c', 'e']);
    releases.get('c')!();
    releases.get('e')!();
    expect(cap.load('crm')).toEqual({ inFlight: 0, waiting: 0 });
    // Other keys never waited.
    await cap.acquire('other', 1);
  });

  it('refuses a cap below 1', async () => {
    await expect(createParallelCap().acquire('crm', 0)).rejects.toThrow(RangeError);
  });
});

it('the README’s CRM table shows each CRM’s parallel cap', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const shown = new Map<string, string>();
  for (const row of readme.split('\n')) {
    const m = /^\| `(\w+)` \|.*\| (\d+) \|$/.exec(row);
    if (m) shown.set(m[1]!, m[2]!);
  }
  for (const adapter of allAdapters()) expect([adapter.type, shown.get(adapter.type)]).toEqual([adapter.type, String(parallelOf(adapter.rateLimit))]);
});

describe('the worker', () => {
  it.each([
    ['the default cap', undefined, DEFAULT_PARALLEL],
    ['rateLimit without parallel keeps the type’s cap', { count: 1000, perSeconds: 1 }, DEFAULT_PARALLEL],
    ['rateLimit.parallel', { count: 1000, perSeconds: 1, parallel: 2 }, 2],
  ] as const)('keeps requests in flight to one CRM at its cap: %s', async (_name, rateLimit, expected) => {
    const h = (current = await startHarness({ integration: false }));
    const put = await h.admin('PUT', `/projects/${h.projectId}/integration`, {
      type: 'webhook',
      settings: { url: h.crm.url, secret: 'webhook-secret' },
      ...(rateLimit ? { rateLimit } : {}),
    });
    expect(put.status).toBe(200);
    const n = 6;
    for (let i = 0; i < n; i++) await h.lead(i);
    const cap = createParallelCap();
    const held: (() => void)[] = [];
    let active = 0;
    let peak = 0;
    const worker = createWorker({
      store: h.ctx.store,
      log: silentLog,
      clock: h.clock,
      parallel: cap,
      fetch: async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise<void>((resolve) => held.push(resolve));
        active--;
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    const round = worker.runOnce();
    const key = rateLimitKey({ type: 'webhook', settings: { url: h.crm.url } });
    // Every attempt is either sending or waiting for its place: nothing else can start.
    while (cap.load(key).inFlight + cap.load(key).waiting < n) await tick();
    expect(cap.load(key)).toEqual({ inFlight: expected, waiting: n - expected });
    expect(active).toBe(expected);
    while (held.length || active) {
      held.shift()?.();
      await tick();
    }
    expect(await round).toBe(n);
    expect(peak).toBe(expected);
    await worker.stop();
  });

  it('counts CRM requests, not leads: an adapter making 3 requests per lead still has at most the cap in flight', async () => {
    const h = (current = await startHarness());
    const n = 5;
    for (let i = 0; i < n; i++) await h.lead(i);
    let active = 0;
    let peak = 0;
    let calls = 0;
    const pace = { count: 1000, perMs: 1000, parallel: 2 };
    const worker = createWorker({
      store: h.ctx.store,
      log: silentLog,
      clock: h.clock,
      adapterFor: () => ({
        ...moysklad,
        rateLimit: pace,
        // The pace is the one above, not MoySklad's per token kind.
        rateLimitFor: () => pace,
        async create(lead, ctx) {
          for (const step of ['counterparty', 'order', 'note']) await ctx.fetch(`http://crm.invalid/${step}`, { signal: ctx.signal ?? null });
          return { crmId: lead.id, httpStatus: 200 };
        },
      }),
      fetch: async () => {
        calls++;
        active++;
        peak = Math.max(peak, active);
        // Each request is answered a few event-loop turns later, so the attempts overlap.
        for (let i = 0; i < 3; i++) await tick();
        active--;
        return new Response('{}');
      },
    });
    expect(await worker.runOnce()).toBe(n);
    expect(calls).toBe(3 * n);
    expect(peak).toBe(2);
  });

  it('claims other projects’ jobs while one CRM has its cap in flight and as many waiting', async () => {
    const h = (current = await startHarness({ integration: false }));
    const slowUrl = `${h.crm.url}/slow`;
    await h.admin('PUT', `/projects/${h.projectId}/integration`, {
      type: 'webhook',
      settings: { url: slowUrl, secret: 'webhook-secret' },
      rateLimit: { count: 1000, perSeconds: 1, parallel: 1 },
    });
    for (let i = 0; i < 6; i++) await h.lead(i);
    await h.clock.advance(1);
    // A second project, whose leads come later, sends to another CRM.
    const other = (await h.admin('POST', '/projects', { name: 'Other' })).json as { id: string };
    await h.admin('PUT', `/projects/${other.id}/integration`, { type: 'webhook', settings: { url: h.crm.url, secret: 'webhook-secret' } });
    const res = await h.app.inject({
      method: 'POST',
      url: `/api/site/1.0/${other.id}/leads`,
      headers: { 'content-type': 'text/plain' },
      payload: JSON.stringify({ clientId: 'other-client-1', name: 'Other', phone: '+7 900 555 0000' }),
    });
    expect(res.statusCode).toBe(202);
    const otherLead = (JSON.parse(res.body) as { data: { id: string } }).data.id;

    const cap = createParallelCap();
    const held: (() => void)[] = [];
    const slowSent: string[] = [];
    const otherSent: string[] = [];
    const worker = createWorker({
      store: h.ctx.store,
      log: silentLog,
      clock: h.clock,
      parallel: cap,
      concurrency: 3,
      fetch: async (input, init) => {
        const key = new Headers(init?.headers).get('idempotency-key') ?? '';
        if (String(input) === slowUrl) {
          await new Promise<void>((resolve) => held.push(resolve));
          slowSent.push(key);
        } else {
          otherSent.push(key);
        }
        return new Response('{}', { status: 200, headers: { 'content-type': 'application/json' } });
      },
    });
    worker.start();
    const slowKey = rateLimitKey({ type: 'webhook', settings: { url: slowUrl } });
    // Three slots, all the slow CRM's: one sending, two waiting for its one place.
    while (cap.load(slowKey).inFlight + cap.load(slowKey).waiting < 3) await tick();
    expect(held).toHaveLength(1);
    held.shift()!();
    // A slot is free; the slow CRM still has one in flight and one waiting: the other project goes first.
    while (!otherSent.length) await tick();
    expect(otherSent).toEqual([otherLead]);
    expect(slowSent).toHaveLength(1);
    while (slowSent.length < 6) {
      held.shift()?.();
      await tick();
    }
    await worker.stop();
  });
});

describe('a MoySklad backlog', () => {
  const ROUNDS = 10;
  const LEADS = 12;
  const HOLD_MS = 5;
  // A lead costs MoySklad at most 5 requests (order and counterparty look-ups, counterparty, order):
  // the time allowed is a generous 500 ms per request on top of the hold (about 20 ms on a loaded
  // 2-core machine), never a pace to keep.
  const BUDGET_MS = ROUNDS * LEADS * 5 * (HOLD_MS + 500);

  it(
    `${ROUNDS} rounds of ${LEADS} leads: never a 6th request in flight, none refused, each lead one order`,
    async () => {
      const h = (current = await startHarness({ integration: false }));
      const ms = await startMoySkladMock({ token: 'ms-token', holdMs: HOLD_MS });
      try {
        const put = await h.admin('PUT', `/projects/${h.projectId}/integration`, {
          type: 'moysklad',
          settings: { baseUrl: ms.baseUrl, token: 'ms-token', organizationId: MS_IDS.organization, storeId: MS_IDS.store },
          // The pace lifted so that only the parallel cap (MoySklad's own 5) holds requests back.
          rateLimit: { count: 10_000, perSeconds: 1 },
        });
        expect(put.status).toBe(200);
        const worker = createWorker({ store: h.ctx.store, log: silentLog, clock: systemClock, pollMs: 20 });
        worker.start();
        try {
          for (let round = 0; round < ROUNDS; round++) {
            for (let i = 0; i < LEADS; i++) await h.lead(round * LEADS + i);
            worker.wake();
            // A refused request is retried much later: stop waiting and fail below.
            while (ms.created.orders.length < (round + 1) * LEADS && !ms.inFlight().refused) await tick();
          }
        } finally {
          await worker.stop();
        }
        const flight = ms.inFlight();
        console.log(`MoySklad backlog: ${ROUNDS * LEADS} leads, ${ms.requests.length} requests, at most ${flight.peak} in flight, ${flight.refused} refused`);
        expect(flight.refused).toBe(0);
        expect(flight.peak).toBeLessThanOrEqual(5);
        expect(flight.peak).toBeGreaterThan(1);
        const codes = ms.created.orders.map((o) => o.externalCode);
        expect(new Set(codes).size).toBe(ROUNDS * LEADS);
      } finally {
        await ms.close();
      }
    },
    BUDGET_MS,
  );
});
