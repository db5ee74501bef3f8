// The delivery worker: claims due jobs under a lease, paces them through each CRM's rate limiter,
// sends them through the project's adapter, and records every attempt. What happens after a
// failure is decided by the pure functions of policy.ts; the store writes it in one transaction.
import { setMaxListeners } from 'node:events';
import type { Logger } from 'pino';
import { DEFAULT_RETRY, type Integration, type IntegrationType, type Lead } from '../../../shared/schemas.ts';
import { systemClock, type Clock } from '../clock.ts';
import { crmRequest, excerpt, maskSecrets, webhookErrorFromResponse } from '../crm/http.ts';
import { adapterFor as defaultAdapterFor } from '../crm/index.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmResult, type RateLimit } from '../crm/types.ts';
import type { Metrics } from '../metrics.ts';
import type { AttemptRecord, Job, Store } from '../store/types.ts';
import { decideAfterFailure } from './policy.ts';
import { createParallelCap, parallelOf, type ParallelCap } from './parallel-cap.ts';
import { createRateLimiter, paceOf, type RateLimiter } from './rate-limiter.ts';

/** Call-back webhooks are the site's own endpoint: a polite pace, not a CRM's. */
const CALLBACK_RATE_LIMIT: RateLimit = { count: 10, perMs: 1000 };

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
  limiter?: RateLimiter;
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

/** The rate-limit bucket of an integration: projects sending to the same CRM account share it. */
export function rateLimitKey(integration: Pick<Integration, 'type' | 'settings'>): string {
  const s = integration.settings;
  return `${integration.type}:${s.baseUrl || s.webhookUrl || s.url || ''}`;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The integration's secret values, to mask in recorded errors (a CRM may echo a credential back). */
function secretValues(integration: Integration, adapter: CrmAdapter): string[] {
  return adapter.secretSettings
    .map((name) => integration.settings[name]?.trim() ?? '')
    .filter((v) => v.length >= 8)
    .sort((a, b) => b.length - a.length);
}

const STOPPED_MESSAGE = 'the collector stopped before the CRM answered; the next start sends it again';

export function createWorker(opts: WorkerOptions): Worker {
  const { store, log } = opts;
  const clock: Clock = opts.clock ?? systemClock;
  const doFetch = opts.fetch ?? fetch;
  const leaseMs = opts.leaseMs ?? 60_000;
  const requestTimeoutMs = opts.requestTimeoutMs ?? Math.min(15_000, Math.floor(leaseMs / 2));
  const stopTimeoutMs = opts.stopTimeoutMs ?? 20_000;
  if (!(requestTimeoutMs > 0 && requestTimeoutMs < leaseMs)) {
    throw new RangeError(`requestTimeoutMs (${requestTimeoutMs}) must be positive and shorter than leaseMs (${leaseMs})`);
  }
  const pollMs = opts.pollMs ?? 500;
  const concurrency = opts.concurrency ?? 32;
  const maxRateWaitMs = Math.min(opts.maxRateWaitMs ?? 2000, leaseMs / 2);
  const limiter = opts.limiter ?? createRateLimiter(clock);
  const parallel = opts.parallel ?? createParallelCap();
  const adapterFor = opts.adapterFor ?? defaultAdapterFor;
  const random = opts.random ?? Math.random;
  const metrics = opts.metrics;
  const workerId = `w-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  /** Rate-limit bucket and limit of each project seen, to skip throttled projects when claiming. */
  const projectLimits = new Map<string, { key: string; limit: RateLimit }>();
  const inFlight = new Set<Promise<void>>();
  let running = false;
  let loop: Promise<void> | null = null;
  const newStopSignal = () => {
    const c = new AbortController();
    // Every attempt waiting for its rate limit listens to it: more than the default 10 is expected.
    setMaxListeners(concurrency * 2 + 10, c.signal);
    return c;
  };
  let stopping = newStopSignal();
  /** Aborted when the stop's wait is over: cancels the requests still in flight. */
  let cutoff = new AbortController();
  let idle: AbortController | null = null;
  let wakeRequested = false;

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

  function record(at: number, ok: boolean, httpStatus: number | null, error: string | null): AttemptRecord {
    return { at, ok, httpStatus, error, durationMs: Math.max(0, clock.now() - at) };
  }

  /**
   * A fetch that takes a place among the CRM's requests in flight, then spends one token of its rate
   * limit, per request: an adapter may make several requests for one lead (contact, deal, note). The
   * first request's place and token were taken before the attempt began, in that order, so no token
   * waits for a place and requests leave at the pace.
   */
  function pacedFetch(key: string, limit: RateLimit, firstPlace: () => void): typeof fetch {
    let first: (() => void) | null = firstPlace;
    return async (input, init) => {
      const prepaid = first;
      first = null;
      const release = prepaid ?? (await parallel.acquire(key, parallelOf(limit), init?.signal ?? undefined));
      try {
        if (!prepaid) await limiter.acquire(key, limit, init?.signal ?? undefined);
        return await doFetch(input, init);
      } finally {
        release();
      }
    };
  }

  async function send(job: Job, lead: Lead, integration: Integration, adapter: CrmAdapter, paced: typeof fetch): Promise<CrmResult> {
    const signal = AbortSignal.any([AbortSignal.timeout(requestTimeoutMs), cutoff.signal]);
    const ctx: CrmContext = { settings: integration.settings, fetch: paced, signal };
    if (job.kind === 'create') return adapter.create(lead, ctx);
    if (job.kind === 'note') {
      const payload = job.payload as { title?: unknown; message?: unknown };
      // The key comes from the job's id: one per comment, the same on every retry, never the text.
      const note = { title: String(payload.title ?? ''), message: String(payload.message ?? ''), key: `${job.leadId}:note:${job.id}` };
      await adapter.addNote(lead, lead.crmId ?? '', note, ctx);
      return { crmId: null, httpStatus: null };
    }
    return sendCallback(job, integration.callbackUrl ?? '', ctx);
  }

  async function attempt(job: Job): Promise<void> {
    const lead = await store.getLead(job.projectId, job.leadId);
    if (!lead) return; // deleted with its project: the job went with it
    const integration = await store.getIntegration(job.projectId);
    const adapter = integration?.enabled ? adapterFor(integration.type) : null;
    if (!integration || !adapter) {
      // Parked until an integration is enabled (which queues them again), not polled.
      await store.parkJob(job);
      log.info({ leadId: lead.id, kind: job.kind }, 'no enabled integration: the job waits for one');
      return;
    }
    if (job.kind === 'note' && (lead.status !== 'sent' || !(lead.crmId || adapter.notesByLeadId))) {
      const never =
        lead.status === 'sent'
          ? 'the CRM answered without a deal id for this lead, so the comment cannot be added to its deal'
          : lead.status === 'failed' || lead.status === 'not_sent' || lead.status === 'duplicate'
            ? 'the deal was never made'
            : null;
      if (never) {
        const now = clock.now();
        await store.failJob(job, record(now, false, null, never), null, never);
      } else {
        // The deal is not in the CRM yet: the note waits for it, and no sooner than its next try.
        const next = lead.nextAttemptAt ? Date.parse(lead.nextAttemptAt) + 1000 : 0;
        await store.releaseJob(job, Math.max(clock.now() + pollMs * 4, next));
      }
      return;
    }

    // Call-back requests go to the site's own URL, not the CRM: the CRM's limit does not apply.
    const key = job.kind === 'callback' ? `callback:${integration.callbackUrl ?? ''}` : rateLimitKey(integration);
    const limit = job.kind === 'callback' ? CALLBACK_RATE_LIMIT : paceOf(integration, adapter);
    if (job.kind !== 'callback') projectLimits.set(job.projectId, { key, limit });
    if (limiter.delayFor(key, limit) > maxRateWaitMs) {
      // Throttled: leave it queued (run time unchanged, so the order holds) and free the slot.
      await store.releaseJob(job, job.runAt);
      return;
    }
    let firstPlace: (() => void) | undefined;
    try {
      firstPlace = await parallel.acquire(key, parallelOf(limit), stopping.signal);
      await limiter.acquire(key, limit, stopping.signal);
    } catch {
      firstPlace?.();
      await store.releaseJob(job, job.runAt); // shutting down before its turn came
      return;
    }
    // The lease must cover the attempt. A job sent soon after its claim is still covered; one that
    // waited (for the rate limiter) renews it first. Renewing every time cost a commit per attempt.
    const leaseEnd = leaseEnds.get(job) ?? 0;
    if (clock.now() + 2 * requestTimeoutMs > leaseEnd) {
      const renewed = await store.renewLease(job, clock.now() + leaseMs).catch((err: unknown) => {
        firstPlace();
        throw err;
      });
      if (!renewed) {
        log.warn({ leadId: lead.id, jobId: job.id }, 'lease lost before sending; another worker has the job');
        firstPlace();
        return;
      }
      leaseEnds.set(job, clock.now() + leaseMs);
    }

    const policy = integration.retry ?? DEFAULT_RETRY;
    const attemptNo = job.attempts + 1;
    const started = clock.now();
    try {
      const { crmId, httpStatus, droppedFields, pendingNotes } = await send(job, lead, integration, adapter, pacedFetch(key, limit, firstPlace)).finally(firstPlace);
      // Fields the CRM refused are recorded with the attempt; notes the adapter could not add become note jobs.
      await store.completeJob(job, { ...record(started, true, httpStatus, null), ...(droppedFields?.length ? { droppedFields } : {}) }, crmId, pendingNotes);
      metrics?.recordAttempt('sent', clock.now() - started, integration.type);
      if (job.kind === 'create') {
        metrics?.recordDelivered(clock.now() - Date.parse(lead.createdAt), integration.type);
        log.info({ leadId: lead.id, crmId, attempt: attemptNo }, `lead delivered on attempt ${attemptNo}`);
      }
    } catch (err) {
      if (cutoff.signal.aborted) {
        // Cut off by the stop: not the CRM's fault, so no backoff; the next process sends it at once.
        await store.failJob(job, record(started, false, null, STOPPED_MESSAGE), clock.now(), STOPPED_MESSAGE);
        log.warn({ leadId: lead.id, kind: job.kind }, STOPPED_MESSAGE);
        return;
      }
      const raw = err instanceof CrmError ? err : new CrmError(`unexpected error: ${errorMessage(err)}`, { permanent: false });
      const crmErr = new CrmError(maskSecrets(raw.message, secretValues(integration, adapter)), raw);
      const now = clock.now();
      const decision = decideAfterFailure(
        {
          attempt: attemptNo,
          firstAttemptAt: job.firstAttemptAt ?? started,
          now,
          policy,
          error: { message: crmErr.message, permanent: crmErr.permanent, retryAfterMs: crmErr.retryAfterMs },
        },
        random,
      );
      if (crmErr.httpStatus === 429 || (crmErr.httpStatus === 503 && crmErr.retryAfterMs)) {
        // The whole account is throttled, not just this lead: hold every job of this CRM.
        limiter.penalize(key, crmErr.retryAfterMs ?? limit.perMs);
      }
      const attemptRecord = record(started, false, crmErr.httpStatus, crmErr.message);
      if (decision.kind === 'retry') {
        await store.failJob(job, attemptRecord, decision.runAt, crmErr.message);
        metrics?.recordAttempt('retry', attemptRecord.durationMs, integration.type);
        log.warn(
          { leadId: lead.id, kind: job.kind, httpStatus: crmErr.httpStatus, err: crmErr.message, nextAt: new Date(decision.runAt).toISOString() },
          `attempt ${attemptNo} of ${policy.maxAttempts} failed`,
        );
      } else {
        await store.failJob(job, attemptRecord, null, decision.reason);
        metrics?.recordAttempt('failed', attemptRecord.durationMs, integration.type);
        log.warn({ leadId: lead.id, kind: job.kind, httpStatus: crmErr.httpStatus }, `delivery failed for good: ${decision.reason}`);
      }
    }
  }

  /** The call-back request: the site's own endpoint, treated as a webhook (no redirects, the webhook's retry rules). */
  async function sendCallback(job: Job, url: string, ctx: CrmContext): Promise<CrmResult> {
    if (!url) throw new CrmError('no call-back URL is set', { permanent: true });
    const res = await crmRequest(ctx, url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `${job.leadId}:callback` },
      body: JSON.stringify({ leadId: job.leadId, phone: String(job.payload.phone ?? '') }),
    }).catch((e: unknown) => {
      throw e instanceof CrmError ? new CrmError(e.message.replace(/the CRM( address)?/g, 'the call-back URL'), e) : e;
    });
    if (res.status < 200 || res.status > 299) {
      throw webhookErrorFromResponse(res, `the call-back URL answered: ${excerpt(res) || 'no message'}`);
    }
    return { crmId: null, httpStatus: res.status };
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

  /** When each held job's lease ends, as this worker claimed or renewed it. */
  const leaseEnds = new WeakMap<Job, number>();

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
        if (inFlight.size >= concurrency) await Promise.race(inFlight);
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
      cutoff = new AbortController();
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
