// What one delivery attempt sends (docs/architecture.md "Delivery worker"): the lead, a note on its deal,
// or the call-back, through a fetch that keeps the CRM's pace and its cap on requests in flight.
import type { Integration, Lead } from '../../../shared/schemas.ts';
import { crmRequest, excerpt, webhookErrorFromResponse } from '../crm/http.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmResult, type RateLimit } from '../crm/types.ts';
import type { Job } from '../store/types.ts';
import { type ParallelCap, parallelOf } from './parallel-cap.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** What pacedFetch needs from the worker. */
export interface PacingDeps {
  fetch: typeof fetch;
  limiter: RateLimiter;
  parallel: ParallelCap;
}

/**
 * A fetch that takes a place among the CRM's requests in flight, then spends one token of its rate
 * limit, per request: an adapter may make several requests for one lead (contact, deal, note). The
 * first request's place and token were taken before the attempt began, in that order, so no token
 * waits for a place and requests leave at the pace.
 */
export function pacedFetch(d: PacingDeps, key: string, limit: RateLimit, firstPlace: () => void): typeof fetch {
  let first: (() => void) | null = firstPlace;
  return async (input, init) => {
    const prepaid = first;
    first = null;
    const release = prepaid ?? (await d.parallel.acquire(key, parallelOf(limit), init?.signal ?? undefined));
    try {
      if (!prepaid) await d.limiter.acquire(key, limit, init?.signal ?? undefined);
      return await d.fetch(input, init);
    } finally {
      release();
    }
  };
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

/** What the job sends, by its kind: the lead, a note on its deal, or the call-back. */
export async function sendJob(job: Job, lead: Lead, integration: Integration, adapter: CrmAdapter, ctx: CrmContext): Promise<CrmResult> {
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
