// Retry decisions as pure functions: what the worker does after a failed attempt is decided here,
// in one place, from the attempt number, the policy and the error. No I/O, no clock reads.
import type { RetryPolicy } from '../../../shared/schemas.ts';

/** Exponential backoff never waits longer than this between two attempts (unless its base is longer). */
export const MAX_BACKOFF_MS = 12 * 3600_000;
/** A Retry-After further away than this is treated as this: a CRM's typo must not park a lead for weeks. */
export const MAX_RETRY_AFTER_MS = 24 * 3600_000;

/**
 * Milliseconds to wait after failed attempt number `attempt` (1 = the first attempt failed).
 * fixed: `baseSeconds` every time (Roistat's schedule: 30 minutes).
 * exponential: a random delay between base and base·2^(attempt-1) ("full jitter" with a floor of
 * base, so retries of many leads spread out and none comes back sooner than base), capped at
 * MAX_BACKOFF_MS or base, whichever is longer.
 */
export function nextDelay(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const base = policy.baseSeconds * 1000;
  if (policy.strategy === 'fixed') return base;
  const n = Math.max(1, Math.floor(attempt));
  // 2^60 already exceeds any cap; bounding the exponent keeps the arithmetic finite.
  const ceiling = Math.min(base * 2 ** Math.min(n - 1, 60), Math.max(MAX_BACKOFF_MS, base));
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(base + r * (ceiling - base));
}

export interface AttemptError {
  message: string;
  /** A retry cannot fix it (bad credentials, a validation error). */
  permanent: boolean;
  /** From Retry-After or the CRM's rate-limit headers (429/503). */
  retryAfterMs: number | null;
}

export interface FailureInput {
  /** Attempts made so far, the failed one included (1 after the first failure). */
  attempt: number;
  /** When the first attempt was made (ms since epoch). */
  firstAttemptAt: number;
  now: number;
  policy: RetryPolicy;
  error: AttemptError;
}

export type FailureDecision = { kind: 'retry'; runAt: number } | { kind: 'failed'; reason: string };

function formatDuration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.round(minutes / 60);
  return hours < 72 ? `${hours} h` : `${Math.round(hours / 24)} days`;
}

/** What to do after a failed attempt: retry at `runAt`, or give up with the reason shown to the user. */
export function decideAfterFailure(input: FailureInput, random: () => number = Math.random): FailureDecision {
  const { attempt, firstAttemptAt, now, policy, error } = input;
  if (error.permanent) return { kind: 'failed', reason: error.message };
  if (attempt >= policy.maxAttempts) {
    return { kind: 'failed', reason: `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'}: ${error.message}` };
  }
  let delay = nextDelay(attempt, policy, random);
  if (error.retryAfterMs !== null && error.retryAfterMs > 0) {
    delay = Math.max(delay, Math.min(error.retryAfterMs, MAX_RETRY_AFTER_MS));
  }
  const runAt = now + delay;
  if (policy.maxAgeSeconds !== undefined && runAt - firstAttemptAt > policy.maxAgeSeconds * 1000) {
    return {
      kind: 'failed',
      reason: `gave up after ${attempt} attempt${attempt === 1 ? '' : 's'} in ${formatDuration(now - firstAttemptAt)}: ${error.message}`,
    };
  }
  return { kind: 'retry', runAt };
}
