import { describe, expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../../test-support/manual-clock.ts';
import type { RateLimit } from '../../src/crm/types.ts';
import { createRateLimiter, type RateLimiter } from '../../src/delivery/rate-limiter.ts';

const AMOCRM: RateLimit = { count: 7, perMs: 1000 };
const BITRIX24: RateLimit = { count: 2, perMs: 1000, burst: 50 };
const HUBSPOT: RateLimit = { count: 100, perMs: 10_000 };

/** Starts `n` acquires at once and returns when each was granted (ms after the start). */
async function drain(clock: ManualClock, limiter: RateLimiter, key: string, limit: RateLimit, n: number, stepMs = 5) {
  const start = clock.now();
  const granted: number[] = [];
  const all = Array.from({ length: n }, () => limiter.acquire(key, limit).then(() => granted.push(clock.now() - start)));
  while (granted.length < n) await clock.advance(stepMs);
  await Promise.all(all);
  return granted;
}

describe('rate limiter', () => {
  it.each([
    // [name, limit, backlog, expected ms to drain = (backlog - burst) / rate]
    ['amoCRM 7/s', AMOCRM, 77, (70 / 7) * 1000],
    ['Bitrix24 2/s with a burst of 50', BITRIX24, 80, (30 / 2) * 1000],
    ['HubSpot 100 per 10 s', HUBSPOT, 250, (150 / 100) * 10_000],
  ] as const)('%s: a backlog drains at the configured rate', async (_name, limit, n, expectedMs) => {
    const clock = createManualClock(0);
    const granted = await drain(clock, createRateLimiter(clock), 'k', limit, n);
    const burst = limit.burst ?? limit.count;
    expect(granted.slice(0, burst).every((t) => t === 0)).toBe(true);
    // Within one step of the manual clock plus one token's rounding.
    const last = granted.at(-1)!;
    expect(Math.abs(last - expectedMs)).toBeLessThanOrEqual(5 + limit.perMs / limit.count);
    // The token bucket's guarantee: over any interval, at most burst + rate × its length.
    const rate = limit.count / limit.perMs;
    for (let i = 0; i < granted.length; i += 7) {
      for (let j = i; j < granted.length; j += 3) {
        expect(j - i + 1).toBeLessThanOrEqual(burst + rate * (granted[j]! - granted[i]!) + 1e-6);
      }
    }
    // And after the burst, the pace is the configured rate: one window holds about `count` grants.
    const afterBurst = granted.slice(burst);
    const firstWindow = afterBurst.filter((t) => t <= afterBurst[0]! + limit.perMs - 1).length;
    expect(Math.abs(firstWindow - limit.count)).toBeLessThanOrEqual(1);
    expect(granted).toEqual([...granted].sort((a, b) => a - b));
  });

  it('keys are independent', async () => {
    const clock = createManualClock(0);
    const limiter = createRateLimiter(clock);
    await drain(clock, limiter, 'a', { count: 1, perMs: 1000 }, 1);
    let bGranted = false;
    void limiter.acquire('b', { count: 1, perMs: 1000 }).then(() => (bGranted = true));
    await clock.advance(0);
    expect(bGranted).toBe(true);
  });

  it('a full bucket refills over time: after a pause the burst is available again', async () => {
    const clock = createManualClock(0);
    const limiter = createRateLimiter(clock);
    await drain(clock, limiter, 'k', AMOCRM, 7);
    await clock.advance(1000);
    const granted = await drain(clock, limiter, 'k', AMOCRM, 7);
    expect(granted.every((t) => t === 0)).toBe(true);
  });

  it('penalize pauses a key, then resumes at the base rate without a burst', async () => {
    const clock = createManualClock(0);
    const limiter = createRateLimiter(clock);
    limiter.penalize('k', 5000);
    const granted = await drain(clock, limiter, 'k', AMOCRM, 3, 1);
    expect(granted[0]).toBeGreaterThanOrEqual(5000);
    expect(granted[2]! - granted[0]!).toBeGreaterThanOrEqual(2 * (1000 / 7) - 2);
  });

  it('a penalty given while requests wait delays them too', async () => {
    const clock = createManualClock(0);
    const limiter = createRateLimiter(clock);
    const granted: number[] = [];
    const waits = Array.from({ length: 9 }, () => limiter.acquire('k', AMOCRM).then(() => granted.push(clock.now())));
    await clock.advance(0);
    expect(granted).toHaveLength(7);
    limiter.penalize('k', 30_000);
    await clock.advance(29_000);
    expect(granted).toHaveLength(7);
    await clock.advance(2000);
    await Promise.all(waits);
    expect(Math.min(...granted.slice(7))).toBeGreaterThanOrEqual(30_000);
  });

  it('an aborted waiter rejects and does not hold up the ones behind it', async () => {
    const clock = createManualClock(0);
    const limiter = createRateLimiter(clock);
    const limit = { count: 1, perMs: 1000 };
    await limiter.acquire('k', limit);
    const ac = new AbortController();
    const aborted = limiter.acquire('k', limit, ac.signal);
    let nextAt = -1;
    const next = limiter.acquire('k', limit).then(() => (nextAt = clock.now()));
    await clock.advance(100);
    ac.abort(new Error('shutting down'));
    await expect(aborted).rejects.toThrow('shutting down');
    await clock.advance(1000);
    await next;
    expect(nextAt).toBe(1000);
  });

  it('estimates the wait of the next acquire, queued waiters and penalties included', async () => {
    const clock = createManualClock(0);
    const limiter = createRateLimiter(clock);
    const limit = { count: 2, perMs: 1000, burst: 2 };
    expect(limiter.delayFor('k', limit)).toBe(0);
    await limiter.acquire('k', limit);
    await limiter.acquire('k', limit);
    expect(limiter.delayFor('k', limit)).toBe(500);
    void limiter.acquire('k', limit);
    void limiter.acquire('k', limit);
    await clock.advance(0);
    expect(limiter.delayFor('k', limit)).toBe(1500);
    limiter.penalize('other', 60_000);
    expect(limiter.delayFor('other', limit)).toBe(60_000);
    await clock.advance(1000);
    expect(limiter.delayFor('k', limit)).toBe(500);
  });

  it.each([
    { count: 0, perMs: 1000 },
    { count: 5, perMs: 0 },
    { count: 5, perMs: 1000, burst: 0 },
    { count: Number.NaN, perMs: 1000 },
  ])('rejects an invalid limit %o', async (limit) => {
    const clock = createManualClock(0);
    await expect(createRateLimiter(clock).acquire('k', limit)).rejects.toThrow(RangeError);
  });
});
