// One factory for the adapters' API clients (docs/architecture.md "CRM adapters"): a CRM's base URL,
// auth headers, body encoding and error reading are declared once, and every call goes through
// `crmRequest` (crm/http.ts: no redirects followed, the worker's timeout and pacing, rate-limit
// headers read, credentials masked in errors).
import { crmRequest, errorFromResponse, excerpt, joinUrl, type CrmResponse } from './http.ts';
import type { CrmContext, CrmError } from './types.ts';

export interface JsonClientOptions<E> {
  /** The API's base URL from the settings (a missing required one throws a permanent CrmError). */
  base(ctx: CrmContext): string;
  /** Auth and accept headers; `extra` is what the caller passed for this call. */
  headers(ctx: CrmContext, extra: E | undefined): Record<string, string>;
  /** `json` (default): the body as JSON; `form`: a string record as application/x-www-form-urlencoded. */
  encoding?: 'json' | 'form';
  /** Whether an answer is a success (default: any 2xx). */
  ok?(res: CrmResponse): boolean;
  /** The error for an answer that is not a success (default: the status's class and an excerpt). */
  error?(res: CrmResponse, extra: E | undefined, ctx: CrmContext): CrmError;
}

/** One call: a path under the base URL, an optional body, and the caller's `extra` for headers and errors. */
export type JsonCall<E> = (ctx: CrmContext, method: string, path: string, body?: unknown, extra?: E) => Promise<CrmResponse>;

const is2xx = (res: CrmResponse) => res.status >= 200 && res.status <= 299;

export function jsonClient<E = undefined>(opts: JsonClientOptions<E>): JsonCall<E> {
  const ok = opts.ok ?? is2xx;
  const error = opts.error ?? ((res: CrmResponse) => errorFromResponse(res, excerpt(res)));
  return async (ctx, method, path, body, extra) => {
    const encoded =
      body === undefined
        ? null
        : opts.encoding === 'form'
          ? { type: 'application/x-www-form-urlencoded', text: new URLSearchParams(body as Record<string, string>).toString() }
          : { type: 'application/json', text: JSON.stringify(body) };
    const res = await crmRequest(ctx, joinUrl(opts.base(ctx), path), {
      method,
      headers: { ...opts.headers(ctx, extra), ...(encoded ? { 'content-type': encoded.type } : {}) },
      ...(encoded ? { body: encoded.text } : {}),
    });
    if (!ok(res)) throw error(res, extra, ctx);
    return res;
  };
}
