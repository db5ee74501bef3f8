import { describe, expect, it } from 'vitest';
import { errorFromResponse } from '../../src/crm/http.ts';
import { rateLimitDelayFromHeaders } from '../../src/crm/rate-limit-headers.ts';

const now = Date.UTC(2026, 0, 1, 12, 0, 0);

describe('rateLimitDelayFromHeaders', () => {
  it.each([
    ['no headers', {}, null],
    ['Retry-After in seconds', { 'Retry-After': '30' }, 30_000],
    ['Retry-After as an HTTP date', { 'retry-after': new Date(now + 90_000).toUTCString() }, 90_000],
    ['Retry-After in the past', { 'retry-after': new Date(now - 5000).toUTCString() }, 0],
    ['Retry-After garbage', { 'retry-after': 'soon' }, null],
    ['X-RateLimit-Reset as seconds from now, window spent', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '12' }, 12_000],
    ['X-RateLimit-Reset as a Unix time in seconds', { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': String(now / 1000 + 40) }, 40_000],
    ['X-RateLimit-Reset as a Unix time in ms', { 'x-ratelimit-reset': String(now + 2500) }, 2500],
    ['X-RateLimit-Reset while requests remain', { 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '12' }, null],
    ['IETF RateLimit-Reset', { 'ratelimit-remaining': '0', 'ratelimit-reset': '3' }, 3000],
    ['IETF combined RateLimit', { ratelimit: 'limit=100, remaining=0, reset=7' }, 7000],
    ['IETF combined RateLimit with room left', { ratelimit: 'limit=100, remaining=4, reset=7' }, null],
    ['HubSpot secondly limit spent', { 'x-hubspot-ratelimit-secondly-remaining': '0', 'x-hubspot-ratelimit-remaining': '50' }, 1000],
    [
      'HubSpot interval spent',
      { 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000', 'x-hubspot-ratelimit-max': '100' },
      10_000,
    ],
    ['HubSpot interval spent, no interval header', { 'x-hubspot-ratelimit-remaining': '0' }, 10_000],
    ['Retry-After wins over reset headers', { 'retry-after': '2', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '60' }, 2000],
    ['the longest of several spent windows', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '4', 'x-hubspot-ratelimit-remaining': '0' }, 10_000],
  ] as const)('%s', (_name, headers, expected) => {
    expect(rateLimitDelayFromHeaders(headers, now)).toBe(expected);
  });

  it('reads a fetch Headers object', () => {
    expect(rateLimitDelayFromHeaders(new Headers({ 'Retry-After': '5' }), now)).toBe(5000);
  });

  it('reads array values as node:http gives them', () => {
    expect(rateLimitDelayFromHeaders({ 'retry-after': ['8', '9'] }, now)).toBe(8000);
  });
});

describe('a CRM error carries the wait its headers ask for', () => {
  const answer = (status: number, headers: Record<string, string>) => ({ status, headers: new Headers(headers), body: '', text: '' });

  it('HubSpot 429 with its own rate-limit headers and no Retry-After', () => {
    const err = errorFromResponse(
      answer(429, { 'x-hubspot-ratelimit-remaining': '0', 'x-hubspot-ratelimit-interval-milliseconds': '10000' }),
      'rate limited',
    );
    expect(err).toMatchObject({ permanent: false, httpStatus: 429, retryAfterMs: 10_000 });
  });

  it('Retry-After on a 503', () => {
    expect(errorFromResponse(answer(503, { 'retry-after': '120' }), 'maintenance').retryAfterMs).toBe(120_000);
  });

  it('nothing to wait for on a plain 500', () => {
    expect(errorFromResponse(answer(500, {}), 'oops').retryAfterMs).toBeNull();
  });
});
