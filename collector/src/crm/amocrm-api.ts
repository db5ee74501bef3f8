// amoCRM's API v4 client (amocrm.ts's header; docs/architecture.md "CRM adapters"): the token
// header, and errors that name the fields amoCRM refused so the lead can go without them.
import { setting } from './adapter-kit.ts';
import { errorFromResponse, excerpt, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { CrmError, type CrmContext, type RefusedField } from './types.ts';
import type { BodyKeys } from './amocrm-mapping.ts';

function authHeaders(ctx: CrmContext): Record<string, string> {
  return { authorization: `Bearer ${setting(ctx, 'token')}`, accept: 'application/json' };
}

interface AmoItemError {
  code?: unknown;
  path?: unknown;
  detail?: unknown;
}

/**
 * The lead's fields that amoCRM's validation errors name: `custom_fields_values.0.field_id` (an unknown
 * field or enum), `_embedded.contacts.0.custom_fields_values.2.values.0.value`, `price`, `_embedded.tags`…
 */
function refusedFields(body: unknown, keys: BodyKeys): RefusedField[] {
  const list = (body as { 'validation-errors'?: unknown })['validation-errors'];
  if (!Array.isArray(list)) return [];
  const out: RefusedField[] = [];
  for (const item of list as { errors?: AmoItemError[] }[]) {
    for (const e of item.errors ?? []) {
      if (typeof e.path !== 'string') continue;
      const reason = [e.code, e.detail].filter((x) => typeof x === 'string' && x).join(': ') || 'refused';
      const contact = /^_embedded\.contacts\.0\.(custom_fields_values\.\d+|\w+)/.exec(e.path);
      const deal = /^(custom_fields_values\.\d+|_embedded\.tags|\w+)/.exec(e.path);
      if (contact && keys.contact.has(contact[1]!)) out.push({ key: keys.contact.get(contact[1]!)!, in: 'clientFields', reason });
      else if (!contact && deal && keys.deal.has(deal[1]!)) out.push({ key: keys.deal.get(deal[1]!)!, in: 'fields', reason });
    }
  }
  return out;
}

/** amoCRM answers errors as application/problem+json: title, detail and, for 400, validation-errors. */
function amoError(res: CrmResponse, keys?: BodyKeys): CrmError {
  const b = res.body;
  let message = excerpt(res);
  let refused: RefusedField[] = [];
  if (typeof b === 'object' && b !== null && !Array.isArray(b)) {
    const p = b as { title?: unknown; detail?: unknown; 'validation-errors'?: unknown };
    message = [p.title, p.detail].filter((s) => typeof s === 'string' && s).join(': ') || message;
    if (p['validation-errors']) message += ` ${JSON.stringify(p['validation-errors']).slice(0, 300)}`;
    if (keys && res.status === 400) refused = refusedFields(b, keys);
  }
  // amoCRM sends no Retry-After on 429; its limit is per second, so one second is the right wait.
  const err = errorFromResponse(res, message, res.status === 429 ? 1000 : null);
  return refused.length ? new CrmError(err.message, { permanent: err.permanent, httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs, refused }) : err;
}

/** API v4 calls; `keys` names the lead's fields a validation error may refuse. */
export const call = jsonClient<BodyKeys>({
  base: (ctx) => setting(ctx, 'baseUrl'),
  headers: (ctx) => authHeaders(ctx),
  error: (res, keys) => amoError(res, keys),
});
