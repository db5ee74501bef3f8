import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { auth, newProject, siteLead, testApp } from './helpers.ts';

let t: App;
beforeEach(async () => {
  t = await testApp();
});
afterEach(async () => {
  await t.app.close();
});

const form = {
  title: 'Request from {domain}',
  trigger: 'submit',
  selector: '#contact',
  fields: { phone: { source: 'field', value: 'phone', required: true } },
  extraFields: [{ key: 'price', source: 'static', value: '1000', required: false }],
};

describe('admin auth', () => {
  test('every admin route wants the bearer token', async () => {
    for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: 'Basic abc' }]) {
      const res = await t.app.inject({ method: 'GET', url: '/api/v1/projects', headers });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ status: 'error', error: 'UNAUTHORIZED' });
    }
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/projects', headers: auth })).statusCode).toBe(200);
  });
});

describe('projects', () => {
  test('create, list, get; a missing name is a clear 400', async () => {
    const p = await newProject(t.app, 'Shop');
    expect(p).toMatchObject({ name: 'Shop' });
    expect(p.key.length).toBeGreaterThan(16);
    const list = (await t.app.inject({ url: '/api/v1/projects', headers: auth })).json();
    expect(list.map((x: { id: string }) => x.id)).toEqual([p.id]);
    expect((await t.app.inject({ url: `/api/v1/projects/${p.id}`, headers: auth })).json()).toMatchObject({ id: p.id });
    expect((await t.app.inject({ url: '/api/v1/projects/nope', headers: auth })).statusCode).toBe(404);
    const bad = await t.app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { name: '' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ status: 'error', error: 'VALIDATION_ERROR' });
    expect(bad.json().message).toMatch(/name/);
  });
});

describe('forms', () => {
  test('create, read, replace, copy, delete', async () => {
    const p = await newProject(t.app);
    const created = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${p.id}/forms`, headers: auth, payload: form });
    expect(created.statusCode).toBe(201);
    const f = created.json();
    expect(f).toMatchObject({ projectId: p.id, selector: '#contact', enabled: true, sendToCrm: true, sites: [], excludeSites: false });
    const replaced = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${p.id}/forms/${f.id}`, headers: auth, payload: { ...form, selector: '.lead-form, #other' } });
    expect(replaced.json().selector).toBe('.lead-form, #other');
    const copy = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${p.id}/forms/${f.id}/copy`, headers: auth });
    expect(copy.statusCode).toBe(201);
    expect(copy.json().id).not.toBe(f.id);
    expect(copy.json().title).toBe('Request from {domain} (copy)');
    expect((await t.app.inject({ url: `/api/v1/projects/${p.id}/forms`, headers: auth })).json()).toHaveLength(2);
    expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/projects/${p.id}/forms/${f.id}`, headers: auth })).statusCode).toBe(204);
    expect((await t.app.inject({ url: `/api/v1/projects/${p.id}/forms/${f.id}`, headers: auth })).statusCode).toBe(404);
  });

  test('a wrong form config says which setting is wrong', async () => {
    const p = await newProject(t.app);
    const res = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${p.id}/forms`, headers: auth, payload: { ...form, trigger: 'hover', selector: '' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/trigger/);
    expect(res.json().message).toMatch(/selector/);
  });
});

describe('integration', () => {
  test('secrets are write-only: masked on GET, kept when the mask is sent back', async () => {
    const p = await newProject(t.app);
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/projects/${p.id}/integration`,
      headers: auth,
      payload: { type: 'webhook', enabled: true, settings: { url: 'http://127.0.0.1:9/hook', secret: 's3cret-value' } },
    });
    expect(put.statusCode).toBe(200);
    expect(put.body).not.toContain('s3cret-value');
    const got = await t.app.inject({ url: `/api/v1/projects/${p.id}/integration`, headers: auth });
    expect(got.body).not.toContain('s3cret-value');
    expect(got.json().settings).toEqual({ url: 'http://127.0.0.1:9/hook', secret: '********' });
    const again = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${p.id}/integration`, headers: auth, payload: { type: 'webhook', enabled: false, settings: got.json<{ settings: Record<string, string> }>().settings } });
    expect(again.statusCode).toBe(200);
    expect((await t.ctx.store.getIntegration(p.id))!).toMatchObject({ enabled: false, settings: { url: 'http://127.0.0.1:9/hook', secret: 's3cret-value' } });
  });

  test('a missing required setting is refused with its name', async () => {
    const p = await newProject(t.app);
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${p.id}/integration`, headers: auth, payload: { type: 'webhook', enabled: true, settings: {} } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/url/);
  });
});

describe('leads list', () => {
  test('newest first, filtered by status, searched, paged with before', async () => {
    const p = await newProject(t.app);
    for (const name of ['Alpha', 'Beta', 'Gamma']) {
      const res = await t.app.inject({ method: 'POST', url: `/api/site/1.0/${p.id}/leads`, headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(siteLead({ name, phone: '', email: `${name}@x.io` })) });
      expect(res.statusCode).toBe(202);
      await new Promise((r) => setTimeout(r, 2));
    }
    const all = (await t.app.inject({ url: `/api/v1/projects/${p.id}/leads`, headers: auth })).json();
    expect(all.items.map((l: { name: string }) => l.name)).toEqual(['Gamma', 'Beta', 'Alpha']);
    expect(all.items[0].status).toBe('no_integration');
    const page1 = (await t.app.inject({ url: `/api/v1/projects/${p.id}/leads?limit=2`, headers: auth })).json();
    expect(page1.items).toHaveLength(2);
    const page2 = (await t.app.inject({ url: `/api/v1/projects/${p.id}/leads?limit=2&before=${page1.next}`, headers: auth })).json();
    expect(page2.items.map((l: { name: string }) => l.name)).toEqual(['Alpha']);
    expect(page2.next).toBeNull();
    const found = (await t.app.inject({ url: `/api/v1/projects/${p.id}/leads?q=bet`, headers: auth })).json();
    expect(found.items.map((l: { name: string }) => l.name)).toEqual(['Beta']);
    const sent = (await t.app.inject({ url: `/api/v1/projects/${p.id}/leads?status=sent`, headers: auth })).json();
    expect(sent.items).toEqual([]);
    const badStatus = await t.app.inject({ url: `/api/v1/projects/${p.id}/leads?status=lost`, headers: auth });
    expect(badStatus.statusCode).toBe(400);
  });
});

describe('install', () => {
  test('the script tag carries PUBLIC_URL when it is set, else the origin the admin used', async () => {
    const p = await newProject(t.app);
    const here = (await t.app.inject({ url: `/api/v1/projects/${p.id}/install`, headers: { ...auth, host: 'collector.local:8787' } })).json();
    expect(here.scriptTag).toBe(`<script async src="http://collector.local:8787/s.js" data-project="${p.id}"></script>`);
    await t.app.close();
    t = await testApp({ publicUrl: 'https://leads.example.com/' });
    const q = await newProject(t.app);
    const pub = (await t.app.inject({ url: `/api/v1/projects/${q.id}/install`, headers: auth })).json();
    expect(pub).toEqual({
      publicUrl: 'https://leads.example.com',
      scriptTag: `<script async src="https://leads.example.com/s.js" data-project="${q.id}"></script>`,
      proxyUrl: 'https://leads.example.com/api/proxy/1.0/leads/add',
    });
  });
});
