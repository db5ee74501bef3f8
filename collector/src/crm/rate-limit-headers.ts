// How long a CRM asks us to wait, read from its answer's headers: Retry-After and the usual
// rate-limit headers. Pure functions of the headers and the time; no I/O.

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

/** Headers as fetch gives them, or a plain object (node:http, fastify inject). */
export type HeadersLike = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeadersLike, name: string): string | null {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name);
  const wanted = name.toLowerCase();
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === wanted && v !== undefined) return Array.isArray(v) ? (v[0] ?? null) : v;
  }
  return null;
}

function numberHeader(headers: HeadersLike, name: string): number | null {
  const v = header(headers, name);
  if (v === null || v.trim() === '') return null;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : null;
}

/**
 * A reset value as CRMs send it: seconds from now (IETF RateLimit-Reset), or a Unix time in
 * seconds (GitHub-style X-RateLimit-Reset) or milliseconds. Values this large cannot be deltas.
 */
function resetToDelay(value: number, now: number): number {
  if (value > 1e12) return Math.max(0, value - now);
  if (value > 1e9) return Math.max(0, value * 1000 - now);
  return Math.max(0, value * 1000);
}

/** `RateLimit: limit=100, remaining=0, reset=5` (IETF draft, combined form). */
function structuredRateLimit(value: string | null): { remaining: number | null; reset: number | null } {
  const out: { remaining: number | null; reset: number | null } = { remaining: null, reset: null };
  if (!value) return out;
  for (const part of value.split(/[,;]/)) {
    const m = /^\s*(remaining|reset|r|t)\s*=\s*(\d+(?:\.\d+)?)\s*$/i.exec(part);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    if (key === 'remaining' || key === 'r') out.remaining = Number(m[2]);
    else out.reset = Number(m[2]);
  }
  return out;
}

/**
 * How long the CRM asks us to wait, in ms, from its answer's headers, or null when it says nothing.
 * Retry-After wins when present. Otherwise a rate-limit window counts only once it is spent
 * (remaining 0): X-RateLimit-Reset / RateLimit-Reset / RateLimit, and HubSpot's
 * X-HubSpot-RateLimit-* (which name the window, not its reset, so the whole window is waited).
 */
export function rateLimitDelayFromHeaders(headers: HeadersLike, now: number = Date.now()): number | null {
  const retryAfter = parseRetryAfter(header(headers, 'retry-after'), now);
  if (retryAfter !== null) return retryAfter;

  const waits: number[] = [];
  for (const prefix of ['x-ratelimit', 'ratelimit']) {
    const reset = numberHeader(headers, `${prefix}-reset`);
    const remaining = numberHeader(headers, `${prefix}-remaining`);
    if (reset !== null && (remaining === null || remaining <= 0)) waits.push(resetToDelay(reset, now));
  }
  const combined = structuredRateLimit(header(headers, 'ratelimit'));
  if (combined.reset !== null && (combined.remaining === null || combined.remaining <= 0)) {
    waits.push(combined.reset * 1000);
  }
  if (numberHeader(headers, 'x-hubspot-ratelimit-secondly-remaining') === 0) waits.push(1000);
  if (numberHeader(headers, 'x-hubspot-ratelimit-remaining') === 0) {
    waits.push(numberHeader(headers, 'x-hubspot-ratelimit-interval-milliseconds') ?? 10_000);
  }
  return waits.length ? Math.max(...waits) : null;
}
