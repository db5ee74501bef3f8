// HTTP helpers shared by the CRM adapters: one call, one classified outcome.
// Every CRM request goes out with `redirect: 'manual'`: a redirect is an error naming its Location,
// so a credential header never reaches another origin and a redirected body is never read back.
import { fetchSend, isRedirect } from './http-client.ts';
import { rateLimitDelayFromHeaders } from './rate-limit-headers.ts';
import { CrmError, type CrmContext, type CrmWireResponse } from './types.ts';

// Adapters read Retry-After through this module, beside the other HTTP helpers.
export { parseRetryAfter } from './rate-limit-headers.ts';

export interface CrmResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the CRM answered JSON, else the text. */
  body: unknown;
  text: string;
  /** Credential values this request carried (headers, URL): masked wherever an error quotes the answer. */
  secrets?: readonly string[];
}

/** Header and query names whose values are credentials. */
const SECRET_NAME = /authorization|api[-_]?key|apikey|token|secret|password|signature|cookie|session|^key$/i;
const MASK = '********';

/** The credential values a request carries, longest first (so a value never leaks through a shorter one's mask). */
export function requestSecrets(url: URL, headers: Headers): string[] {
  const found = new Set<string>();
  // Real credentials are long; a short test value like "expired" must not mask the CRM's own words.
  const add = (v: string) => {
    const t = v.trim();
    if (t.length >= 12) found.add(t);
  };
  for (const [name, value] of headers) {
    if (!SECRET_NAME.test(name)) continue;
    add(value);
    // "Bearer abc…", "Basic …": the credential is the last word.
    const last = value.trim().split(/\s+/).pop();
    if (last) add(last);
  }
  for (const [name, value] of url.searchParams) if (SECRET_NAME.test(name)) add(value);
  if (url.password) add(decodeURIComponent(url.password));
  return [...found].sort((a, b) => b.length - a.length);
}

/** The text with every given secret replaced by a mask. */
export function maskSecrets(text: string, secrets: readonly string[] | undefined): string {
  if (!secrets?.length) return text;
  let out = text;
  for (const s of secrets) if (s) out = out.split(s).join(MASK);
  return out;
}

/**
 * Checks what fetch would refuse before anything is sent: the URL and every header value. Such a
 * mistake is permanent (a retry sends the same request) and gets its own message, never "cannot
 * reach the CRM"; the message names the header, never its value (it may be a credential).
 */
function prepare(url: string, init: RequestInit): { target: URL; headers: Headers } {
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    throw new CrmError('the CRM address is not a valid absolute URL: check the integration settings', { permanent: true });
  }
  if (target.protocol !== 'http:' && target.protocol !== 'https:') {
    throw new CrmError(`the CRM address must start with http:// or https://, not ${target.protocol}`, { permanent: true });
  }
  const headers = new Headers();
  const given = init.headers instanceof Headers ? [...init.headers] : Array.isArray(init.headers) ? init.headers : Object.entries(init.headers ?? {});
  for (const [name, value] of given as [string, string][]) {
    try {
      headers.append(name, value);
    } catch {
      throw new CrmError(
        `the request header "${String(name).slice(0, 64)}" cannot be sent: header values must be Latin-1 text without line breaks`,
        { permanent: true },
      );
    }
  }
  return { target, headers };
}

/**
 * Sends one request through the context's wire (`ctx.send`, the worker's undici client; else its
 * fetch, crm/http-client.ts); a network failure or timeout becomes a transient CrmError, a redirect
 * a permanent one.
 */
export async function crmRequest(ctx: CrmContext, url: string, init: RequestInit): Promise<CrmResponse> {
  const { target, headers } = prepare(url, init);
  const secrets = requestSecrets(target, headers);
  const send = ctx.send ?? fetchSend(ctx.fetch);
  const body = typeof init.body === 'string' ? init.body : init.body == null ? null : String(init.body);
  let res: CrmWireResponse;
  try {
    res = await send(target, { method: init.method ?? 'GET', headers, body, signal: init.signal ?? ctx.signal ?? null });
  } catch (err) {
    if (err instanceof CrmError) throw err;
    const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new CrmError(`cannot reach the CRM: ${maskSecrets(reason, secrets)}`, { permanent: false });
  }
  if (isRedirect(res.status)) throw redirectError(res.status, res.headers.get('location'), target, secrets);
  const text = res.text;
  let parsed: unknown = text;
  if (text && /json/i.test(res.headers.get('content-type') ?? '')) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = text;
    }
  }
  return { status: res.status, headers: res.headers, body: parsed, text, secrets };
}

/**
 * A 3xx: the address in the settings is not the API's own (http→https, a moved account, a login
 * page). Following it could send credentials elsewhere, so it is a permanent error naming where
 * the CRM points: the settings need the new address.
 */
function redirectError(status: number, location: string | null, from: URL, secrets: readonly string[]): CrmError {
  let where = 'no Location';
  if (location) {
    let resolved = location;
    try {
      resolved = new URL(location, from).href;
    } catch {
      // Quote it as given.
    }
    where = maskSecrets(resolved.length > 200 ? `${resolved.slice(0, 200)}…` : resolved, secrets);
  }
  return new CrmError(
    `HTTP ${status}: the CRM redirects to ${where}; CRM requests do not follow redirects, so set the address it points to in the integration settings`,
    { permanent: true, httpStatus: status },
  );
}

/**
 * Turns a non-2xx answer into a CrmError with the CRM's own message (shortened, credentials masked).
 * 408, 425, 429 and 5xx are transient; other 4xx (bad credentials, validation) are permanent:
 * sending the same request again cannot fix them. The wait comes from Retry-After or, failing
 * that, the CRM's rate-limit headers (X-RateLimit-Reset, HubSpot's, …).
 */
export function errorFromResponse(res: CrmResponse, message: string, retryAfterMs?: number | null): CrmError {
  const transient = res.status === 408 || res.status === 425 || res.status === 429 || res.status >= 500;
  return new CrmError(`HTTP ${res.status}: ${shorten(maskSecrets(message, res.secrets), MESSAGE_CHARS)}`, {
    permanent: !transient,
    httpStatus: res.status,
    retryAfterMs: retryAfterMs ?? rateLimitDelayFromHeaders(res.headers),
  });
}

/**
 * A webhook receiver's answers that a retry cannot change: a bad request, bad credentials, no such
 * endpoint. Any other 4xx (409 Conflict, 425 Too Early, 423 Locked, …) is the receiver's passing
 * state and is retried, like a 5xx.
 */
export const WEBHOOK_FINAL_STATUSES: readonly number[] = [400, 401, 403, 404, 410, 422];

export function webhookStatusIsFinal(status: number): boolean {
  return WEBHOOK_FINAL_STATUSES.includes(status);
}

/**
 * A non-2xx answer of a webhook receiver (the webhook integration, a site's call-back URL): the
 * message and wait of `errorFromResponse`, final only for WEBHOOK_FINAL_STATUSES.
 */
export function webhookErrorFromResponse(res: CrmResponse, message: string): CrmError {
  const err = errorFromResponse(res, message);
  return new CrmError(err.message, { permanent: webhookStatusIsFinal(res.status), httpStatus: res.status, retryAfterMs: err.retryAfterMs });
}

/** How much of a CRM's answer an error quotes, and how long a CRM's own message may be. */
const EXCERPT_CHARS = 300;
const MESSAGE_CHARS = 600;

function shorten(s: string, max: number): string {
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** A short, log-safe excerpt of an answer body for error messages (credentials the request carried masked). */
export function excerpt(res: CrmResponse, max = EXCERPT_CHARS): string {
  const s = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  return shorten(maskSecrets(s ?? '', res.secrets), max);
}

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
