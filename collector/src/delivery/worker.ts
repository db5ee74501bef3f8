// The delivery worker: claims due jobs under a lease, runs one attempt per job (attempt.ts: prepare,
// send, record) within the concurrency, and stops gracefully. What happens after a failure is
// decided by the pure functions of policy.ts; the store writes it in one transaction.
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import type { IntegrationType } from '../../../shared/schemas.ts';
import { systemClock, type Clock } from '../clock.ts';
import { undiciSend } from '../crm/http-client.ts';
import { adapterFor as defaultAdapterFor } from '../crm/index.ts';
import type { CrmAdapter, RateLimit } from '../crm/types.ts';
import type { Metrics } from '../metrics.ts';
import type { Job, Store } from '../store/types.ts';
import { createAttempt } from './attempt.ts';
import { createParallelCap, type ParallelCap } from './parallel-cap.ts';
import { createRateLimiter } from './rate-limiter.ts';

export { rateLimitKey } from './attempt.ts';

export interface WorkerOptions {
  store: Store;
  log: Logger;
  /** Time and waiting; tests pass a manual clock. */
  clock?: Clock;
  fetch?: typeof fetch;
  /** How long a claimed job is held before another worker may take it (renewed just before sending). */
  leaseMs?: number;
  pollMs?: number;
  /** Attempts in flight at most. */
  concurrency?: number;
  /** Time limit of one attempt (all its CRM requests, rate-limit waits included); shorter than the lease. */
  requestTimeoutMs?: number;
  /**
   * How long `stop()` waits for the attempts in flight to finish on their own; after it their
   * requests are cancelled and recorded as failed (due again at once, for the next process).
   */
  stopTimeoutMs?: number;
  /** A job whose CRM is throttled for longer than this is left queued instead of holding a slot. */
  maxRateWaitMs?: number;
  /** Requests in flight per CRM, across every slot of this worker. */
  parallel?: ParallelCap;
  metrics?: Metrics;
  adapterFor?: (type: IntegrationType) => CrmAdapter | null;
  random?: () => number;
}

export interface Worker {
  start(): void;
  /**
   * Stops claiming, puts back the jobs still waiting for their turn, and waits (up to
   * `stopTimeoutMs`) for the attempts in flight to finish and be recorded. Resolves when nothing
   * more will touch the store: only then may it be closed.
   */
  stop(): Promise<void>;
  /** Looks for due work at once (called after a lead is stored). */
  wake(): void;
  /** Claims the due jobs (up to the concurrency) and resolves when their attempts are recorded. For tests. */
  runOnce(): Promise<number>;
}

export function createWorker(opts: WorkerOptions): Worker {
  const { store, log } = opts;
  const clock: Clock = opts.clock ?? systemClock;
  const leaseMs = opts.leaseMs ?? 60_000;
  const requestTimeoutMs = opts.requestTimeoutMs ?? Math.min(15_000, Math.floor(leaseMs / 2));
  const stopTimeoutMs = opts.stopTimeoutMs ?? 20_000;
  if (!(requestTimeoutMs > 0 && requestTimeoutMs < leaseMs)) {
    throw new RangeError(`requestTimeoutMs (${requestTimeoutMs}) must be positive and shorter than leaseMs (${leaseMs})`);
  }
  const pollMs = opts.pollMs ?? 500;
  const concurrency = opts.concurrency ?? 32;
  const maxRateWaitMs = Math.min(opts.maxRateWaitMs ?? 2000, leaseMs / 2);
  const limiter = createRateLimiter(clock);
  const parallel = opts.parallel ?? createParallelCap();
  const metrics = opts.metrics;
  const workerId = `w-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  /** Rate-limit bucket and limit of each project seen, to skip throttled projects when claiming. */
  const projectLimits = new Map<string, { key: string; limit: RateLimit }>();
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> | null = null;
  const newStopSignal = () => {
    const c = new AbortController();
    // Every attempt in flight or waiting for its rate limit listens to it: more than the default 10 is expected.
    setMaxListeners(concurrency * 2 + 10, c.signal);
    return c;
  };
  let stopping = newStopSignal();
  /** Aborted when the stop's wait is over: cancels the requests still in flight (each attempt listens to it). */
  let cutoff = newStopSignal();
  let idle: AbortController | null = null;
  let wakeRequested = false;

  /** When each held job's lease ends, as this worker claimed or renewed it. */
  const leaseEnds = new WeakMap<Job, number>();
  const attempt = createAttempt({
    store,
    log,
    clock,
    metrics,
    fetch: opts.fetch ?? fetch,
    // A caller's fetch (tests) is used as given; otherwise CRM requests go over undici's kept-alive pool.
    send: opts.fetch ? null : undiciSend,
    limiter,
    parallel,
    adapterFor: opts.adapterFor ?? defaultAdapterFor,
    random: opts.random ?? Math.random,
    pollMs,
    leaseMs,
    requestTimeoutMs,
    maxRateWaitMs,
    projectLimits,
    leaseEnds,
    stopping: () => stopping.signal,
    cutoff: () => cutoff.signal,
  });

  metrics?.setQueueProbe(async () => {
    const now = clock.now();
    const { depth, oldestDueAt } = await store.queueStats(now);
    return { depth, oldestDueAgeSeconds: oldestDueAt === null ? 0 : Math.max(0, now - oldestDueAt) / 1000 };
  });

  function throttledProjects(): string[] {
    const out: string[] = [];
    for (const [projectId, { key, limit }] of projectLimits) {
      if (limiter.delayFor(key, limit) > maxRateWaitMs || parallel.busy(key, limit)) out.push(projectId);
    }
    return out;
  }

  function track(job: Job): Promise<void> {
    const p = attempt(job)
      .catch((err: unknown) => log.error({ err, jobId: job.id }, 'delivery attempt crashed'))
      .finally(() => {
        inFlight.delete(p);
        // A slot is free: the loop may claim more.
        idle?.abort();
      });
    inFlight.add(p);
    return p;
  }

  async function claim(limit: number): Promise<Job[]> {
    if (limit <= 0) return [];
    const now = clock.now();
    const jobs = await store.claimJobs(workerId, now, limit, leaseMs, throttledProjects());
    for (const job of jobs) leaseEnds.set(job, now + leaseMs);
    return jobs;
  }

  async function run() {
    while (running) {
      wakeRequested = false;
      const free = concurrency - inFlight.size;
      let claimed: Job[] = [];
      try {
        claimed = await claim(free);
      } catch (err) {
        log.error({ err }, 'claiming delivery jobs failed');
      }
      for (const job of claimed) track(job);
      if (!running) break;
      // A full claim may mean more due work: look again at once, as slots allow.
      if (claimed.length > 0 && claimed.length === free) {
        if (inFlight.size >= concurrency) {
          await Promise.race(inFlight);
          // Let the other attempts recorded in the same commit finish too, so one claim fills
          // several slots instead of one claim (and one commit) per freed slot.
          await new Promise((resolve) => setImmediate(resolve));
        }
        continue;
      }
      if (wakeRequested) continue;
      idle = new AbortController();
      await clock.sleep(pollMs, idle.signal).catch(() => undefined);
      idle = null;
    }
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = newStopSignal();
      cutoff = newStopSignal();
      loop = run();
    },
    async stop() {
      running = false;
      stopping.abort(new Error('the worker is stopping'));
      idle?.abort();
      await loop;
      loop = null;
      if (inFlight.size > 0) log.info({ inFlight: inFlight.size, stopTimeoutMs }, 'stopping: waiting for the delivery attempts in flight');
      const settled = Promise.allSettled([...inFlight]).then(() => true);
      if (await raceTimer(settled, stopTimeoutMs)) return;
      log.warn({ inFlight: inFlight.size, stopTimeoutMs }, 'attempts still in flight at the stop deadline: cancelling them');
      cutoff.abort(new Error('the worker stopped'));
      // Their failures are recorded at once; a store that hangs must not hold the exit forever.
      if (!(await raceTimer(settled, 5000))) log.error({ inFlight: inFlight.size }, 'attempts not recorded before the stop; their leases expire');
    },
    wake() {
      wakeRequested = true;
      idle?.abort();
    },
    async runOnce() {
      const jobs = await claim(concurrency);
      await Promise.all(jobs.map(track));
      return jobs.length;
    },
  };
}

/** Whether `p` resolved within `ms` (a real timer: a deadline for the process, not the manual clock of tests). */
async function raceTimer(p: Promise<boolean>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([p, late]);
  } finally {
    clearTimeout(timer);
  }
}
