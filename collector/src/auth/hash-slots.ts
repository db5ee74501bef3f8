// Password hashes at once (README "Users and roles"): each scrypt hash takes 128 MiB and a libuv
// thread (the pool also serves DNS lookups and file reads), and a burst of logins is checked against
// the failed-login limit before any of them has failed. So a few hashes run at a time, a few more
// wait, and a login past that is refused at once with 429 RATE_LIMITED, never queued without bound.
import { ApiError } from '../errors.ts';

export interface HashSlotLimits {
  /** Hashes computed at once. */
  concurrent: number;
  /** Hashes waiting for a slot; past them a login is refused. */
  queued: number;
}

export const DEFAULT_HASH_SLOTS: HashSlotLimits = { concurrent: 2, queued: 16 };

export function createHashSlots(limits: HashSlotLimits = DEFAULT_HASH_SLOTS) {
  let running = 0;
  const waiting: (() => void)[] = [];

  const release = () => {
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  };

  return {
    /** Runs `fn` in a slot; throws RATE_LIMITED at once when every slot and queue place is taken. */
    async run<T>(fn: () => Promise<T>): Promise<T> {
      if (running < limits.concurrent) running += 1;
      else if (waiting.length < limits.queued) await new Promise<void>((resolve) => waiting.push(resolve));
      else throw new ApiError('RATE_LIMITED', 'Too many logins at once; try again in a few seconds.');
      try {
        return await fn();
      } finally {
        release();
      }
    },
    /** Hashes running and waiting now (for tests and metrics). */
    load: () => ({ running, waiting: waiting.length }),
  };
}
