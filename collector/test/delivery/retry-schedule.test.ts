import { describe, expect, it } from 'vitest';
import { DEFAULT_RETRY, type RetryPolicy } from '../../../shared/schemas.ts';
import {
  MAX_BACKOFF_MS,
  MAX_RETRY_AFTER_MS,
  decideAfterFailure,
  nextDelay,
  type AttemptError,
} from '../../src/delivery/policy.ts';

const MIN = 60_000;
const HOUR = 60 * MIN;
const transient = (message = 'HTTP 502: bad gateway', retryAfterMs: number | null = null): AttemptError => ({
  message,
  permanent: false,
  retryAfterMs,
});
const exp = (baseSeconds: number, maxAttempts = 20): RetryPolicy => ({ strategy: 'exponential', baseSeconds, maxAttempts });

describe('nextDelay', () => {
  it.each([1, 2, 10, 95, 500])('fixed policy waits baseSeconds after attempt %i', (attempt) => {
    expect(nextDelay(attempt, DEFAULT_RETRY, () => 0.99)).toBe(30 * MIN);
  });

  // [attempt, random, expected ms] for base 10 s
  it.each([
    [1, 0, 10_000],
    [1, 1, 10_000],
    [2, 0, 10_000],
    [2, 1, 20_000],
    [3, 0.5, 25_000],
    [4, 1, 80_000],
    [0, 1, 10_000], // an attempt number below 1 counts as the first
  ])('exponential, attempt %i with random %f waits %i ms', (attempt, r, expected) => {
    expect(nextDelay(attempt, exp(10), () => r)).toBe(expected);
  });

  it('exponential delays stay between base and base·2^(n-1), whatever the randomness', () => {
    for (let attempt = 1; attempt <= 12; attempt++) {
      for (const r of [0, 0.1, 0.5, 0.9, 1, -5, 7]) {
        const d = nextDelay(attempt, exp(5), () => r);
        expect(d).toBeGreaterThanOrEqual(5000);
        expect(d).toBeLessThanOrEqual(5000 * 2 ** (attempt - 1));
      }
    }
  });

  it('exponential delays are capped at MAX_BACKOFF_MS, even for absurd attempt numbers', () => {
    expect(nextDelay(40, exp(60), () => 1)).toBe(MAX_BACKOFF_MS);
    expect(nextDelay(10_000, exp(60), () => 1)).toBe(MAX_BACKOFF_MS);
    expect(Number.isFinite(nextDelay(10_000, exp(1), () => 1))).toBe(true);
  });

  it('a base longer than the cap is still honoured', () => {
    expect(nextDelay(5, exp(24 * 3600), () => 1)).toBe(24 * HOUR);
  });

  it('uses jitter: different random draws give different delays', () => {
    const seen = new Set(Array.from({ length: 20 }, (_, i) => nextDelay(6, exp(1), () => i / 20)));
    expect(seen.size).toBeGreaterThan(10);
  });
});

describe('decideAfterFailure', () => {
  const t0 = Date.UTC(2026, 0, 1);

  it('the default schedule retries every 30 minutes for 2 days, then gives up after 96 attempts', () => {
    let now = t0;
    const runTimes: number[] = [];
    let decision = decideAfterFailure({ attempt: 1, firstAttemptAt: t0, now, policy: DEFAULT_RETRY, error: transient() });
    for (let attempt = 1; decision.kind === 'retry'; ) {
      runTimes.push(decision.runAt);
      now = decision.runAt;
      attempt++;
      decision = decideAfterFailure({ attempt, firstAttemptAt: t0, now, policy: DEFAULT_RETRY, error: transient() });
    }
    expect(runTimes).toHaveLength(95);
    expect(runTimes.every((t, i) => t === t0 + (i + 1) * 30 * MIN)).toBe(true);
    expect(runTimes.at(-1)! - t0).toBe(95 * 30 * MIN); // the 96th attempt, 47.5 h after the first
    expect(decision).toEqual({ kind: 'failed', reason: 'gave up after 96 attempts: HTTP 502: bad gateway' });
  });

  it.each([
    // [attempt, maxAttempts, kind]
    [1, 1, 'failed'],
    [1, 2, 'retry'],
    [2, 2, 'failed'],
    [95, 96, 'retry'],
    [96, 96, 'failed'],
    [97, 96, 'failed'],
  ] as const)('attempt %i of max %i → %s', (attempt, maxAttempts, kind) => {
    const d = decideAfterFailure({ attempt, firstAttemptAt: t0, now: t0, policy: { ...DEFAULT_RETRY, maxAttempts }, error: transient() });
    expect(d.kind).toBe(kind);
  });

  it('says "attempt" for a single one', () => {
    const d = decideAfterFailure({ attempt: 1, firstAttemptAt: t0, now: t0, policy: { ...DEFAULT_RETRY, maxAttempts: 1 }, error: transient('timeout') });
    expect(d).toEqual({ kind: 'failed', reason: 'gave up after 1 attempt: timeout' });
  });

  it('a permanent error stops at once with the CRM’s own message', () => {
    const error = { message: 'HTTP 400: field "Budget" is required', permanent: true, retryAfterMs: null };
    expect(decideAfterFailure({ attempt: 1, firstAttemptAt: t0, now: t0, policy: DEFAULT_RETRY, error })).toEqual({
      kind: 'failed',
      reason: 'HTTP 400: field "Budget" is required',
    });
  });

  it.each([
    // [retryAfterMs, expected delay]: never earlier than Retry-After, never earlier than the schedule
    [null, 30 * MIN],
    [0, 30 * MIN],
    [10_000, 30 * MIN],
    [45 * MIN, 45 * MIN],
    [3 * HOUR, 3 * HOUR],
    [30 * 24 * HOUR, MAX_RETRY_AFTER_MS], // sanity cap
  ])('Retry-After %s ms on the default schedule waits %i ms', (retryAfterMs, expected) => {
    const d = decideAfterFailure({ attempt: 1, firstAttemptAt: t0, now: t0, policy: DEFAULT_RETRY, error: transient('HTTP 429', retryAfterMs) });
    expect(d).toEqual({ kind: 'retry', runAt: t0 + expected });
  });

  it('Retry-After lengthens a short exponential delay', () => {
    const d = decideAfterFailure({ attempt: 1, firstAttemptAt: t0, now: t0, policy: exp(1), error: transient('HTTP 503', 20_000) }, () => 0);
    expect(d).toEqual({ kind: 'retry', runAt: t0 + 20_000 });
  });

  it.each([
    // [now - first attempt, next delay fits?]
    [0, 'retry'],
    [HOUR, 'retry'],
    [1.5 * HOUR, 'retry'], // next at exactly 2 h: still within maxAge
    [1.6 * HOUR, 'failed'],
  ] as const)('maxAgeSeconds of 2 h: %i ms after the first attempt → %s', (elapsed, kind) => {
    const policy: RetryPolicy = { ...DEFAULT_RETRY, maxAgeSeconds: 2 * 3600 };
    const d = decideAfterFailure({ attempt: 2, firstAttemptAt: t0, now: t0 + elapsed, policy, error: transient('down') });
    expect(d.kind).toBe(kind);
    if (d.kind === 'failed') expect(d.reason).toBe('gave up after 2 attempts in 96 min: down');
  });
});
