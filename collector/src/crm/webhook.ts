// The generic signed webhook (SPEC §7, contract): POST {url} with the lead as JSON,
// `Idempotency-Key: <lead id>` so a receiver can drop a repeat, and an HMAC-SHA256 signature.
import { createHmac } from 'node:crypto';
import { crmRequest, errorFromResponse, excerpt } from './http.ts';
import { CrmError, type CrmAdapter, type CrmContext } from './types.ts';

export function signBody(body: string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

function target(ctx: CrmContext): string {
  const url = ctx.settings.url;
  if (!url) throw new CrmError('the webhook has no url', { permanent: true });
  return url;
}

async function post(ctx: CrmContext, payload: unknown, idempotencyKey: string) {
  const body = JSON.stringify(payload);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'idempotency-key': idempotencyKey,
    'user-agent': 'leadrelay-webhook/1',
  };
  if (ctx.settings.secret) headers['x-leadrelay-signature'] = signBody(body, ctx.settings.secret);
  const res = await crmRequest(ctx, target(ctx), { method: 'POST', headers, body });
  if (res.status < 200 || res.status > 299) {
    const message = (res.body as { message?: unknown } | null)?.message;
    throw errorFromResponse(res, typeof message === 'string' ? message : excerpt(res) || 'no message');
  }
  return res;
}

export const webhook: CrmAdapter = {
  type: 'webhook',
  label: 'Webhook (any HTTP endpoint)',
  settings: ['url', 'secret'],
  requiredSettings: ['url'],
  secretSettings: ['secret'],
  rateLimit: { count: 50, perMs: 1000 },

  async create(lead, ctx) {
    const res = await post(ctx, lead, lead.id);
    const id = (res.body as { id?: unknown } | null)?.id;
    return { crmId: typeof id === 'string' || typeof id === 'number' ? String(id) : null, httpStatus: res.status };
  },

  async addNote(lead, crmId, note, ctx) {
    await post(ctx, { type: 'note', leadId: lead.id, crmId, ...note }, `${lead.id}:note:${note.title}:${note.message.length}`);
  },

  async listFields() {
    // A webhook receives the whole lead: there is no field list to load.
    return [];
  },

  async testConnection(ctx) {
    try {
      await post(ctx, { type: 'test' }, `test-${Date.now()}`);
      return { ok: true, message: 'The webhook answered 2xx.' };
    } catch (err) {
      return { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
  },
};
