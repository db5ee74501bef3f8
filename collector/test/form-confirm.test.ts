// A form's `confirm` (docs/http-api.md "Form config"): validated by the admin API, kept by both stores, null for a
// form that never set it, and served to the sites.
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';
import { auth, newProject, testApp } from './helpers.ts';
import { postgresSchemas } from './store-helpers.ts';

const postgres = postgresSchemas('lr_confirm');
afterAll(postgres.dropAll);

const base = { selector: '.t-form', title: 'Tilda', fields: { phone: { source: 'field', value: 'Phone', required: true } } };

describe.each([
  ['sqlite', async () => openSqliteStore({ file: ':memory:' })],
  ['postgres', postgres.open],
] as const)('%s store', (_name, open) => {
  let store: Store;
  let t: App;
  let projectId: string;
  beforeEach(async () => {
    store = await open();
    t = await testApp({ store });
    projectId = (await newProject(t.app)).id;
  });
  afterEach(async () => {
    await t.app.close();
  });
  const post = (payload: object) => t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload });

  test('confirm is kept as given, null by default (also for a form stored before it existed), and served to the sites', async () => {
    const confirm = { selector: '.t-form__successbox', seconds: 10 };
    const withConfirm = await post({ ...base, trigger: 'click', confirm });
    expect(withConfirm.statusCode).toBe(201);
    expect(withConfirm.json().confirm).toEqual(confirm);
    const plain = (await post(base)).json();
    expect(plain.confirm).toBeNull();
    const put = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/projects/${projectId}/forms/${plain.id}`,
      headers: auth,
      payload: { ...base, confirm: { event: 'wpcf7mailsent', seconds: 2.5 } },
    });
    expect(put.json().confirm).toEqual({ event: 'wpcf7mailsent', seconds: 2.5 });

    // A config row written before `confirm` existed reads as null.
    const old = await store.createForm(projectId, base as never, Date.now());
    const { confirm: _drop, id: _id, projectId: _p, ...before } = old;
    expect(await store.db.run('UPDATE forms SET config = ? WHERE id = ?', [JSON.stringify(before), old.id])).toBe(1);
    expect((await t.app.inject({ url: `/api/v1/projects/${projectId}/forms/${old.id}`, headers: auth })).json().confirm).toBeNull();

    const served = (await t.app.inject({ url: `/api/site/1.0/${projectId}/config` })).json().forms;
    expect(served.map((f: { confirm: unknown }) => f.confirm)).toEqual([confirm, { event: 'wpcf7mailsent', seconds: 2.5 }, null]);
  });
});

describe('validation', () => {
  let t: App;
  let projectId: string;
  beforeEach(async () => {
    t = await testApp();
    projectId = (await newProject(t.app)).id;
  });
  afterEach(async () => {
    await t.app.close();
  });

  test('a wrong confirm is a 400 naming what is wrong', async () => {
    for (const [confirm, trigger, pattern] of [
      [{ selector: '.ok' }, 'submit', /confirm\.seconds/],
      [{ selector: '.ok', seconds: 0 }, 'submit', /confirm\.seconds: must be more than 0/],
      [{ selector: '.ok', seconds: 301 }, 'submit', /confirm\.seconds: at most 300/],
      [{ selector: '', seconds: 10 }, 'submit', /confirm\.selector: leave it out or give a CSS selector/],
      [{ event: '  ', seconds: 10 }, 'submit', /confirm\.event/],
      [{ seconds: 10 }, 'click', /confirm: with trigger click give a selector or an event/],
      ['yes', 'submit', /confirm/],
    ] as const) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: { ...base, trigger, confirm } });
      expect(res.statusCode, JSON.stringify(confirm)).toBe(400);
      expect(res.json()).toMatchObject({ status: 'error', error: 'VALIDATION_ERROR' });
      expect(res.json().message).toMatch(pattern);
    }
  });

  test('a submit form may wait for its page to unload alone ({seconds}); null sends at once', async () => {
    for (const confirm of [{ seconds: 10 }, null]) {
      const res = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: { ...base, trigger: 'submit', confirm } });
      expect(res.statusCode).toBe(201);
      expect(res.json().confirm).toEqual(confirm);
    }
  });
});
