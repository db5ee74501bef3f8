// Every error code the API answers, byte for byte as a client receives it: the status and the exact
// body. The error handler, the not-found handlers and the missing-file answers all go through the
// catalog (collector/src/errors.ts); these answers must not change when that code does.
import Fastify from 'fastify';
import { afterEach, expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import type { Clock } from '../src/clock.ts';
import { adminUiRoutes } from '../src/routes/admin-ui.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';
import { auth, newProject, testApp } from './helpers.ts';

let t: App | undefined;
afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

const MISSING = '/nonexistent/leadrelay-test/s.js';
const JSON_TYPE = { ...auth, 'content-type': 'application/json' };
/** 2027-01-15 12:00 UTC: twelve hours before the next UTC day. */
const NOON = Date.UTC(2027, 0, 15, 12);
const fixedClock: Clock = { now: () => NOON, sleep: () => new Promise(() => {}) };

function answer(res: { statusCode: number; body: string }): [number, string] {
  return [res.statusCode, res.body];
}
function body(code: string, message: string): string {
  return JSON.stringify({ status: 'error', error: code, message });
}

it('the site, admin and operations answers: each code with its status and its words', async () => {
  t = await testApp({ snippetFile: MISSING, rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 } });
  const { app } = t;
  const project = await newProject(app);
  const p = `/api/v1/projects/${project.id}`;

  expect(answer(await app.inject({ url: '/nope' }))).toEqual([404, '{"status":"error","error":"NOT_FOUND","message":"Not found."}']);
  expect(answer(await app.inject({ method: 'OPTIONS', url: '/api/v1/projects' }))).toEqual([404, body('NOT_FOUND', 'Not found.')]);
  expect(answer(await app.inject({ url: '/s.js' }))).toEqual([404, body('NOT_FOUND', 'The snippet is not built: run `npm run build`.')]);
  expect(answer(await app.inject({ url: '/admin/logo.png' }))).toEqual([404, body('NOT_FOUND', 'No admin file /admin/logo.png.')]);
  expect(answer(await app.inject({ url: '/api/v1/projects' }))).toEqual([
    401,
    body('UNAUTHORIZED', 'Log in with your email and password, or send the admin token: Authorization: Bearer <ADMIN_TOKEN>.'),
  ]);
  expect(answer(await app.inject({ url: '/api/v1/projects/nope', headers: auth }))).toEqual([404, body('PROJECT_NOT_FOUND', 'There is no such project.')]);
  expect(answer(await app.inject({ url: '/api/site/1.0/nope/config' }))).toEqual([404, body('PROJECT_NOT_FOUND', 'There is no such project.')]);
  expect(answer(await app.inject({ url: `${p}/forms/nope`, headers: auth }))).toEqual([404, body('FORM_NOT_FOUND', 'There is no such form in this project.')]);
  expect(answer(await app.inject({ url: `${p}/leads/nope`, headers: auth }))).toEqual([404, body('LEAD_NOT_FOUND', 'There is no such lead in this project.')]);
  expect(answer(await app.inject({ url: `${p}/integration`, headers: auth }))).toEqual([404, body('NO_INTEGRATION', 'The project has no CRM integration yet.')]);

  expect(answer(await app.inject({ method: 'POST', url: '/api/v1/projects', headers: JSON_TYPE, payload: '{"name":' }))).toEqual([
    400,
    body('BAD_JSON', 'The body is not valid JSON.'),
  ]);
  expect(answer(await app.inject({ method: 'POST', url: '/api/v1/projects', headers: JSON_TYPE, payload: '' }))).toEqual([400, body('BAD_JSON', 'The body is not valid JSON.')]);
  expect(
    answer(await app.inject({ method: 'POST', url: `/api/site/1.0/${project.id}/leads`, headers: { 'content-type': 'text/plain' }, payload: '{"clientId":' })),
  ).toEqual([400, body('BAD_JSON', 'The body is not valid JSON.')]);
  expect(answer(await app.inject({ method: 'POST', url: '/api/v1/projects', headers: JSON_TYPE, payload: '{"nam":"x"}' }))).toEqual([
    400,
    body('VALIDATION_ERROR', 'name: Invalid input: expected string, received undefined'),
  ]);
  const badType = await app.inject({ method: 'PUT', url: `${p}/integration`, headers: JSON_TYPE, payload: '{"type":"nope","enabled":true,"settings":{}}' });
  expect([badType.statusCode, badType.json()]).toEqual([400, { status: 'error', error: 'VALIDATION_ERROR', message: expect.stringMatching(/^type: /) }]);
  expect(answer(await app.inject({ method: 'POST', url: '/api/v1/projects', headers: { ...auth, 'content-type': 'application/xml' }, payload: '<a/>' }))).toEqual([
    415,
    body('UNSUPPORTED_MEDIA_TYPE', 'This content type is not accepted here.'),
  ]);
  expect(answer(await app.inject({ method: 'POST', url: '/api/v1/projects', headers: JSON_TYPE, payload: JSON.stringify({ name: 'x'.repeat(70_000) }) }))).toEqual([
    413,
    body('PAYLOAD_TOO_LARGE', 'The request body is larger than 64 KiB.'),
  ]);
  // A refusal of the HTTP layer itself keeps its status and its words.
  expect(
    answer(await app.inject({ method: 'POST', url: '/api/v1/projects', headers: { ...JSON_TYPE, 'content-length': '5' }, payload: '{"name":"abc"}' })),
  ).toEqual([400, body('BAD_REQUEST', 'Request body size did not match Content-Length')]);
});

it("a URL the router cannot read is BAD_REQUEST in the same shape, not Fastify's own", async () => {
  t = await testApp({ rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 } });
  expect(answer(await t.app.inject({ url: '/api/site/1.0/%E0%A4%A/config' }))).toEqual([
    400,
    body('BAD_REQUEST', "'/api/site/1.0/%E0%A4%A/config' is not a valid url component"),
  ]);
  // Answered before any route, so on the proxy API too with its real status.
  expect(answer(await t.app.inject({ url: '/api/proxy/1.0/leads/add%E0?key=k' }))).toEqual([
    400,
    body('BAD_REQUEST', "'/api/proxy/1.0/leads/add%E0?key=k' is not a valid url component"),
  ]);
  const long = `/api/site/1.0/${'x'.repeat(501)}/config`;
  expect(answer(await t.app.inject({ url: long }))).toEqual([414, body('BAD_REQUEST', `'${long}' is exceeding the max param length`)]);
});

it('a refusal of the static file layer is BAD_REQUEST with its own 4xx status', async () => {
  const file = `${process.env['TMPDIR'] ?? '/tmp'}/leadrelay-error-answers-s.js`;
  const { writeFile, rm } = await import('node:fs/promises');
  await writeFile(file, 'void 0;');
  try {
    t = await testApp({ snippetFile: file });
    expect(answer(await t.app.inject({ url: '/s.js', headers: { range: 'bytes=500-600' } }))).toEqual([416, body('BAD_REQUEST', 'Range Not Satisfiable')]);
    expect(answer(await t.app.inject({ url: '/s.js', headers: { 'if-match': '"other"' } }))).toEqual([412, body('BAD_REQUEST', 'Precondition Failed')]);
  } finally {
    await rm(file, { force: true });
  }
});

it('the proxy API answers its errors with HTTP 200, except 413 and 429', async () => {
  t = await testApp({ rateLimit: { sitePerMinute: 0, proxyPerMinute: 2 } });
  const { app } = t;
  const { key } = await newProject(app);
  expect(answer(await app.inject({ url: '/api/proxy/1.0/leads/add?key=wrong' }))).toEqual([200, body('AUTH_ERROR', 'The project key is wrong.')]);
  expect(answer(await app.inject({ url: `/api/proxy/1.0/leads/add?key=${key}&charset=x-klingon` }))).toEqual([
    200,
    body('BAD_CHARSET', 'Unknown charset "x-klingon": use an encoding name such as UTF-8 or Windows-1251'),
  ]);
  const limited = await app.inject({ url: `/api/proxy/1.0/leads/add?key=${key}` });
  expect(answer(limited)).toEqual([429, body('RATE_LIMITED', 'Too many requests from this address: at most 2 a minute; retry in 60 s.')]);
  expect(limited.headers['retry-after']).toBe('60');
});

it('the proxy API: an unknown URL, a missing lead, a validation error and a payload too large', async () => {
  t = await testApp({ rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 } });
  const { app } = t;
  const { key } = await newProject(app);
  expect(answer(await app.inject({ url: '/api/proxy/1.0/nope' }))).toEqual([
    200,
    body('NOT_FOUND', 'Not found. The proxy API has GET or POST /api/proxy/1.0/leads/add and /api/proxy/1.0/leads/messages/add.'),
  ]);
  expect(answer(await app.inject({ url: `/api/proxy/1.0/leads/messages/add?key=${key}&message=hi` }))).toEqual([
    200,
    body('VALIDATION_ERROR', 'id: the lead id from leads/add is required'),
  ]);
  expect(answer(await app.inject({ url: `/api/proxy/1.0/leads/messages/add?key=${key}&id=nope&message=hi` }))).toEqual([
    200,
    body('LEAD_NOT_FOUND', 'There is no such lead in this project.'),
  ]);
  expect(answer(await app.inject({ method: 'POST', url: '/api/proxy/1.0/leads/add', headers: { 'content-type': 'application/json' }, payload: '{"key":' }))).toEqual([
    200,
    body('BAD_JSON', 'The request body is not valid JSON'),
  ]);
  expect(
    answer(await app.inject({ method: 'POST', url: '/api/proxy/1.0/leads/add', headers: { 'content-type': 'text/plain' }, payload: 'x'.repeat(70_000) })),
  ).toEqual([413, body('PAYLOAD_TOO_LARGE', 'The request body is larger than 64 KiB.')]);
});

it('QUOTA_EXCEEDED is 429 with Retry-After until the next UTC day, on the proxy API too', async () => {
  t = await testApp({ clock: fixedClock, quotas: { leadsPerDay: 1, visitsPerDay: 0 }, rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 } });
  const { key } = await newProject(t.app);
  expect((await t.app.inject({ url: `/api/proxy/1.0/leads/add?key=${key}&name=A` })).statusCode).toBe(200);
  const res = await t.app.inject({ url: `/api/proxy/1.0/leads/add?key=${key}&name=B` });
  expect(answer(res)).toEqual([429, body('QUOTA_EXCEEDED', "The project's quota of 1 leads a day is used up; more are taken after 00:00 UTC.")]);
  expect(res.headers['retry-after']).toBe(String(12 * 3600));
});

it('CRM_ERROR is 502 when the CRM cannot give its field list', async () => {
  t = await testApp({ fetch: async () => new Response('down', { status: 503 }) });
  const { id } = await newProject(t.app);
  await t.ctx.store.putIntegration(id, { type: 'amocrm', enabled: true, settings: { baseUrl: 'https://acme.amocrm.ru', token: 'tok' } }, Date.now());
  const res = await t.app.inject({ url: `/api/v1/projects/${id}/crm-fields`, headers: auth });
  expect(res.statusCode).toBe(502);
  expect(res.json()).toMatchObject({ status: 'error', error: 'CRM_ERROR', message: expect.stringMatching(/^The CRM's field list could not be loaded: /) });
});

it('a fault of the server is INTERNAL 500 and says nothing of it; a database that cannot be written is STORAGE_UNAVAILABLE 503', async () => {
  const real = openSqliteStore({ file: ':memory:' });
  const store: Store = {
    ...real,
    listProjects: async () => {
      throw new Error('secret detail of the fault');
    },
    probeWrite: async () => {
      throw new Error('database or disk is full');
    },
  };
  try {
    t = await testApp({ store });
    expect(answer(await t.app.inject({ url: '/api/v1/projects', headers: auth }))).toEqual([500, body('INTERNAL', 'Internal error.')]);
    expect(answer(await t.app.inject({ url: '/healthz' }))).toEqual([
      503,
      body('STORAGE_UNAVAILABLE', 'The database cannot be written (a full disk, or a read-only file system?); the collector log says why.'),
    ]);
  } finally {
    await t?.app.close();
    t = undefined;
    await real.close();
  }
});

it('ADMIN_UI_NOT_BUILT is 503 while the admin bundle is missing', async () => {
  const app = Fastify();
  await app.register(adminUiRoutes, { distDir: '/nonexistent/leadrelay-test/admin' });
  try {
    expect(answer(await app.inject({ url: '/admin/app.js' }))).toEqual([503, body('ADMIN_UI_NOT_BUILT', 'dist/admin/app.js is missing: run "npm run build" first.')]);
  } finally {
    await app.close();
  }
});
