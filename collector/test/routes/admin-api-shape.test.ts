// The admin API's shape (docs/http-api.md "Admin API"): one pre-handler loads the project of every
// /projects/:projectId route, and zod response schemas document the answers without cutting them.
import pino from 'pino';
import { afterAll, beforeAll, expect, test, vi } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';
import { auth, siteLead, TOKEN } from '../helpers.ts';

let t: App;
let projectId: string;
beforeAll(async () => {
  t = await buildApp({ adminToken: TOKEN, logger: pino({ level: 'silent' }), worker: false });
  await t.app.ready();
  projectId = (await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { name: 'Shape' } })).json().id;
});
afterAll(async () => {
  await t.app.close();
});

const PROJECT_ROUTES: [string, string][] = [
  ['GET', ''],
  ['PUT', ''],
  ['GET', '/install'],
  ['GET', '/forms'],
  ['POST', '/forms'],
  ['GET', '/forms/f1'],
  ['PUT', '/forms/f1'],
  ['DELETE', '/forms/f1'],
  ['POST', '/forms/f1/copy'],
  ['GET', '/integration'],
  ['PUT', '/integration'],
  ['POST', '/integration/test'],
  ['GET', '/crm-fields'],
  ['GET', '/leads'],
  ['GET', '/leads/l1'],
  ['POST', '/leads/resend'],
  ['POST', '/leads/l1/resend'],
];
const bodyFor = (method: string, path: string) =>
  method === 'PUT' && path === '/integration'
    ? { type: 'webhook', settings: { url: 'https://example.com/' } }
    : path.startsWith('/forms')
      ? { selector: 'form' }
      : method === 'GET' || method === 'DELETE'
        ? undefined
        : {};

test('every /projects/:projectId route of an unknown project is 404 PROJECT_NOT_FOUND, from one lookup', async () => {
  const getProject = vi.spyOn(t.ctx.store, 'getProject');
  for (const [method, path] of PROJECT_ROUTES) {
    getProject.mockClear();
    const payload = bodyFor(method, path);
    const res = await t.app.inject({ method: method as 'GET', url: `/api/v1/projects/nope${path}`, headers: auth, ...(payload ? { payload } : {}) });
    expect([method, path, res.statusCode, res.json().error]).toEqual([method, path, 404, 'PROJECT_NOT_FOUND']);
    expect(getProject, `${method} ${path}`).toHaveBeenCalledTimes(1);
  }
  getProject.mockRestore();
});

test('the handler finds the project on the request: a known project is looked up once per request', async () => {
  const getProject = vi.spyOn(t.ctx.store, 'getProject');
  const res = await t.app.inject({ url: `/api/v1/projects/${projectId}/install`, headers: auth });
  expect(res.statusCode).toBe(200);
  expect(res.json().scriptTag).toContain(`data-project="${projectId}"`);
  expect(getProject).toHaveBeenCalledTimes(1);
  getProject.mockRestore();
});

test('a lead answer keeps every field, including ones no schema names', async () => {
  const stored = await t.app.inject({
    method: 'POST',
    url: `/api/site/1.0/${projectId}/leads`,
    headers: { 'content-type': 'text/plain' },
    payload: JSON.stringify(siteLead({ name: 'Анна', phone: '+7 900 000-00-00' })),
  });
  expect(stored.statusCode, stored.body).toBeLessThan(300);
  const list = (await t.app.inject({ url: `/api/v1/projects/${projectId}/leads`, headers: auth })).json();
  const leadId = list.items[0].id as string;
  const real = t.ctx.store.getLead.bind(t.ctx.store);
  const getLead = vi.spyOn(t.ctx.store, 'getLead').mockImplementation(async (p, id) => {
    const lead = await real(p, id);
    return lead && ({ ...lead, laterField: 'kept' } as typeof lead);
  });
  const listAttempts = vi.spyOn(t.ctx.store, 'listAttempts').mockResolvedValue([
    { kind: 'note', at: new Date(0).toISOString(), ok: true, httpStatus: 200, error: null, durationMs: 5, droppedFields: [{ key: 'x', value: '1', reason: 'unknown' }] },
  ]);
  const res = await t.app.inject({ url: `/api/v1/projects/${projectId}/leads/${leadId}`, headers: auth });
  getLead.mockRestore();
  listAttempts.mockRestore();
  expect(res.statusCode, res.body).toBe(200);
  const lead = res.json();
  expect(lead).toMatchObject({ id: leadId, name: 'Анна', comments: [], laterField: 'kept' });
  expect(lead.attempts).toEqual([expect.objectContaining({ kind: 'note', droppedFields: [{ key: 'x', value: '1', reason: 'unknown' }] })]);
});

test('/docs documents the answers of projects, forms, the integration, leads and attempts', async () => {
  const doc = (await t.app.inject({ url: '/docs/json' })).json();
  const answer = (path: string, method: string, status: string) =>
    doc.paths[`/api/v1${path}`][method].responses[status].content['application/json'].schema;
  const props = (schema: { properties?: object; items?: { properties?: object } }) => Object.keys(schema.properties ?? schema.items?.properties ?? {});
  expect(props(answer('/projects', 'get', '200'))).toEqual(expect.arrayContaining(['id', 'name', 'key', 'createdAt']));
  expect(props(answer('/projects/{projectId}', 'get', '200'))).toEqual(expect.arrayContaining(['jsRules', 'quotaLeadsPerDay']));
  expect(props(answer('/projects/{projectId}/forms', 'get', '200'))).toEqual(expect.arrayContaining(['id', 'selector', 'fields']));
  expect(props(answer('/projects/{projectId}/integration', 'get', '200'))).toEqual(expect.arrayContaining(['type', 'enabled', 'settings']));
  expect(props(answer('/projects/{projectId}/leads', 'get', '200'))).toEqual(['items', 'next']);
  const lead = answer('/projects/{projectId}/leads/{leadId}', 'get', '200');
  expect(props(lead)).toEqual(expect.arrayContaining(['status', 'comments', 'attempts']));
  expect(Object.keys(lead.properties.attempts.items.properties)).toEqual(expect.arrayContaining(['kind', 'ok', 'droppedFields']));
});
