// Public endpoints are limited per IP (configurable); the admin API is not.
import { afterEach, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { rateLimitFromEnv } from '../src/config.ts';
import { auth, newProject, testApp } from './helpers.ts';

let t: App;
afterEach(async () => {
  await t.app.close();
});

test('the site API answers 429 in the JSON error shape past the per-IP limit, per IP', async () => {
  t = await testApp({ rateLimit: { sitePerMinute: 3, proxyPerMinute: 0 } });
  const { id } = await newProject(t.app);
  const get = (ip: string) => t.app.inject({ url: `/api/site/1.0/${id}/config`, remoteAddress: ip });
  for (let i = 0; i < 3; i++) expect((await get('10.0.0.1')).statusCode).toBe(200);
  const limited = await get('10.0.0.1');
  expect(limited.statusCode).toBe(429);
  expect(limited.json()).toMatchObject({ status: 'error', error: 'RATE_LIMITED' });
  expect(limited.json().message).toMatch(/at most 3 a minute/);
  expect((await get('10.0.0.2')).statusCode).toBe(200);
  // The admin API is behind its token, not limited.
  for (let i = 0; i < 5; i++) expect((await t.app.inject({ url: '/api/v1/projects', headers: auth, remoteAddress: '10.0.0.1' })).statusCode).toBe(200);
});

test('the proxy API has its own limit; 0 turns a limit off', async () => {
  t = await testApp({ rateLimit: { sitePerMinute: 0, proxyPerMinute: 2 } });
  const { id, key } = await newProject(t.app);
  const add = () => t.app.inject({ url: `/api/proxy/1.0/leads/add?key=${key}&name=A&is_skip_sending=1`, remoteAddress: '10.0.0.9' });
  expect((await add()).statusCode).toBe(200);
  expect((await add()).statusCode).toBe(200);
  expect((await add()).statusCode).toBe(429);
  for (let i = 0; i < 10; i++) expect((await t.app.inject({ url: `/api/site/1.0/${id}/config`, remoteAddress: '10.0.0.9' })).statusCode).toBe(200);
});

test('limits come from the environment, and a wrong value is a clear error', () => {
  expect(rateLimitFromEnv({})).toEqual({ sitePerMinute: 600, proxyPerMinute: 6000 });
  expect(rateLimitFromEnv({ RATE_LIMIT_SITE_PER_MINUTE: '0', RATE_LIMIT_PROXY_PER_MINUTE: '50' })).toEqual({ sitePerMinute: 0, proxyPerMinute: 50 });
  expect(() => rateLimitFromEnv({ RATE_LIMIT_SITE_PER_MINUTE: 'many' })).toThrow(/RATE_LIMIT_SITE_PER_MINUTE/);
});

test('the OpenAPI document is generated from the zod schemas and served at /docs', async () => {
  t = await testApp();
  const json = await t.app.inject({ url: '/docs/json' });
  expect(json.statusCode).toBe(200);
  const doc = json.json();
  expect(doc.openapi).toMatch(/^3\./);
  expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/api/site/1.0/{projectId}/leads', '/api/v1/projects/{projectId}/forms', '/api/proxy/1.0/leads/add']));
  const formBody = doc.paths['/api/v1/projects/{projectId}/forms'].post.requestBody.content['application/json'].schema;
  expect(formBody.properties.trigger.enum).toEqual(['submit', 'click']);
  expect((await t.app.inject({ url: '/docs' })).statusCode).toBeLessThan(400);
});
