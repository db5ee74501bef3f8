// CORS is open on the site API (the snippet calls it from every site) and on /s.js, and nowhere
// else: the admin API answers no cross-origin preflight, and a bare OPTIONS gets the JSON error shape.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { auth, newProject, testApp } from './helpers.ts';

let t: App;
let projectId: string;
beforeEach(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadrelay-cors-'));
  writeFileSync(join(dir, 's.js'), '/* snippet */');
  t = await testApp({ snippetFile: join(dir, 's.js') });
  projectId = (await newProject(t.app)).id;
});
afterEach(async () => {
  await t.app.close();
});

const preflight = (url: string, requestHeaders = 'content-type') =>
  t.app.inject({
    method: 'OPTIONS',
    url,
    headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': requestHeaders },
  });

test('the site API answers preflights from any origin', async () => {
  for (const path of ['leads', 'visits', 'config']) {
    const res = await preflight(`/api/site/1.0/${projectId}/${path}`);
    expect(res.statusCode, path).toBe(204);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(String(res.headers['access-control-allow-methods'])).toMatch(/POST/);
  }
  const get = await t.app.inject({ url: `/api/site/1.0/${projectId}/config`, headers: { origin: 'https://shop.example' } });
  expect(get.headers['access-control-allow-origin']).toBe('*');
});

test('/s.js may be loaded from any origin', async () => {
  const res = await t.app.inject({ url: '/s.js', headers: { origin: 'https://shop.example' } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['access-control-allow-origin']).toBe('*');
});

test('a preflight on the admin API, asking to send the admin token, is refused in the JSON error shape', async () => {
  for (const url of ['/api/v1/projects', `/api/v1/projects/${projectId}/integration`, `/api/v1/projects/${projectId}/leads`]) {
    const res = await preflight(url, 'authorization, content-type');
    expect(res.statusCode, url).toBe(404);
    expect(res.json()).toMatchObject({ status: 'error', error: 'NOT_FOUND' });
    expect(res.headers['access-control-allow-origin'], url).toBeUndefined();
    expect(res.headers['access-control-allow-headers'], url).toBeUndefined();
    expect(res.headers['access-control-allow-methods'], url).toBeUndefined();
  }
});

test('the admin API gives no CORS header to a cross-origin GET either', async () => {
  const res = await t.app.inject({ url: '/api/v1/projects', headers: { ...auth, origin: 'https://evil.example' } });
  expect(res.statusCode).toBe(200);
  expect(res.headers['access-control-allow-origin']).toBeUndefined();
});

test('a bare OPTIONS outside the site API answers the JSON error shape', async () => {
  for (const url of ['/api/v1/projects', '/healthz', '/admin/', '/metrics', '/api/proxy/1.0/leads/add', '/no/such/path']) {
    const res = await t.app.inject({ method: 'OPTIONS', url });
    // The proxy API answers its errors with HTTP 200 (README "Proxy API"); everything else with 404/405.
    const [low, high] = url.startsWith('/api/proxy/') ? [200, 200] : [404, 405];
    expect(res.statusCode, url).toBeGreaterThanOrEqual(low);
    expect(res.statusCode, url).toBeLessThanOrEqual(high);
    expect(res.headers['content-type'], url).toMatch(/^application\/json/);
    expect(res.json(), url).toMatchObject({ status: 'error', error: expect.any(String), message: expect.any(String) });
    expect(res.headers['access-control-allow-origin'], url).toBeUndefined();
  }
});
