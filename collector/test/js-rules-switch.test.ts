// A project can switch js field rules off (they run admin-supplied JavaScript on every page of the
// site): the served config then carries no js rule, so the snippet never runs one.
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';
import { auth, newProject, testApp } from './helpers.ts';
import { postgresSchemas } from './store-helpers.ts';

const PRIVACY_DEFAULTS = { retentionDays: null, truncateIp: false, cookies: true };

let t: App;
let projectId: string;
beforeEach(async () => {
  t = await testApp();
  projectId = (await newProject(t.app)).id;
});
afterEach(async () => {
  await t.app.close();
});

const form = {
  selector: '#order',
  title: 'Order',
  fields: {
    name: { source: 'field', value: 'name', required: true },
    phone: { source: 'js', value: "return document.querySelector('.phone').value", required: true },
    comment: { source: 'static', value: 'From the site', required: false },
  },
  extraFields: [
    { key: 'price', source: 'js', value: 'return window.cart.total', required: false },
    { key: 'utm_source', source: 'static', value: '{utmSource}', required: false },
  ],
};
const setProject = (payload: unknown) => t.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}`, headers: auth, payload: payload as object });
const config = () => t.app.inject({ url: `/api/site/1.0/${projectId}/config` });

test('js rules are on by default and served to the sites', async () => {
  expect((await t.app.inject({ url: `/api/v1/projects/${projectId}`, headers: auth })).json()).toMatchObject({ id: projectId, jsRules: true });
  await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: form });
  const served = (await config()).json().forms[0];
  expect(served.fields.phone.source).toBe('js');
  expect(served.extraFields.map((r: { key: string }) => r.key)).toEqual(['price', 'utm_source']);
});

test('switched off: the served config holds no js rule (and no script text); other rules stay; switched on again: back', async () => {
  const created = (await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: form })).json();
  const before = await config();
  const off = await setProject({ jsRules: false });
  expect(off.statusCode).toBe(200);
  expect(off.json()).toMatchObject({ id: projectId, jsRules: false });
  expect((await t.app.inject({ url: `/api/v1/projects/${projectId}`, headers: auth })).json().jsRules).toBe(false);

  const after = await t.app.inject({ url: `/api/site/1.0/${projectId}/config`, headers: { 'if-none-match': String(before.headers.etag) } });
  expect(after.statusCode).toBe(200);
  expect(after.body).not.toContain('"js"');
  expect(after.body).not.toContain('querySelector');
  expect(after.body).not.toContain('window.cart');
  const served = after.json().forms[0];
  expect(Object.keys(served.fields).sort()).toEqual(['comment', 'name']);
  expect(served.extraFields.map((r: { key: string }) => r.key)).toEqual(['utm_source']);

  // The form itself is untouched: the admin still sees and edits its js rules.
  const stored = (await t.app.inject({ url: `/api/v1/projects/${projectId}/forms/${created.id}`, headers: auth })).json();
  expect(stored.fields.phone.source).toBe('js');

  expect((await setProject({ jsRules: true })).json().jsRules).toBe(true);
  expect((await config()).json().forms[0].fields.phone.source).toBe('js');
});

test('the switch is per project', async () => {
  const other = (await newProject(t.app, 'Other')).id;
  await t.app.inject({ method: 'POST', url: `/api/v1/projects/${other}/forms`, headers: auth, payload: form });
  await setProject({ jsRules: false });
  expect((await t.app.inject({ url: `/api/site/1.0/${other}/config` })).json().forms[0].fields.phone.source).toBe('js');
});

test('bad project settings are a clear 400; an unknown project a 404', async () => {
  for (const [payload, pattern] of [
    [{ jsRules: 'no' }, /jsRules/],
    [{ jsRule: false }, /jsRule/],
  ] as const) {
    const res = await setProject(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ status: 'error', error: 'VALIDATION_ERROR' });
    expect(res.json().message).toMatch(pattern);
  }
  expect((await t.app.inject({ method: 'PUT', url: '/api/v1/projects/nope', headers: auth, payload: { jsRules: false } })).statusCode).toBe(404);
  expect((await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}`, payload: { jsRules: false } })).statusCode).toBe(401);
});

const postgres = postgresSchemas('lr_jsrules');
afterAll(postgres.dropAll);

describe.each([
  ['sqlite', async () => openSqliteStore({ file: ':memory:' })],
  ['postgres', postgres.open],
] as const)('%s store: project settings', (_name, open) => {
  let store: Store;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  test('defaults until set; a change keeps the other settings; per project', async () => {
    const a = (await store.createProject('A', 1)).id;
    const b = (await store.createProject('B', 1)).id;
    expect(await store.getProjectSettings(a)).toEqual({ ...PRIVACY_DEFAULTS, jsRules: true });
    expect(await store.putProjectSettings(a, { jsRules: false }, 2)).toEqual({ ...PRIVACY_DEFAULTS, jsRules: false });
    expect(await store.putProjectSettings(a, {}, 3)).toEqual({ ...PRIVACY_DEFAULTS, jsRules: false });
    expect(await store.getProjectSettings(a)).toEqual({ ...PRIVACY_DEFAULTS, jsRules: false });
    expect(await store.getProjectSettings(b)).toEqual({ ...PRIVACY_DEFAULTS, jsRules: true });
  });
});
