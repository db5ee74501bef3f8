// The proxy API answers every error with HTTP 200 and its JSON body, because the reference article's
// PHP (`file_get_contents` without `ignore_errors`) gets `false` and no body on a 4xx/5xx. Only 413
// and 429 keep their status. The site and admin APIs keep real statuses.
import { afterEach, describe, expect, it } from 'vitest';
import { auth, testApp } from './helpers.ts';
import type { App } from '../src/app.ts';

const ADD = '/api/proxy/1.0/leads/add';
const MESSAGES = '/api/proxy/1.0/leads/messages/add';

let t: App | null = null;
afterEach(async () => {
  await t?.app.close();
  t = null;
});

async function setup(rateLimit = { sitePerMinute: 0, proxyPerMinute: 0 }) {
  t = await testApp({ rateLimit });
  const project = await t.ctx.store.createProject('Shop', Date.now());
  return { app: t.app, project };
}

describe('proxy API errors are HTTP 200 with the JSON error', () => {
  it.each([
    ['a wrong key', 'GET', `${ADD}?key=wrong&name=A`, undefined, 'AUTH_ERROR'],
    ['no key at all (POST)', 'POST', ADD, 'name=A', 'AUTH_ERROR'],
    ['an unknown charset', 'GET', `${ADD}?key=KEY&charset=x-klingon`, undefined, 'BAD_CHARSET'],
    ['a broken JSON body', 'POST', ADD, '{"key":', 'BAD_JSON'],
    ['a comment without its lead id', 'GET', `${MESSAGES}?key=KEY&message=hi`, undefined, 'VALIDATION_ERROR'],
    ['a comment on an unknown lead', 'GET', `${MESSAGES}?key=KEY&id=nope&message=hi`, undefined, 'LEAD_NOT_FOUND'],
    ['an unknown path inside /api/proxy/', 'GET', '/api/proxy/1.0/leads/delete?key=KEY', undefined, 'NOT_FOUND'],
    ['an unknown version', 'POST', '/api/proxy/2.0/leads/add', 'key=KEY', 'NOT_FOUND'],
    ['a method the API does not take', 'PUT', ADD, 'key=KEY', 'NOT_FOUND'],
  ] as const)('%s', async (_what, method, url, payload, code) => {
    const { app, project } = await setup();
    const type = payload?.startsWith('{') ? 'application/json' : 'application/x-www-form-urlencoded';
    const res = await app.inject({
      method,
      url: url.replace('KEY', project.key),
      ...(payload ? { payload: payload.replace('KEY', project.key), headers: { 'content-type': type } } : {}),
    });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toMatchObject({ status: 'error', error: code, message: expect.any(String) });
  });

  it('keeps 413 for a body over 64 KiB', async () => {
    const { app, project } = await setup();
    const res = await app.inject({
      method: 'POST',
      url: ADD,
      payload: `key=${project.key}&comment=${'x'.repeat(65 * 1024)}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ status: 'error', error: 'PAYLOAD_TOO_LARGE' });
  });

  it('keeps 429 when the per-IP rate limit is spent', async () => {
    const { app, project } = await setup({ sitePerMinute: 0, proxyPerMinute: 1 });
    const add = () => app.inject({ url: `${ADD}?key=${project.key}&name=A&is_skip_sending=1`, remoteAddress: '10.0.0.7' });
    expect((await add()).statusCode).toBe(200);
    const limited = await add();
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toMatchObject({ status: 'error', error: 'RATE_LIMITED' });
  });
});

describe('the site and admin APIs keep real statuses', () => {
  it('404 for an unknown project, 400 for a bad body, 401 without the admin token, 404 elsewhere', async () => {
    const { app } = await setup();
    const site = await app.inject({ method: 'POST', url: '/api/site/1.0/nope/visits', payload: '{}', headers: { 'content-type': 'text/plain' } });
    expect([site.statusCode, site.json().error]).toEqual([404, 'PROJECT_NOT_FOUND']);
    const bad = await app.inject({ method: 'POST', url: '/api/site/1.0/nope/leads', payload: '{', headers: { 'content-type': 'text/plain' } });
    expect([bad.statusCode, bad.json().error]).toEqual([400, 'BAD_JSON']);
    const admin = await app.inject({ method: 'GET', url: '/api/v1/projects' });
    expect([admin.statusCode, admin.json().error]).toEqual([401, 'UNAUTHORIZED']);
    const missing = await app.inject({ method: 'GET', url: '/api/v1/projects/nope', headers: auth });
    expect(missing.statusCode).toBe(404);
    const elsewhere = await app.inject({ method: 'GET', url: '/api/proxyish/1.0/leads/add' });
    expect([elsewhere.statusCode, elsewhere.json().error]).toEqual([404, 'NOT_FOUND']);
  });
});
