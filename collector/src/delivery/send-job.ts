// What one delivery attempt sends (docs/architecture.md "Delivery worker"): the lead, a note on its deal,
// or the call-back, through a wire that keeps the CRM's pace and its cap on requests in flight.
import type { Integration, Lead } from '../../../shared/schemas.ts';
import { crmRequest, excerpt, webhookErrorFromResponse } from '../crm/http.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmResult, type CrmSend, type CrmWireRequest, type RateLimit } from '../crm/types.ts';
import type { Job } from '../store/types.ts';
import { type ParallelCap, parallelOf } from './parallel-cap.ts';
import type { RateLimiter } from './rate-limiter.ts';

/** What the pacing needs from the worker. */
export interface PacingDeps {
  fetch: typeof fetch;
  /** The worker's own wire (crm/http-client.ts), or null when the caller gave a fetch to use. */
  send: CrmSend | null;
  limiter: RateLimiter;
  parallel: ParallelCap;
}

/**
 * The attempt's fetch and wire, each request taking a place among the CRM's requests in flight,
 * then one token of its rate limit: an adapter may make several requests for one lead (contact,
 * deal, note). The first request's place and token were taken before the attempt began, in that
 * order, so no token waits for a place and requests leave at the pace.
 */
export function pacedWire(d: PacingDeps, key: string, limit: RateLimit, firstPlace: () => void): Pick<CrmContext, 'fetch' | 'send'> {
  let first: (() => void) | null = firstPlace;
  async function inTurn<R>(signal: AbortSignal | null | undefined, go: () => Promise<R>): Promise<R> {
    const prepaid = first;
    first = null;
    const release = prepaid ?? (await d.parallel.acquire(key, parallelOf(limit), signal ?? undefined));
    try {
      if (!prepaid) await d.limiter.acquire(key, limit, signal ?? undefined);
      return await go();
    } finally {
      release();
    }
  }
  const send = d.send;
  return {
    fetch: (input, init) => inTurn(init?.signal, () => d.fetch(input, init)),
    ...(send ? { send: (url: URL, req: CrmWireRequest) => inTurn(req.signal, () => send(url, req)) } : {}),
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
