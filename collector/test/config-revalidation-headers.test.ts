// The config revalidation (a 304 on every page view, docs/http-api.md "Site API") carries what the
// snippet and the browser cache need and nothing more: ETag, Cache-Control and CORS, no per-request
// rate-limit counters. The limit itself still holds, and a 429 says when to retry.
import { afterEach, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { newProject, testApp } from './helpers.ts';

let t: App;
afterEach(async () => {
  await t.app.close();
});

test('a 304 has the ETag, Cache-Control and CORS headers, and no X-RateLimit-* headers', async () => {
  t = await testApp({ rateLimit: { sitePerMinute: 600, proxyPerMinute: 6000 } });
  const { id } = await newProject(t.app);
  const url = `/api/site/1.0/${id}/config`;
  const first = await t.app.inject({ url, headers: { origin: 'https://shop.example' } });
  expect(first.statusCode).toBe(200);
  const etag = String(first.headers.etag);
  // Asked twice: the first revalidation may build the config, the second is answered from memory.
  for (let i = 0; i < 2; i++) {
    const again = await t.app.inject({ url, headers: { origin: 'https://shop.example', 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    expect(again.headers['cache-control']).toBe('public, max-age=60, must-revalidate');
    expect(again.headers['access-control-allow-origin']).toBe('*');
    expect(Object.keys(again.headers).filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
  }
  expect(Object.keys(first.headers).filter((h) => h.startsWith('x-ratelimit'))).toEqual([]);
});

test('past the limit a revalidation is still refused, with Retry-After', async () => {
  t = await testApp({ rateLimit: { sitePerMinute: 2, proxyPerMinute: 0 } });
  const { id } = await newProject(t.app);
  const url = `/api/site/1.0/${id}/config`;
  const etag = String((await t.app.inject({ url, remoteAddress: '10.0.0.5' })).headers.etag);
  expect((await t.app.inject({ url, remoteAddress: '10.0.0.5', headers: { 'if-none-match': etag } })).statusCode).toBe(304);
  const limited = await t.app.inject({ url, remoteAddress: '10.0.0.5', headers: { 'if-none-match': etag } });
  expect(limited.statusCode).toBe(429);
  expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
});

test('an unknown project is 404 whether or not its config was ever built', async () => {
  t = await testApp();
  const res = await t.app.inject({ url: '/api/site/1.0/nosuchproject/config', headers: { 'if-none-match': '"x"' } });
  expect(res.statusCode).toBe(404);
  expect(res.json()).toMatchObject({ status: 'error', error: 'PROJECT_NOT_FOUND' });
});
