// The kept lookups (collector/src/store/lookup-cache.ts, docs/architecture.md "Per-request lookups"):
// on SQLite every change this process makes shows at once; PostgreSQL keeps nothing, so a change
// made behind this store's back (another process) shows at once there too.
import { afterAll, describe, expect, test } from 'vitest';
import { createLookupCache } from '../../src/store/lookup-cache.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { deleteProject, newProjectKey, renameProject } from '../../src/projects.ts';
import { postgresSchemas } from '../store-helpers.ts';

const T0 = 1_800_000_000_000;
const postgres = postgresSchemas('lr_lookup');
afterAll(postgres.dropAll);

describe('createLookupCache', () => {
  test('keeps a value until its time is up, then loads it again', async () => {
    let t = 0;
    const cache = createLookupCache(() => t, 2000);
    let loads = 0;
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    t = 1999;
    expect(await cache.get('a', load)).toBe(1);
    t = 2000;
    expect(await cache.get('a', load)).toBe(2);
  });

  test('clear drops everything, and a load that began before a clear is not kept', async () => {
    const cache = createLookupCache(() => 0, 2000);
    expect(await cache.get('a', async () => 'old')).toBe('old');
    cache.clear();
    expect(await cache.get('a', async () => 'new')).toBe('new');
    let release!: () => void;
    const slow = cache.get('b', () => new Promise<string>((r) => (release = () => r('read before the change'))));
    cache.clear();
    release();
    expect(await slow).toBe('read before the change');
    expect(await cache.get('b', async () => 'read after')).toBe('read after');
  });

  test('past its size it starts over instead of growing', async () => {
    const cache = createLookupCache(() => 0, 2000, 3);
    for (const k of ['a', 'b', 'c', 'd']) await cache.get(k, async () => k);
    let loads = 0;
    await cache.get('a', async () => ++loads);
    expect(loads).toBe(1);
  });
});

describe('SQLite: every change of this process shows at once', () => {
  test('settings, forms, quotas and the integration', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    try {
      const p = await store.createProject('Shop', T0);
      expect((await store.getProjectSettings(p.id)).truncateIp).toBe(false);
      await store.putProjectSettings(p.id, { truncateIp: true }, T0);
      expect((await store.getProjectSettings(p.id)).truncateIp).toBe(true);

      const form = await store.createForm(p.id, { title: 'T', selector: 'form', fields: {} }, T0);
      expect((await store.getForm(p.id, form.id))!.enabled).toBe(true);
      await store.updateForm(p.id, form.id, { title: 'T', selector: 'form', fields: {}, enabled: false }, T0);
      expect((await store.getForm(p.id, form.id))!.enabled).toBe(false);
      await store.deleteForm(p.id, form.id);
      expect(await store.getForm(p.id, form.id)).toBeNull();

      expect(await store.getIntegration(p.id)).toBeNull();
      await store.putIntegration(p.id, { type: 'webhook', enabled: true, settings: { url: 'http://a' } }, T0);
      expect((await store.getIntegration(p.id))!.settings.url).toBe('http://a');
      await store.putIntegration(p.id, { type: 'webhook', enabled: false, settings: { url: 'http://b' } }, T0);
      expect(await store.getIntegration(p.id)).toMatchObject({ enabled: false, settings: { url: 'http://b' } });
    } finally {
      await store.close();
    }
  });

  test('a rename, a new key and a deletion made with plain SQL (store.db)', async () => {
    const store = openSqliteStore({ file: ':memory:' });
    try {
      const p = await store.createProject('Shop', T0);
      expect((await store.getProjectByKey(p.key))!.id).toBe(p.id);
      await renameProject(store.db, p.id, 'Renamed');
      expect((await store.getProject(p.id))!.name).toBe('Renamed');
      const key = await newProjectKey(store.db, p.id);
      expect(await store.getProjectByKey(p.key)).toBeNull();
      expect((await store.getProjectByKey(key))!.id).toBe(p.id);
      expect(await deleteProject(store.db, p.id)).toBe(true);
      expect(await store.getProject(p.id)).toBeNull();
      expect(await store.getProjectByKey(key)).toBeNull();
    } finally {
      await store.close();
    }
  });
});

test('PostgreSQL keeps nothing: a change made by another process shows at once', async () => {
  const a = await postgres.open();
  try {
    const p = await a.createProject('Shop', T0);
    await a.putIntegration(p.id, { type: 'webhook', enabled: true, settings: { url: 'http://a' } }, T0);
    expect((await a.getProjectByKey(p.key))!.id).toBe(p.id);
    expect((await a.getIntegration(p.id))!.enabled).toBe(true);
    expect((await a.getProjectSettings(p.id)).truncateIp).toBe(false);
    // Another process: the same tables, changed without this store knowing.
    await a.db.run('UPDATE projects SET key = ? WHERE id = ?', ['other-key', p.id]);
    await a.db.run('UPDATE integrations SET enabled = 0 WHERE project_id = ?', [p.id]);
    await a.db.run("INSERT INTO project_settings (project_id, settings, updated_at) VALUES (?, '{\"truncateIp\":true}', ?)", [p.id, T0]);
    expect(await a.getProjectByKey(p.key)).toBeNull();
    expect((await a.getIntegration(p.id))!.enabled).toBe(false);
    expect((await a.getProjectSettings(p.id)).truncateIp).toBe(true);
  } finally {
    await a.close();
  }
});
