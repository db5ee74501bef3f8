// A test double for the collector's Clock: time moves only when the test calls advance(), so a 2-day
// retry schedule runs in milliseconds and never depends on the machine's speed.
import { abortReason, type Clock } from '../collector/src/clock.ts';

export interface ManualClock extends Clock {
  /**
   * Moves time forward by `ms`, waking due sleepers one at a time in the order they are due and
   * letting each one's continuation run (and schedule new sleeps) before the next wakes.
   */
  advance(ms: number): Promise<void>;
  /** Number of sleeps not yet resolved. */
  pendingSleeps(): number;
  /** When the earliest pending sleep is due, or null when none is pending. */
  nextWakeAt(): number | null;
}

interface Sleeper {
  at: number;
  seq: number;
  resolve: () => void;
}

/** Lets every queued promise continuation run (setImmediate runs after the microtask queue drains). */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

export function createManualClock(start = 0): ManualClock {
  let now = start;
  let seq = 0;
  const sleepers: Sleeper[] = [];

  const remove = (s: Sleeper) => {
    const i = sleepers.indexOf(s);
    if (i >= 0) sleepers.splice(i, 1);
  };

  return {
    now: () => now,
    sleep(ms, signal) {
      if (signal?.aborted) return Promise.reject(abortReason(signal));
      if (!(ms > 0)) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        const sleeper: Sleeper = {
          at: now + ms,
          seq: seq++,
          resolve: () => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
          },
        };
        const onAbort = () => {
          remove(sleeper);
          reject(abortReason(signal!));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        sleepers.push(sleeper);
      });
    },
    async advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`advance: ms must be a non-negative number, got ${ms}`);
      const target = now + ms;
      for (;;) {
        await flush();
        let next: Sleeper | undefined;
        for (const s of sleepers) {
          if (s.at <= target && (!next || s.at < next.at || (s.at === next.at && s.seq < next.seq))) next = s;
        }
        if (!next) break;
        remove(next);
        now = Math.max(now, next.at);
        next.resolve();
      }
      now = target;
      await flush();
    },
    pendingSleeps: () => sleepers.length,
    nextWakeAt: () => (sleepers.length ? Math.min(...sleepers.map((s) => s.at)) : null),
  };
}
