// RetailCRM's API v5 client (retailcrm.ts's header; docs/architecture.md "CRM adapters"): the key
// header, form-encoded bodies, and errors that name the fields RetailCRM refused.
import { setting } from './adapter-kit.ts';
import { errorFromResponse, excerpt, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { CrmError, type CrmContext, type RefusedField } from './types.ts';
import type { FieldSources } from './retailcrm-mapping.ts';

function retailError(res: CrmResponse, sources?: FieldSources): CrmError {
  const b = res.body as { errorMsg?: unknown; errors?: unknown } | string;
  let message = excerpt(res);
  const refused: RefusedField[] = [];
  if (typeof b === 'object' && typeof b.errorMsg === 'string') {
    message = b.errorMsg;
    if (b.errors && typeof b.errors === 'object') {
      const entries = Array.isArray(b.errors) ? b.errors.map((v) => ['', v] as const) : Object.entries(b.errors);
      const list = entries.map(([k, v]) => (k ? `${k}: ${String(v)}` : String(v)));
      if (list.length) message += ` (${list.join('; ')})`;
      // Entity format errors are keyed by the refused property: "orderMethod", "customFields[code]".
      for (const [k, v] of entries) {
        const source = k && res.status === 400 ? sources?.get(k) : undefined;
        if (source) refused.push({ ...source, reason: String(v) });
      }
    }
  }
  // RetailCRM's per-second limit answers without Retry-After; one second clears it.
  const retry = res.status === 429 || res.status === 503 ? 1000 : null;
  const err = errorFromResponse(res, message, retry);
  return refused.length ? new CrmError(err.message, { permanent: err.permanent, httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs, refused }) : err;
}

/** API v5 calls (form-encoded bodies); `sources` names the lead's fields a validation error may refuse. */
export const call = jsonClient<FieldSources>({
  base: (ctx) => setting(ctx, 'baseUrl'),
  headers: (ctx) => ({ 'x-api-key': setting(ctx, 'apiKey'), accept: 'application/json' }),
  encoding: 'form',
  // RetailCRM says success: true on every answer it accepted.
  ok: (res) => res.status >= 200 && res.status <= 299 && (res.body as { success?: unknown } | null)?.success === true,
  error: (res, sources) => retailError(res, sources),
});

export function siteParams(ctx: CrmContext): Record<string, string> {
  const site = setting(ctx, 'site', '');
  return site ? { site } : {};
}
