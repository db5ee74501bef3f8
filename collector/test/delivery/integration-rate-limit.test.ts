// An integration's own pace: `rateLimit: {count, perSeconds, parallel?}` is validated when saved,
// shown by the admin GET, and replaces its CRM type's default pace in the worker.
import { afterEach, describe, expect, it } from 'vitest';
import { webhook } from '../../src/crm/webhook.ts';
import { moysklad } from '../../src/crm/moysklad.ts';
import { paceOf } from '../../src/delivery/rate-limiter.ts';
import { createWorker } from '../../src/delivery/worker.ts';
import type { CrmAdapter } from '../../src/crm/types.ts';
import { silentLog, startHarness, T0, type Harness } from './delivery-harness.ts';

/** Time allowed to store and deliver one lead in-process: far above what a loaded machine needs. */
const PER_LEAD_MS = 60;

let current: Harness | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe('rateLimit in the admin API', () => {
  it('is saved, returned by the GET, and removed by a save without it', async () => {
    const h = (current = await startHarness({ integration: false }));
    const body = { type: 'webhook', settings: { url: h.crm.url, secret: 's' }, rateLimit: { count: 500, perSeconds: 1, parallel: 16 } };
    const put = await h.admin('PUT', `/projects/${h.projectId}/integration`, body);
    expect(put.status).toBe(200);
    expect(put.json).toMatchObject({ rateLimit: { count: 500, perSeconds: 1, parallel: 16 } });
    expect((await h.admin('GET', `/projects/${h.projectId}/integration`)).json).toMatchObject({ rateLimit: { count: 500, perSeconds: 1, parallel: 16 } });
    await h.admin('PUT', `/projects/${h.projectId}/integration`, { ...body, rateLimit: undefined });
    expect((await h.admin('GET', `/projects/${h.projectId}/integration`)).json).not.toHaveProperty('rateLimit');
  });

  it.each([
    ['a count of 0', { count: 0, perSeconds: 1 }],
    ['a fraction', { count: 1.5, perSeconds: 1 }],
    ['no perSeconds', { count: 10 }],
    ['a window over a day', { count: 10, perSeconds: 86_401 }],
    ['more than 100,000 requests a window', { count: 100_001, perSeconds: 1 }],
    ['a parallel cap of 0', { count: 10, perSeconds: 1, parallel: 0 }],
    ['a parallel cap over 256', { count: 10, perSeconds: 1, parallel: 257 }],
    ['a string', { count: '10', perSeconds: 1 }],
  ])('refuses %s with a 400 naming rateLimit, and keeps what was saved', async (_name, rateLimit) => {
    const h = (current = await startHarness());
    const res = await h.admin('PUT', `/projects/${h.projectId}/integration`, { type: 'webhook', settings: { url: h.crm.url }, rateLimit });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ status: 'error', error: 'VALIDATION_ERROR' });
    expect(JSON.stringify(res.json)).toContain('rateLimit');
    expect((await h.admin('GET', `/projects/${h.projectId}/integration`)).json).not.toHaveProperty('rateLimit');
  });
});

describe('the pace the worker keeps', () => {
  it('is the integration’s rateLimit, with the type’s parallel cap unless it sets its own', () => {
    expect(paceOf({}, webhook)).toEqual(webhook.rateLimit);
    expect(paceOf({ rateLimit: { count: 500, perSeconds: 2 } }, moysklad)).toEqual({ count: 500, perMs: 2000, parallel: 5 });
    expect(paceOf({ rateLimit: { count: 500, perSeconds: 2, parallel: 1 } }, moysklad)).toEqual({ count: 500, perMs: 2000, parallel: 1 });
  });

  it('is the type’s pace for its settings when the integration sets none (MoySklad’s token kind)', () => {
    expect(paceOf({ settings: { tokenKind: 'solution' } }, moysklad)).toEqual(moysklad.rateLimitFor!({ tokenKind: 'solution' }));
    expect(paceOf({ settings: { tokenKind: 'solution' } }, moysklad).count).toBeGreaterThan(paceOf({ settings: {} }, moysklad).count);
    expect(paceOf({ settings: { tokenKind: 'solution' }, rateLimit: { count: 3, perSeconds: 3 } }, moysklad)).toEqual({ count: 3, perMs: 3000, parallel: 5 });
  });

  it.each([
    // [what, rateLimit, backlog, expected drain time = (backlog - burst) / rate]
    ['the webhook’s default 50/s', undefined, 300, 5000],
    ['rateLimit 100/s', { count: 100, perSeconds: 1 }, 300, 2000],
    ['rateLimit 20 per 2 s', { count: 20, perSeconds: 2 }, 60, 4000],
  ] as const)('drains a backlog at %s', { timeout: 300 * PER_LEAD_MS + 10_000 }, async (_what, rateLimit, n, expectedMs) => {
    const h = (current = await startHarness({ integration: false }));
    const put = await h.admin('PUT', `/projects/${h.projectId}/integration`, {
      type: 'webhook',
      settings: { url: h.crm.url, secret: 's' },
      ...(rateLimit ? { rateLimit } : {}),
    });
    expect(put.status).toBe(200);
    for (let i = 0; i < n; i++) await h.lead(i);
    const arrivals: number[] = [];
    const instant: CrmAdapter = {
      ...webhook,
      async create(lead) {
        arrivals.push(h.clock.now() - T0);
        return { crmId: lead.id, httpStatus: 200 };
      },
    };
    const worker = createWorker({ store: h.ctx.store, log: silentLog, clock: h.clock, adapterFor: () => instant, pollMs: 100 });
    worker.start();
    // The manual clock moves only when the worker waits: the bound is on the work, not the machine.
    while (arrivals.length < n && h.clock.now() - T0 < 2 * expectedMs + 1000) await h.clock.advance(10);
    await worker.stop();
    expect(arrivals).toHaveLength(n);
    // Within a poll interval and a clock step of the ideal.
    expect(arrivals.at(-1)!).toBeGreaterThanOrEqual(expectedMs - 100);
    expect(arrivals.at(-1)!).toBeLessThanOrEqual(expectedMs + 100 + 10);
  });
});
