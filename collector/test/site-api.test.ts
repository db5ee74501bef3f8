import { afterEach, beforeEach, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { auth, newProject, siteLead, testApp } from './helpers.ts';

let t: App;
let projectId: string;
beforeEach(async () => {
  t = await testApp();
  projectId = (await newProject(t.app)).id;
});
afterEach(async () => {
  await t.app.close();
});

const text = { 'content-type': 'text/plain;charset=UTF-8' };
const postLead = (body: unknown, pid = projectId) =>
  t.app.inject({ method: 'POST', url: `/api/site/1.0/${pid}/leads`, headers: text, payload: typeof body === 'string' ? body : JSON.stringify(body) });

test('config lists enabled forms only, never a secret, with an ETag', async () => {
  await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}/integration`, headers: auth, payload: { type: 'webhook', enabled: true, settings: { url: 'http://127.0.0.1:9/x', secret: 'top-secret' } } });
  await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: { selector: '#on', title: 'On' } });
  await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: { selector: '#off', enabled: false } });
  const res = await t.app.inject({ url: `/api/site/1.0/${projectId}/config` });
  expect(res.statusCode).toBe(200);
  expect(res.headers['access-control-allow-origin']).toBe('*');
  expect(res.json().forms.map((f: { selector: string }) => f.selector)).toEqual(['#on']);
  expect(res.json().settings.configTtl).toBeLessThanOrEqual(300);
  expect(res.body).not.toMatch(/top-secret|127\.0\.0\.1|webhook|projectId/);
  const again = await t.app.inject({ url: `/api/site/1.0/${projectId}/config`, headers: { 'if-none-match': String(res.headers.etag) } });
  expect(again.statusCode).toBe(304);
});

test('visits are numbered per project, in order', async () => {
  const other = (await newProject(t.app, 'Other')).id;
  // Each from another page: the same visit registered again by the same browser is not a new one.
  let page = 0;
  const visit = async (pid: string) =>
    (await t.app.inject({ method: 'POST', url: `/api/site/1.0/${pid}/visits`, headers: text, payload: JSON.stringify({ landingPage: `https://a.example/${++page}?utm_source=ya`, utm: { source: 'ya' } }) })).json().visit;
  expect([await visit(projectId), await visit(projectId), await visit(other), await visit(projectId)]).toEqual([1, 2, 1, 3]);
  expect(await t.ctx.store.getVisit(projectId, 2)).toMatchObject({ number: 2, utm: { source: 'ya' } });
});

test('a lead is acknowledged with 202 and its id, and stored with the request context', async () => {
  const res = await postLead(siteLead({ name: 'Olga', fields: { price: '100', tags: ['a', 'b'] } }));
  expect(res.statusCode).toBe(202);
  const { id } = res.json().data;
  expect(res.json()).toEqual({ status: 'success', data: { id } });
  const lead = (await t.ctx.store.getLead(projectId, id))!;
  expect(lead).toMatchObject({ name: 'Olga', source: 'form', page: 'https://shop.example/contacts', referrer: 'https://google.com/', fields: { price: '100', tags: ['a', 'b'] } });
  expect(lead.ip).toBe('127.0.0.1');
});

test('the same clientId sent twice is stored once', async () => {
  const body = siteLead();
  const a = await postLead(body);
  const b = await postLead(body);
  expect(b.statusCode).toBe(202);
  expect(b.json().data.id).toBe(a.json().data.id);
  expect((await t.ctx.store.listLeads(projectId, { limit: 10 })).items).toHaveLength(1);
});

test('a form lead takes its title from the form config and follows sendToCrm', async () => {
  const f = (await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: { selector: '#f', title: 'Order from {utmSource}', sendToCrm: false } })).json();
  const res = await postLead(siteLead({ formId: f.id, title: 'forged title', context: { page: 'https://a/', utm: { source: 'google' } } }));
  const lead = (await t.ctx.store.getLead(projectId, res.json().data.id))!;
  expect(lead.title).toBe('Order from google');
  expect(lead.status).toBe('not_sent');
});

test('bad input gets a clear error in the JSON error shape, never a 5xx', async () => {
  const cases: [unknown, number, string][] = [
    ['{not json', 400, 'BAD_JSON'],
    ['', 400, 'BAD_JSON'],
    [{ name: 'no client id' }, 400, 'VALIDATION_ERROR'],
    [{ ...siteLead(), fields: { k: { nested: true } } }, 400, 'VALIDATION_ERROR'],
    [JSON.stringify(siteLead({ comment: 'x'.repeat(70 * 1024) })), 413, 'PAYLOAD_TOO_LARGE'],
  ];
  for (const [body, status, code] of cases) {
    const res = await postLead(body);
    expect(res.statusCode, String(body).slice(0, 40)).toBe(status);
    expect(res.json()).toMatchObject({ status: 'error', error: code });
    expect(typeof res.json().message).toBe('string');
  }
  const unknown = await postLead(siteLead(), 'no-such-project');
  expect(unknown.statusCode).toBe(404);
  expect(unknown.json().error).toBe('PROJECT_NOT_FOUND');
});

test('values over the limits are truncated, not rejected', async () => {
  const res = await postLead(siteLead({ name: 'n'.repeat(2000), comment: 'c'.repeat(5000), fields: { big: 'f'.repeat(8000) } }));
  expect(res.statusCode).toBe(202);
  const lead = (await t.ctx.store.getLead(projectId, res.json().data.id))!;
  expect(lead.name).toHaveLength(1024);
  expect(lead.comment).toHaveLength(4096);
  expect(lead.fields.big).toHaveLength(8000);
});

test('a hostile value is stored as text, as sent', async () => {
  const name = '<img src=x onerror=alert(1)>';
  const res = await postLead(siteLead({ name }));
  expect((await t.ctx.store.getLead(projectId, res.json().data.id))!.name).toBe(name);
});

test('CORS preflight is answered for the site API', async () => {
  const res = await t.app.inject({ method: 'OPTIONS', url: `/api/site/1.0/${projectId}/leads`, headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' } });
  expect(res.statusCode).toBeLessThan(300);
  expect(res.headers['access-control-allow-origin']).toBe('*');
});

test('a form change through the admin API shows in the config at once', async () => {
  const first = await t.app.inject({ url: `/api/site/1.0/${projectId}/config` });
  expect(first.json().forms).toEqual([]);
  const created = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: { selector: '#new' } });
  const afterCreate = await t.app.inject({ url: `/api/site/1.0/${projectId}/config`, headers: { 'if-none-match': String(first.headers.etag) } });
  expect(afterCreate.statusCode).toBe(200);
  expect(afterCreate.json().forms.map((f: { selector: string }) => f.selector)).toEqual(['#new']);
  await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}/forms/${created.json().id}`, headers: auth, payload: { selector: '#changed' } });
  expect((await t.app.inject({ url: `/api/site/1.0/${projectId}/config` })).json().forms[0].selector).toBe('#changed');
  await t.app.inject({ method: 'DELETE', url: `/api/v1/projects/${projectId}/forms/${created.json().id}`, headers: auth });
  expect((await t.app.inject({ url: `/api/site/1.0/${projectId}/config` })).json().forms).toEqual([]);
});
