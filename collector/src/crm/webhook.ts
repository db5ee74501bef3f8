// The generic signed webhook (contract): POST {url} with the lead as JSON, `Idempotency-Key: <lead id>`
// so a receiver can drop a repeat, and two signatures: the contract's `X-Leadrelay-Signature`
// (hex HMAC-SHA256 of the body) and the Standard Webhooks headers (standardwebhooks.com:
// `webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">`),
// so receivers can verify and reject replays with their usual libraries.
import { z } from 'zod';
import { createHash, createHmac } from 'node:crypto';
import { crmRequest, excerpt, webhookErrorFromResponse } from './http.ts';
import { CrmError, type CrmContext } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optional, httpUrl } from './setting-schemas.ts';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * The Standard Webhooks key of our secret: a `whsec_<base64>` secret is decoded as the standard's
 * libraries decode it; any other secret is used as its UTF-8 bytes (a receiver's library then takes
 * `whsec_` + base64 of the secret). The README says the same.
 */
export function standardWebhooksKey(secret: string): Buffer {
  if (secret.startsWith('whsec_')) {
    const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
    if (key.length > 0) return key;
  }
  return Buffer.from(secret, 'utf8');
}

/** `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` (timestamp in seconds). */
export function standardWebhooksSignature(id: string, timestampSeconds: number, body: string, secret: string): string {
  return `v1,${createHmac('sha256', standardWebhooksKey(secret)).update(`${id}.${timestampSeconds}.${body}`).digest('base64')}`;
}

function target(ctx: CrmContext): string {
  const url = ctx.settings.url;
  if (!url) throw new CrmError('the webhook has no url', { permanent: true });
  return url;
}

/**
 * `messageId` is the delivery's own id, the same on every retry: the Idempotency-Key and the
 * `webhook-id`. It is built from ids only, so it is always a sendable header value.
 */
async function post(ctx: CrmContext, payload: unknown, messageId: string) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': messageId,
    'user-agent': 'leadrelay-webhook/1',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(Date.now() / 1000)),
  };
  const secret = ctx.settings.secret;
  if (secret) {
    headers['x-leadrelay-signature'] = signBody(body, secret);
    headers['webhook-signature'] = standardWebhooksSignature(messageId, Number(headers['webhook-timestamp']), body, secret);
  }
  const res = await crmRequest(ctx, target(ctx), { method: 'POST', headers, body });
  if (res.status < 200 || res.status > 299) {
    const message = (res.body as { message?: unknown } | null)?.message;
    throw webhookErrorFromResponse(res, typeof message === 'string' ? message : excerpt(res) || 'no message');
  }
  return res;
}

/** A note's message id when the caller gave none: from the lead id and a hash of the text, never the raw text. */
function noteId(leadId: string, title: string, message: string): string {
  return `${leadId}:note:${createHash('sha256').update(`${title}\n${message}`).digest('hex').slice(0, 32)}`;
}

export const webhook = defineAdapter({
  type: 'webhook',
  label: 'Webhook (any HTTP endpoint)',
  settings: z.looseObject({
    url: httpUrl('Where the lead is POSTed as JSON.'),
    secret: optional('Signs every delivery (X-Leadrelay-Signature, Standard Webhooks); empty: unsigned.'),
  }),
  secret: ['secret'],
  rateLimit: { count: 50, perMs: 1000 },
  // The receiver knows the lead by its id: a note needs no deal id.
  notesByLeadId: true,

  async create(lead, ctx) {
    const res = await post(ctx, lead, lead.id);
    const id = (res.body as { id?: unknown } | null)?.id;
    return { crmId: typeof id === 'string' || typeof id === 'number' ? String(id) : null, httpStatus: res.status };
  },

  async addNote(lead, crmId, note, ctx) {
    await post(ctx, { type: 'note', leadId: lead.id, crmId: crmId || null, title: note.title, message: note.message }, note.key ?? noteId(lead.id, note.title, note.message));
  },

  async fields() {
    // A webhook receives the whole lead: there is no field list to load.
    return [];
  },

  async test(ctx) {
    try {
      await post(ctx, { type: 'test' }, `test-${Date.now()}`);
      return { ok: true, message: ctx.settings.secret ? 'The webhook answered 2xx.' : 'The webhook answered 2xx. No secret is set: deliveries are unsigned.' };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  },
});
