// @vitest-environment happy-dom
// The whole snippet booted on a fresh happy-dom page, with the collector answered by a fake fetch.
import { Window } from 'happy-dom';
import { afterEach, describe, expect, test } from 'vitest';
import type { SiteLeadBody } from '../../shared/schemas.ts';
import type { SiteConfig } from '../../shared/form-config.ts';
import type { LeadrelayApi } from '../api.ts';
import { boot } from '../boot.ts';
import { formConfig, memoryStore } from './helpers.ts';

const COLLECTOR = 'https://collector.example';
const config: SiteConfig = {
  forms: [
    formConfig({
      id: 'contact',
      selector: '#contact',
      fields: { name: { source: 'field', value: 'name', required: false }, phone: { source: 'field', value: 'phone', required: true } },
      extraFields: [{ key: 'source', source: 'static', value: '{utmSource}', required: false }],
    }),
  ],
  settings: { configTtl: 300 },
};

type Call = { url: string; body: unknown };
const windows: Window[] = [];
afterEach(async () => {
  for (const w of windows.splice(0)) await w.happyDOM.close();
});

function page(
  opts: {
    url?: string;
    collector?: (url: string, body: unknown) => Response | Promise<Response>;
    preload?: string;
    store?: ReturnType<typeof memoryStore>;
    /** Runs before the snippet boots (to put something in the page's storage). */
    before?: (win: Window) => void;
  } = {},
) {
  const win = new Window({ url: opts.url || 'https://shop.example/?utm_source=ya&gclid=G1' });
  windows.push(win);
  const calls: Call[] = [];
  let visit = 0;
  const collector =
    opts.collector ||
    ((url: string) => {
      if (url.endsWith('/config')) return Response.json(config);
      if (url.endsWith('/visits')) return Response.json({ visit: ++visit + 100 });
      return Response.json({ status: 'success', data: { id: 'lead-' + calls.length } }, { status: 202 });
    });
  win.fetch = (async (url: string, init?: RequestInit) => {
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    calls.push({ url: String(url), body });
    return collector(String(url), body);
  }) as never;
  win.document.write(
    `<html><head>${opts.preload || ''}<script type="text/x-test" async src="${COLLECTOR}/s.js" data-project="p1"></script></head><body>` +
      '<form id="contact" action="/thanks"><input name="name" value="Ann"><input name="phone" value="+7 900"><button>Send</button></form></body></html>',
  );
  const store = opts.store || memoryStore();
  const w = win as unknown as Window & globalThis.Window & { leadrelay?: unknown };
  if (opts.preload) new w.Function(opts.preload.replace(/<\/?script>/g, '')).call(w);
  opts.before?.(win);
  boot(w as never, store);
  const settle = () => new Promise((r) => setTimeout(r, 20));
  const leads = () => calls.filter((c) => c.url.endsWith('/leads')).map((c) => c.body as SiteLeadBody);
  return { win: w, doc: w.document as unknown as Document, calls, store, settle, leads };
}

describe('the snippet on a page', () => {
  test('loads the config, registers the visit, and sends a submitted form as a lead with its context', async () => {
    const p = page();
    await p.settle();
    expect(p.calls.map((c) => c.url).sort()).toEqual([`${COLLECTOR}/api/site/1.0/p1/config`, `${COLLECTOR}/api/site/1.0/p1/visits`]);
    expect(p.calls.find((c) => c.url.endsWith('/visits'))!.body).toMatchObject({ landingPage: 'https://shop.example/?utm_source=ya&gclid=G1', utm: { source: 'ya' }, clickIds: { gclid: 'G1' } });
    expect(p.doc.cookie).toContain('lr_visit=101');

    const form = p.doc.querySelector('form')!;
    form.addEventListener('submit', (e) => e.preventDefault());
    form.requestSubmit();
    await p.settle();
    const [lead] = p.leads();
    expect(lead).toMatchObject({
      formId: 'contact',
      source: 'form',
      name: 'Ann',
      phone: '+7 900',
      fields: { source: '{utmSource}' },
      context: { page: 'https://shop.example/?utm_source=ya&gclid=G1', visit: 101, firstVisit: 101, utm: { source: 'ya' }, clickIds: { gclid: 'G1' } },
    });
    expect(lead!.clientId).toMatch(/^[0-9a-f]{32}$/);
    expect(p.store.map.size).toBe(0);
  });

  test('the collector down: no exception reaches the page, the lead waits in the store and goes on the next page', async () => {
    const store = memoryStore();
    const down = page({ store, collector: () => Promise.reject(new TypeError('Failed to fetch')) });
    await down.settle();
    const form = down.doc.querySelector('form')!;
    form.addEventListener('submit', (e) => e.preventDefault());
    expect(() => form.requestSubmit()).not.toThrow();
    await down.settle();
    // No config was ever loaded, so nothing matched: a reach() call is what gets queued here.
    const api = down.win.leadrelay as LeadrelayApi;
    await expect(api.reach({ phone: '1' })).resolves.toEqual({ status: 'queued' });
    expect(store.map.size).toBe(1);

    const next = page({ store, url: 'https://shop.example/next' });
    await next.settle();
    expect(next.leads().map((l) => l.phone)).toEqual(['1']);
    expect(store.map.size).toBe(0);
  });

  test('leadrelay.push calls made before the script loaded are sent; reach() resolves with the lead id', async () => {
    const p = page({ preload: "<script>window.leadrelay = window.leadrelay || []; leadrelay.push(['reach', {name: 'Early', phone: '5'}]);</script>" });
    await p.settle();
    expect(p.leads().map((l) => [l.source, l.name])).toEqual([['js', 'Early']]);
    const api = p.win.leadrelay as LeadrelayApi;
    const result = await api.reach({ title: 'Call me', phone: '6', is_need_callback: 1 });
    expect(result).toEqual({ status: 'success', id: expect.stringMatching(/^lead-/) });
    expect(p.leads()[1]).toMatchObject({ title: 'Call me', phone: '6', callback: true, formId: null });
  });

  test('loaded twice, the second copy does nothing', async () => {
    const p = page();
    await p.settle();
    const before = p.calls.length;
    boot(p.win as never, memoryStore());
    await p.settle();
    expect(p.calls.length).toBe(before);
  });

  test('pagehide and online resend what is queued', async () => {
    let up = false;
    const store = memoryStore();
    const p = page({
      store,
      collector: (url) => {
        if (!up) return Promise.reject(new TypeError('offline'));
        return url.endsWith('/leads') ? Response.json({ status: 'success', data: { id: 'x' } }, { status: 202 }) : Response.json({ visit: 1 });
      },
    });
    await p.settle();
    await (p.win.leadrelay as LeadrelayApi).reach({ phone: '7' });
    expect(store.map.size).toBe(1);
    up = true;
    p.win.dispatchEvent(new p.win.Event('online') as never);
    await p.settle();
    expect(store.map.size).toBe(0);
    up = false;
    await (p.win.leadrelay as LeadrelayApi).reach({ phone: '8' });
    up = true;
    p.win.dispatchEvent(new p.win.Event('pagehide') as never);
    await p.settle();
    expect(store.map.size).toBe(0);
  });

  test('a page without our script tag is left alone', async () => {
    const win = new Window({ url: 'https://shop.example/' });
    windows.push(win);
    boot(win as never, memoryStore());
    expect((win as unknown as { leadrelay?: unknown }).leadrelay).toBeUndefined();
  });

  test('a garbage cached config: no unhandled rejection, the fresh config is fetched and its forms work', async () => {
    const rejections: unknown[] = [];
    const onRejection = (e: unknown) => rejections.push(e);
    process.on('unhandledRejection', onRejection);
    try {
      for (const garbage of ['{"at":1}', '{"at":1,"config":{"forms":[null]}}', '"text"', '{"at":1,"config":{"forms":[],"settings":null}}']) {
        const p = page({ before: (win) => win.localStorage.setItem('lr_config_p1', garbage) });
        await p.settle();
        expect(p.calls.filter((c) => c.url.endsWith('/config'))).toHaveLength(1);
        const form = p.doc.querySelector('form')!;
        form.addEventListener('submit', (e) => e.preventDefault());
        form.requestSubmit();
        await p.settle();
        expect(p.leads().map((l) => l.formId)).toEqual(['contact']);
        expect(JSON.parse(p.win.localStorage.getItem('lr_config_p1')!).config).toEqual(config);
      }
      await new Promise((r) => setTimeout(r, 20));
      expect(rejections).toEqual([]);
    } finally {
      process.off('unhandledRejection', onRejection);
    }
  });

  test("every key it keeps carries the project: another project's config and visit on the origin are not used", async () => {
    const p = page({
      before: (win) => {
        win.localStorage.setItem('lr_config_p2', JSON.stringify({ at: Date.now(), config: { forms: [], settings: { configTtl: 300 } } }));
        win.localStorage.setItem('lr_visit_data_p2', JSON.stringify({ visit: 5, landingPage: 'https://shop.example/p2', referrer: '', utm: { source: 'p2' }, clickIds: {}, params: {} }));
        win.document.cookie = 'lr_visit_p2=5;path=/';
      },
    });
    await p.settle();
    expect(p.calls.map((c) => c.url).sort()).toEqual([`${COLLECTOR}/api/site/1.0/p1/config`, `${COLLECTOR}/api/site/1.0/p1/visits`]);
    expect(Object.keys(p.win.localStorage).sort()).toEqual(['lr_config_p1', 'lr_config_p2', 'lr_visit_data_p1', 'lr_visit_data_p2']);
    expect(p.doc.cookie.split('; ').sort()).toEqual(['lr_first_visit=101', 'lr_first_visit_p1=101', 'lr_visit=101', 'lr_visit_p1=101', 'lr_visit_p2=5']);
  });
});
