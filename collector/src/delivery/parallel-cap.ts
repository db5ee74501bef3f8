// A cap on the requests in flight to each CRM, across every worker slot of this process: MoySklad
// refuses a 6th parallel request (and switches API access off for an account that keeps trying),
// and a slow receiver should not hold every slot. Keys are the rate limiter's; waiters of one key
// are served first come, first served. With several processes the cap holds per process.
import { DEFAULT_PARALLEL, type RateLimit } from '../crm/types.ts';

export interface ParallelCap {
  /**
   * Resolves with the function that gives the place back once a request to `key` may go
   * (fewer than `max` in flight); rejects if `signal` aborts while waiting.
   */
  acquire(key: string, max: number, signal?: AbortSignal): Promise<() => void>;
  /** Requests to `key` in flight and waiting for a place. */
  load(key: string): { inFlight: number; waiting: number };
  /**
   * True while `key` has a full house and a queue as long again: the worker claims other projects'
   * jobs first, so a slow CRM does not hold every slot.
   */
  busy(key: string, limit: RateLimit): boolean;
}

interface Waiter {
  max: number;
  grant: () => void;
}

interface Lane {
  inFlight: number;
  queue: Waiter[];
}

export function parallelOf(limit: RateLimit): number {
  return limit.parallel ?? DEFAULT_PARALLEL;
}

export function createParallelCap(): ParallelCap {
  const lanes = new Map<string, Lane>();

  const laneOf = (key: string): Lane => {
    let lane = lanes.get(key);
    if (!lane) {
      lane = { inFlight: 0, queue: [] };
      lanes.set(key, lane);
    }
    return lane;
  };

  const releaser = (key: string, lane: Lane) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      lane.inFlight--;
      // Hand the place to the next waiter that fits (each may have come with its own cap).
      while (lane.queue.length && lane.inFlight < lane.queue[0]!.max) lane.queue.shift()!.grant();
      if (lane.inFlight === 0 && !lane.queue.length) lanes.delete(key);
    };
  };

  return {
    acquire(key, max, signal) {
      if (!(Number.isInteger(max) && max >= 1)) return Promise.reject(new RangeError(`invalid parallel cap ${max}: a whole number of at least 1`));
      if (signal?.aborted) return Promise.reject(signal.reason);
      const lane = laneOf(key);
      if (lane.inFlight < max && !lane.queue.length) {
        lane.inFlight++;
        return Promise.resolve(releaser(key, lane));
      }
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const i = lane.queue.indexOf(waiter);
          if (i >= 0) lane.queue.splice(i, 1);
          if (lane.inFlight === 0 && !lane.queue.length) lanes.delete(key);
          reject(signal!.reason);
        };
        const waiter: Waiter = {
          max,
          grant: () => {
            signal?.removeEventListener('abort', onAbort);
            lane.inFlight++;
            resolve(releaser(key, lane));
          },
        };
        lane.queue.push(waiter);
        signal?.addEventListener('abort', onAbort, { once: true });
      });
    },
    load(key) {
      const lane = lanes.get(key);
      return { inFlight: lane?.inFlight ?? 0, waiting: lane?.queue.length ?? 0 };
    },
    busy(key, limit) {
      const lane = lanes.get(key);
      return !!lane && lane.queue.length >= parallelOf(limit);
    },
  };
}
