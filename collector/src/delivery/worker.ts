// The delivery worker: claims due jobs, sends each through the project's CRM adapter, and records
// every attempt. Success, retry or give-up is written in one transaction with the attempt.
import { DEFAULT_RETRY, type RetryPolicy } from '../../../shared/schemas.ts';
import { adapterFor } from '../crm/index.ts';
import { CrmError, type CrmContext } from '../crm/types.ts';
import type { Logger } from 'pino';
import type { Job, Store } from '../store/types.ts';

export interface WorkerOptions {
  store: Store;
  log: Logger;
  now?: () => number;
  fetch?: typeof fetch;
  /** How long a claimed job is held before another worker may take it. */
  leaseMs?: number;
  pollMs?: number;
  batch?: number;
  /** Per-request timeout towards the CRM. */
  requestTimeoutMs?: number;
}

export interface Worker {
  start(): void;
  /** Finishes the attempts in flight, then stops. */
  stop(): Promise<void>;
  /** Looks for due work at once (called after a lead is stored). */
  wake(): void;
  /** Runs one claim-and-send round; resolves when its attempts are recorded. */
  runOnce(): Promise<number>;
}

export function nextRetryDelayMs(attempt: number, policy: RetryPolicy): number {
  if (policy.strategy === 'fixed') return policy.baseSeconds * 1000;
  const exp = policy.baseSeconds * 1000 * 2 ** Math.min(attempt - 1, 20);
  return Math.round(exp / 2 + Math.random() * (exp / 2));
}

export function createWorker(opts: WorkerOptions): Worker {
  const { store, log } = opts;
  const now = opts.now ?? Date.now;
  const doFetch = opts.fetch ?? fetch;
  const leaseMs = opts.leaseMs ?? 60_000;
  const pollMs = opts.pollMs ?? 500;
  const batch = opts.batch ?? 50;
  const requestTimeoutMs = opts.requestTimeoutMs ?? 15_000;
  const workerId = `w-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;

  let running = false;
  let timer: NodeJS.Timeout | null = null;
  let loop: Promise<void> | null = null;
  let wakeRequested = false;

  async function attempt(job: Job): Promise<void> {
    const integration = await store.getIntegration(job.projectId);
    const lead = await store.getLead(job.projectId, job.leadId);
    if (!lead) return;
    const adapter = integration ? adapterFor(integration.type) : null;
    const started = now();
    if (!integration || !integration.enabled || !adapter) {
      await store.failJob(job, { at: started, ok: false, httpStatus: null, error: 'no enabled integration', durationMs: 0 }, null, 'no enabled integration');
      return;
    }
    const ctx: CrmContext = {
      settings: integration.settings,
      fetch: doFetch,
      signal: AbortSignal.timeout(requestTimeoutMs),
    };
    const policy = integration.retry ?? DEFAULT_RETRY;
    const attemptNo = job.attempts + 1;
    try {
      if (job.kind === 'create') {
        const result = await adapter.create(lead, ctx);
        await store.completeJob(job, { at: started, ok: true, httpStatus: result.httpStatus, error: null, durationMs: now() - started }, result.crmId);
        log.info({ leadId: lead.id, crmId: result.crmId, attempt: attemptNo }, 'lead delivered');
      } else if (job.kind === 'note') {
        if (lead.status !== 'sent' || !lead.crmId) {
          // The deal is not in the CRM yet: the note waits for it.
          await store.releaseJob(job, now() + pollMs * 4);
          return;
        }
        const payload = job.payload as { title?: string; message?: string };
        await adapter.addNote(lead, lead.crmId, { title: payload.title ?? '', message: payload.message ?? '' }, ctx);
        await store.completeJob(job, { at: started, ok: true, httpStatus: null, error: null, durationMs: now() - started }, null);
      } else {
        await sendCallback(job, integration.callbackUrl ?? '', ctx);
        await store.completeJob(job, { at: started, ok: true, httpStatus: null, error: null, durationMs: now() - started }, null);
      }
    } catch (err) {
      const crmErr = err instanceof CrmError ? err : new CrmError(String(err), { permanent: false });
      const firstAt = job.firstAttemptAt ?? started;
      const exhausted =
        crmErr.permanent ||
        attemptNo >= policy.maxAttempts ||
        (policy.maxAgeSeconds !== undefined && now() - firstAt >= policy.maxAgeSeconds * 1000);
      const delay = Math.max(nextRetryDelayMs(attemptNo, policy), crmErr.retryAfterMs ?? 0);
      const message = exhausted && !crmErr.permanent ? `gave up after ${attemptNo} attempts: ${crmErr.message}` : crmErr.message;
      await store.failJob(
        job,
        { at: started, ok: false, httpStatus: crmErr.httpStatus, error: crmErr.message, durationMs: now() - started },
        exhausted ? null : now() + delay,
        message,
      );
      log.warn({ leadId: lead.id, kind: job.kind, attempt: attemptNo, of: policy.maxAttempts, err: crmErr.message }, `attempt ${attemptNo} of ${policy.maxAttempts} failed`);
    }
  }

  async function sendCallback(job: Job, url: string, ctx: CrmContext) {
    if (!url) throw new CrmError('no call-back URL is set', { permanent: true });
    const res = await ctx.fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ leadId: job.leadId, phone: String(job.payload.phone ?? '') }),
      signal: ctx.signal ?? null,
    }).catch((e: unknown) => {
      throw new CrmError(`cannot reach the call-back URL: ${String(e)}`, { permanent: false });
    });
    if (!res.ok) throw new CrmError(`call-back URL answered HTTP ${res.status}`, { permanent: res.status < 500 && res.status !== 429, httpStatus: res.status });
  }

  async function runOnce(): Promise<number> {
    const jobs = await store.claimJobs(workerId, now(), batch, leaseMs);
    await Promise.all(jobs.map((j) => attempt(j).catch((err) => log.error({ err, jobId: j.id }, 'delivery attempt crashed'))));
    return jobs.length;
  }

  async function run() {
    while (running) {
      wakeRequested = false;
      let count = 0;
      try {
        count = await runOnce();
      } catch (err) {
        log.error({ err }, 'delivery round failed');
      }
      if (!running) break;
      if (count > 0 || wakeRequested) continue;
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, pollMs);
        wakeResolve = resolve;
      });
      timer = null;
      wakeResolve = null;
    }
  }
  let wakeResolve: (() => void) | null = null;

  return {
    start() {
      if (running) return;
      running = true;
      loop = run();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      wakeResolve?.();
      await loop;
    },
    wake() {
      wakeRequested = true;
      if (timer) clearTimeout(timer);
      wakeResolve?.();
    },
    runOnce,
  };
}
