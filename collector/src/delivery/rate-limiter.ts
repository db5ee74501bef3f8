// A token bucket per integration, so a backlog drains at the CRM's documented pace instead of
// earning a wall of 429s. Waiters of one key are served first come, first served.
import type { Integration } from '../../../shared/schemas.ts';
import type { Clock } from '../clock.ts';
import type { CrmAdapter, RateLimit } from '../crm/types.ts';

export interface RateLimiter {
  /** Resolves when a request to `key` may be sent; rejects if `signal` aborts while waiting. */
  acquire(key: string, limit: RateLimit, signal?: AbortSignal): Promise<void>;
  /** Sends nothing to `key` for `ms` (the CRM answered 429), then one request, then the base rate without a burst. */
  penalize(key: string, ms: number): void;
  /**
   * About how long an acquire made now would wait (queued waiters included), without taking a token:
   * the worker puts a job back for later rather than hold a slot through a long wait.
   */
  delayFor(key: string, limit: RateLimit): number;
}

/** The integration's own `rateLimit` if it set one, else its CRM's documented pace and parallel cap. */
export function paceOf(integration: Pick<Integration, 'rateLimit'> & { settings?: Integration['settings'] }, adapter: Pick<CrmAdapter, 'rateLimit' | 'rateLimitFor'>): RateLimit {
  // The type's pace, or the one its settings call for (MoySklad's token kind).
  const typePace = adapter.rateLimitFor?.(integration.settings ?? {}) ?? adapter.rateLimit;
  const own = integration.rateLimit;
  if (!own) return typePace;
  return { count: own.count, perMs: own.perSeconds * 1000, parallel: own.parallel ?? typePace.parallel };
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date. */
  updatedAt: number;
  pausedUntil: number;
  /** Acquires queued or waiting for a token. */
  waiting: number;
  /** Settles when the last queued waiter is done; the next waiter waits on it. */
  tail: Promise<void>;
}

function checkLimit(limit: RateLimit): void {
  if (!(limit.count > 0) || !(limit.perMs > 0) || (limit.burst !== undefined && !(limit.burst >= 1))) {
    throw new RangeError(`invalid rate limit ${JSON.stringify(limit)}: count and perMs must be positive, burst at least 1`);
  }
}

function waitFor(p: Promise<void>, signal?: AbortSignal): Promise<void> {
  if (!signal) return p;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
  });
}

export function createRateLimiter(clock: Clock): RateLimiter {
  const buckets = new Map<string, Bucket>();

  const bucketFor = (key: string, capacity: number): Bucket => {
    let b = buckets.get(key);
    if (!b) {
      b = { tokens: capacity, updatedAt: clock.now(), pausedUntil: 0, waiting: 0, tail: Promise.resolve() };
      buckets.set(key, b);
    }
    return b;
  };

  const refill = (b: Bucket, capacity: number, perToken: number) => {
    const now = clock.now();
    if (now > b.updatedAt) {
      b.tokens = Math.min(capacity, b.tokens + (now - b.updatedAt) / perToken);
      b.updatedAt = now;
    }
  };

  return {
    async acquire(key, limit, signal) {
      checkLimit(limit);
      const capacity = limit.burst ?? limit.count;
      const perToken = limit.perMs / limit.count;
      const b = bucketFor(key, capacity);
      const previous = b.tail;
      let done!: () => void;
      const mine = new Promise<void>((resolve) => (done = resolve));
      b.tail = previous.then(() => mine);
      b.waiting++;
      try {
        await waitFor(previous, signal);
        for (;;) {
          refill(b, capacity, perToken);
          const now = clock.now();
          if (b.pausedUntil > now) {
            await clock.sleep(b.pausedUntil - now, signal);
            continue;
          }
          // A small epsilon: float division must not leave a waiter one tick short forever.
          if (b.tokens >= 1 - 1e-9) {
            b.tokens = Math.max(0, b.tokens - 1);
            return;
          }
          await clock.sleep(Math.ceil((1 - b.tokens) * perToken), signal);
        }
      } finally {
        b.waiting--;
        done();
      }
    },
    delayFor(key, limit) {
      checkLimit(limit);
      const capacity = limit.burst ?? limit.count;
      const perToken = limit.perMs / limit.count;
      const b = bucketFor(key, capacity);
      refill(b, capacity, perToken);
      const now = clock.now();
      const start = Math.max(now, b.pausedUntil, b.updatedAt);
      const missing = b.waiting + 1 - b.tokens;
      return Math.max(0, start - now + Math.ceil(Math.max(0, missing) * perToken));
    },
    penalize(key, ms) {
      if (!(ms > 0)) return;
      const b = bucketFor(key, 0);
      const until = clock.now() + ms;
      if (until > b.pausedUntil) {
        b.pausedUntil = until;
        // When the pause ends one request may go (a probe), then the base rate: no burst.
        b.tokens = 1;
        b.updatedAt = until;
      }
    },
  };
}
