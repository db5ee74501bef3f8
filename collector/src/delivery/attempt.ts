// One delivery attempt of one claimed job, in three steps: prepare (load the lead and its
// integration, park or hold what cannot go yet, take the CRM's place and rate-limit token, renew the
// lease), send (the adapter's request, or the call-back), record (the attempt and, after a failure,
// what policy.ts decides); the sending itself is in send-job.ts. The worker's loop only claims jobs
// and runs attempts (docs/architecture.md "Delivery worker").
import type { Logger } from 'pino';
import { DEFAULT_RETRY, type Integration, type IntegrationType, type Lead } from '../../../shared/schemas.ts';
import type { Clock } from '../clock.ts';
import { maskSecrets } from '../crm/http.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmResult, type CrmSend, type RateLimit } from '../crm/types.ts';
import type { Metrics } from '../metrics.ts';
import type { AttemptRecord, Job, Store } from '../store/types.ts';
import { parallelOf, type ParallelCap } from './parallel-cap.ts';
import { decideAfterFailure } from './policy.ts';
import { paceOf, type RateLimiter } from './rate-limiter.ts';
import { pacedWire, sendJob } from './send-job.ts';

/** Call-back webhooks are the site's own endpoint: a polite pace, not a CRM's. */
const CALLBACK_RATE_LIMIT: RateLimit = { count: 10, perMs: 1000 };

const STOPPED_MESSAGE = 'the collector stopped before the CRM answered; the next start sends it again';

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

export interface AttemptDeps {
  store: Store;
  log: Logger;
  clock: Clock;
  metrics: Metrics | undefined;
  fetch: typeof fetch;
  /** The worker's own wire (crm/http-client.ts), or null when the caller gave a fetch to use. */
  send: CrmSend | null;
  limiter: RateLimiter;
  parallel: ParallelCap;
  adapterFor: (type: IntegrationType) => CrmAdapter | null;
  random: () => number;
  pollMs: number;
  leaseMs: number;
  requestTimeoutMs: number;
  maxRateWaitMs: number;
  /** Filled here: the rate-limit bucket and limit of each project seen (the worker skips throttled ones). */
  projectLimits: Map<string, { key: string; limit: RateLimit }>;
  /** When each held job's lease ends, as the worker claimed or renewed it. */
  leaseEnds: WeakMap<Job, number>;
  /** Aborted when the worker begins to stop: attempts still waiting for their turn give up. */
  stopping: () => AbortSignal;
  /** Aborted when the stop's wait is over: cancels the requests still in flight. */
  cutoff: () => AbortSignal;
}

/** A job ready to go: its place among the CRM's requests in flight (`firstPlace`) is held. */
interface Prepared {
  job: Job;
  lead: Lead;
  integration: Integration;
  adapter: CrmAdapter;
  key: string;
  limit: RateLimit;
  firstPlace: () => void;
}

/** Why a note can never be sent, or null when it only waits for its lead's deal. */
function noteNeverSent(lead: Lead): string | null {
  if (lead.status === 'sent') return 'the CRM answered without a deal id for this lead, so the comment cannot be added to its deal';
  if (lead.status === 'failed' || lead.status === 'not_sent' || lead.status === 'duplicate') return 'the deal was never made';
  return null;
}

export function createAttempt(d: AttemptDeps): (job: Job) => Promise<void> {
  const { store, log, clock, metrics } = d;

  function record(at: number, ok: boolean, httpStatus: number | null, error: string | null): AttemptRecord {
    return { at, ok, httpStatus, error, durationMs: Math.max(0, clock.now() - at) };
  }

  /** Everything before the request; null when the job does not go now (it was parked, held or put back). */
  async function prepare(job: Job): Promise<Prepared | null> {
    const lead = await store.getLead(job.projectId, job.leadId);
    if (!lead) return null; // deleted with its project: the job went with it
    const integration = await store.getIntegration(job.projectId);
    const adapter = integration?.enabled ? d.adapterFor(integration.type) : null;
    if (!integration || !adapter) {
      // Parked until an integration is enabled (which queues them again), not polled.
      await store.parkJob(job);
      log.info({ leadId: lead.id, kind: job.kind }, 'no enabled integration: the job waits for one');
      return null;
    }
    if (job.kind === 'note' && (lead.status !== 'sent' || !(lead.crmId || adapter.notesByLeadId))) {
      const never = noteNeverSent(lead);
      if (never) {
        await store.failJob(job, record(clock.now(), false, null, never), null, never);
      } else {
        // The deal is not in the CRM yet: the note waits for it, and no sooner than its next try.
        const next = lead.nextAttemptAt ? Date.parse(lead.nextAttemptAt) + 1000 : 0;
        await store.releaseJob(job, Math.max(clock.now() + d.pollMs * 4, next));
      }
      return null;
    }

    // Call-back requests go to the site's own URL, not the CRM: the CRM's limit does not apply.
    const key = job.kind === 'callback' ? `callback:${integration.callbackUrl ?? ''}` : rateLimitKey(integration);
    const limit = job.kind === 'callback' ? CALLBACK_RATE_LIMIT : paceOf(integration, adapter);
    if (job.kind !== 'callback') d.projectLimits.set(job.projectId, { key, limit });
    if (d.limiter.delayFor(key, limit) > d.maxRateWaitMs) {
      // Throttled: leave it queued (run time unchanged, so the order holds) and free the slot.
      await store.releaseJob(job, job.runAt);
      return null;
    }
    let firstPlace: (() => void) | undefined;
    try {
      firstPlace = await d.parallel.acquire(key, parallelOf(limit), d.stopping());
      await d.limiter.acquire(key, limit, d.stopping());
    } catch {
      firstPlace?.();
      await store.releaseJob(job, job.runAt); // shutting down before its turn came
      return null;
    }
    // The lease must cover the attempt. A job sent soon after its claim is still covered; one that
    // waited (for the rate limiter) renews it first. Renewing every time cost a commit per attempt.
    const leaseEnd = d.leaseEnds.get(job) ?? 0;
    if (clock.now() + 2 * d.requestTimeoutMs > leaseEnd) {
      const renewed = await store.renewLease(job, clock.now() + d.leaseMs).catch((err: unknown) => {
        firstPlace();
        throw err;
      });
      if (!renewed) {
        log.warn({ leadId: lead.id, jobId: job.id }, 'lease lost before sending; another worker has the job');
        firstPlace();
        return null;
      }
      d.leaseEnds.set(job, clock.now() + d.leaseMs);
    }
    return { job, lead, integration, adapter, key, limit, firstPlace };
  }

  /** The request(s), under the attempt's time limit and the stop's cutoff; the first place is freed when done. */
  async function send(p: Prepared): Promise<CrmResult> {
    // One controller per attempt, aborted by its time limit or by the stop's cutoff: on Node 20,
    // AbortSignal.any with AbortSignal.timeout made several signals (and their transfer set-up) per attempt.
    const controller = new AbortController();
    const cutoff = d.cutoff();
    const onCutoff = () => controller.abort(cutoff.reason);
    if (cutoff.aborted) onCutoff();
    else cutoff.addEventListener('abort', onCutoff, { once: true });
    const timer = setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), d.requestTimeoutMs);
    timer.unref();
    const ctx: CrmContext = { settings: p.integration.settings, ...pacedWire(d, p.key, p.limit, p.firstPlace), signal: controller.signal };
    try {
      return await sendJob(p.job, p.lead, p.integration, p.adapter, ctx);
    } finally {
      clearTimeout(timer);
      cutoff.removeEventListener('abort', onCutoff);
      p.firstPlace();
    }
  }

  async function recordSuccess(p: Prepared, started: number, result: CrmResult, attemptNo: number): Promise<void> {
    const { job, lead, integration } = p;
    const { crmId, httpStatus, droppedFields, pendingNotes } = result;
    // Fields the CRM refused are recorded with the attempt; notes the adapter could not add become note jobs.
    await store.completeJob(job, { ...record(started, true, httpStatus, null), ...(droppedFields?.length ? { droppedFields } : {}) }, crmId, pendingNotes);
    metrics?.recordAttempt('sent', clock.now() - started, integration.type);
    if (job.kind === 'create') {
      metrics?.recordDelivered(clock.now() - Date.parse(lead.createdAt), integration.type);
      log.info({ leadId: lead.id, crmId, attempt: attemptNo }, `lead delivered on attempt ${attemptNo}`);
    }
  }

  async function recordFailure(p: Prepared, started: number, err: unknown, attemptNo: number): Promise<void> {
    const { job, lead, integration, adapter } = p;
    if (d.cutoff().aborted) {
      // Cut off by the stop: not the CRM's fault, so no backoff; the next process sends it at once.
      await store.failJob(job, record(started, false, null, STOPPED_MESSAGE), clock.now(), STOPPED_MESSAGE);
      log.warn({ leadId: lead.id, kind: job.kind }, STOPPED_MESSAGE);
      return;
    }
    const raw = err instanceof CrmError ? err : new CrmError(`unexpected error: ${errorMessage(err)}`, { permanent: false });
    const crmErr = new CrmError(maskSecrets(raw.message, secretValues(integration, adapter)), raw);
    const policy = integration.retry ?? DEFAULT_RETRY;
    const now = clock.now();
    const decision = decideAfterFailure(
      {
        attempt: attemptNo,
        firstAttemptAt: job.firstAttemptAt ?? started,
        now,
        policy,
        error: { message: crmErr.message, permanent: crmErr.permanent, retryAfterMs: crmErr.retryAfterMs },
      },
      d.random,
    );
    if (crmErr.httpStatus === 429 || (crmErr.httpStatus === 503 && crmErr.retryAfterMs)) {
      // The whole account is throttled, not just this lead: hold every job of this CRM.
      d.limiter.penalize(p.key, crmErr.retryAfterMs ?? p.limit.perMs);
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

  return async function attempt(job: Job): Promise<void> {
    const p = await prepare(job);
    if (!p) return;
    const attemptNo = job.attempts + 1;
    const started = clock.now();
    try {
      await recordSuccess(p, started, await send(p), attemptNo);
    } catch (err) {
      await recordFailure(p, started, err, attemptNo);
    }
  };
}
