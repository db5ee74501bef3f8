// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import { createSender, isFinal } from '../transport.ts';

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

describe('createSender', () => {
  test('POSTs the JSON as a text/plain string body with keepalive (no CORS preflight) and gives the lead id', async () => {
    const fetch = vi.fn(async () => json(202, { status: 'success', data: { id: 'L1' } }));
    const send = createSender({ fetch, navigator: {} }, 'https://c.example/api/site/1.0/p/leads');
    expect(await send({ clientId: 'abc12345' })).toBe('L1');
    const [url, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('https://c.example/api/site/1.0/p/leads');
    expect(init).toMatchObject({ method: 'POST', keepalive: true, body: '{"clientId":"abc12345"}' });
    // A string body is sent as text/plain;charset=UTF-8; no custom header means no preflight.
    expect(init.headers).toBeUndefined();
    expect(new Request(url, init).headers.get('content-type')).toMatch(/^text\/plain/);
  });

  test('an error status is returned; a network error is 0', async () => {
    expect(await createSender({ fetch: async () => json(400, {}), navigator: {} }, 'u')({})).toBe(400);
    expect(await createSender({ fetch: async () => json(503, {}), navigator: {} }, 'u')({})).toBe(503);
    const down = createSender({ fetch: async () => { throw new TypeError('Failed to fetch'); }, navigator: {} }, 'u');
    expect(await down({})).toBe(0);
  });

  test('without fetch the lead goes by sendBeacon and stays queued (a beacon has no answer)', async () => {
    const sendBeacon = vi.fn(() => true);
    expect(await createSender({ navigator: { sendBeacon } }, 'u')({ a: 1 })).toBe(0);
    expect(sendBeacon).toHaveBeenCalledWith('u', '{"a":1}');
  });
});

describe('isFinal', () => {
  test('acknowledged, or a 4xx other than 429, is final; 0, 429 and 5xx are retried', () => {
    expect(isFinal('L1')).toBe(true);
    expect([400, 401, 404, 413, 422].every(isFinal)).toBe(true);
    expect([0, 429, 500, 502, 503].some(isFinal)).toBe(false);
  });
});
