// HTTP helpers shared by the CRM adapters: one call, one classified outcome.
import { rateLimitDelayFromHeaders } from '../delivery/policy.ts';
import { CrmError, type CrmContext } from './types.ts';

export interface CrmResponse {
  status: number;
  headers: Headers;
  /** Parsed JSON when the CRM answered JSON, else the text. */
  body: unknown;
  text: string;
}

/** Sends one request; a network failure or timeout becomes a transient CrmError. */
export async function crmRequest(ctx: CrmContext, url: string, init: RequestInit): Promise<CrmResponse> {
  let res: Response;
  try {
    res = await ctx.fetch(url, { ...init, signal: init.signal ?? ctx.signal ?? null });
  } catch (err) {
    const reason = err instanceof Error ? (err.cause instanceof Error ? err.cause.message : err.message) : String(err);
    throw new CrmError(`cannot reach the CRM: ${reason}`, { permanent: false });
  }
  const text = await res.text();
  let body: unknown = text;
  if (text && /json/i.test(res.headers.get('content-type') ?? '')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: res.status, headers: res.headers, body, text };
}

/**
 * Milliseconds to wait from a Retry-After header (seconds or an HTTP date), or null.
 * `now` is injectable so tests do not depend on the wall clock.
 */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return null;
  return Math.max(0, at - now);
}

/**
 * Turns a non-2xx answer into a CrmError with the CRM's own message.
 * 408, 425, 429 and 5xx are transient; other 4xx (bad credentials, validation) are permanent:
 * sending the same request again cannot fix them. The wait comes from Retry-After or, failing
 * that, the CRM's rate-limit headers (X-RateLimit-Reset, HubSpot's, …).
 */
export function errorFromResponse(res: CrmResponse, message: string, retryAfterMs?: number | null): CrmError {
  const transient = res.status === 408 || res.status === 425 || res.status === 429 || res.status >= 500;
  return new CrmError(`HTTP ${res.status}: ${message}`, {
    permanent: !transient,
    httpStatus: res.status,
    retryAfterMs: retryAfterMs ?? rateLimitDelayFromHeaders(res.headers),
  });
}

/** A short, log-safe excerpt of an answer body for error messages. */
export function excerpt(res: CrmResponse, max = 300): string {
  const s = typeof res.body === 'string' ? res.body : JSON.stringify(res.body);
  return s.length > max ? `${s.slice(0, max)}…` : s;
}

/** Joins a base URL and a path without doubling or dropping the slash. */
export function joinUrl(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}/${path.replace(/^\/+/, '')}`;
}
