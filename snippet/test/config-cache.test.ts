// @vitest-environment happy-dom
import { describe, expect, test, vi } from 'vitest';
import type { SiteConfig } from '../../shared/form-config.ts';
import { loadConfig } from '../config.ts';
import type { SafeStorage } from '../safe-storage.ts';

function memory(): SafeStorage & { data: Record<string, unknown> } {
  const data: Record<string, unknown> = {};
  return { data, get: <T>(k: string) => (k in data ? (JSON.parse(JSON.stringify(data[k])) as T) : null), set: (k, v) => void (data[k] = v) };
}

const config = (ttl: number, selector = '#a'): SiteConfig => ({
  forms: [{ id: 'f', enabled: true, title: '', trigger: 'submit', selector, callback: false, sendToCrm: true, sites: [], excludeSites: false, fields: {}, extraFields: [], confirm: null }],
  settings: { configTtl: ttl },
});

function setup(answer: () => Response | Promise<Response>) {
  const t = { now: 0 };
  const storage = memory();
  const fetch = vi.fn(async () => answer());
  const seen: string[] = [];
  const load = (newVisit = false) =>
    loadConfig('https://c/api/site/1.0/p/config', 'lr_config_p', { fetch, navigator: {} }, storage, () => t.now, () => {}, newVisit, (c) =>
      seen.push(c.forms[0]!.selector),
    );
  return { t, storage, fetch, seen, load };
}

describe('config cache', () => {
  test('fetched with revalidation (no-cache: the browser sends If-None-Match), then cached for configTtl', async () => {
    const s = setup(() => new Response(JSON.stringify(config(60))));
    await s.load();
    expect(s.fetch).toHaveBeenCalledWith('https://c/api/site/1.0/p/config', { cache: 'no-cache' });
    s.t.now = 59_000;
    await s.load();
    expect(s.fetch).toHaveBeenCalledTimes(1);
    s.t.now = 60_000;
    await s.load();
    expect(s.fetch).toHaveBeenCalledTimes(2);
    expect(s.seen).toEqual(['#a', '#a', '#a', '#a']);
  });

  test('never cached more than 60 s, whatever configTtl says (a change reaches the next page view within a minute)', async () => {
    const s = setup(() => new Response(JSON.stringify(config(3600))));
    await s.load();
    s.t.now = 59_999;
    await s.load();
    expect(s.fetch).toHaveBeenCalledTimes(1);
    s.t.now = 60_000;
    await s.load();
    expect(s.fetch).toHaveBeenCalledTimes(2);
  });

  test('a new visit refreshes it at once', async () => {
    const s = setup(() => new Response(JSON.stringify(config(300))));
    await s.load();
    await s.load(true);
    expect(s.fetch).toHaveBeenCalledTimes(2);
  });

  test('the cached config is used at once, then the fresh one', async () => {
    let selector = '#old';
    const s = setup(() => new Response(JSON.stringify(config(0, selector))));
    await s.load();
    selector = '#new';
    await s.load();
    expect(s.seen).toEqual(['#old', '#old', '#new']);
  });

  test('the collector down or answering an error: the stale cached config stays in use, no throw', async () => {
    let up = true;
    const s = setup(() => {
      if (!up) throw new TypeError('Failed to fetch');
      return new Response(JSON.stringify(config(0)));
    });
    await s.load();
    up = false;
    await expect(s.load()).resolves.toBeUndefined();
    expect(s.seen).toEqual(['#a', '#a']);
    const errors = setup(() => new Response('{"status":"error"}', { status: 500 }));
    await errors.load();
    expect(errors.seen).toEqual([]);
    expect(errors.storage.data).toEqual({});
  });

  test('a garbage cached config is never used and never throws: a fresh config is fetched and replaces it', async () => {
    const garbage: unknown[] = [
      'text',
      42,
      { at: 0 },
      { at: 0, config: null },
      { at: 0, config: { forms: 'x' } },
      { at: 0, config: { forms: [], settings: null } },
      { at: 0, config: { forms: [null], settings: { configTtl: 300 } } },
      { at: 0, config: { forms: [{ selector: '#a', fields: {}, extraFields: [], sites: 'example.com' }], settings: { configTtl: 300 } } },
      { at: 0, config: { forms: [{ selector: '#a', fields: null, extraFields: [], sites: [] }], settings: { configTtl: 300 } } },
    ];
    for (const cached of garbage) {
      const s = setup(() => new Response(JSON.stringify(config(300, '#fresh'))));
      s.storage.data.lr_config_p = cached;
      await expect(s.load(), JSON.stringify(cached)).resolves.toBeUndefined();
      expect(s.fetch).toHaveBeenCalledTimes(1);
      expect(s.seen).toEqual(['#fresh']);
      expect((s.storage.data.lr_config_p as { config: SiteConfig }).config.forms[0]!.selector).toBe('#fresh');
    }
  });

  test('a fresh answer that is not a config is neither used nor cached', async () => {
    const s = setup(() => new Response(JSON.stringify({ forms: [{ selector: '#x' }], settings: { configTtl: 300 } })));
    await expect(s.load()).resolves.toBeUndefined();
    expect(s.seen).toEqual([]);
    expect(s.storage.data).toEqual({});
  });

  test("the cache is the project's own key: another project's cached config is not read", async () => {
    const s = setup(() => new Response(JSON.stringify(config(300, '#mine'))));
    s.storage.data.lr_config_other = { at: 0, config: config(300, '#theirs') };
    s.storage.data.lr_config = { at: 0, config: config(300, '#legacy') };
    await s.load();
    expect(s.seen).toEqual(['#mine']);
    expect(s.storage.data.lr_config_other).toEqual({ at: 0, config: config(300, '#theirs') });
  });
});
