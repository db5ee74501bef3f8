// @vitest-environment happy-dom
// Confirmation conditions (ARCHITECTURE.md "Confirmation"): a lead of a form with `confirm` waits, stored pending,
// until its condition holds on its page; a later page sends what an unloaded submit page left waiting.
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import type { SiteLeadBody } from '../../shared/schemas.ts';
import type { FormConfirm } from '../../shared/form-config.ts';
import { createWaits } from '../confirm.ts';
import { createHold } from '../confirm-loader.ts';
import { createQueue, type Entry } from '../queue.ts';
import { lazy } from '../lazy.ts';
import { formConfig, memoryStore, recordingLog } from './helpers.ts';

const body = (clientId: string): SiteLeadBody => ({
  clientId,
  formId: 'f1',
  source: 'form',
  name: clientId,
  fields: {},
  context: { page: '', referrer: '', landingPage: '', visit: null, firstVisit: null, utm: {}, clickIds: {}, cookies: {}, params: {} },
});

const T0 = 1_000_000;

function setup(store = memoryStore()) {
  const t = { now: T0 };
  const sent: string[] = [];
  const rec = recordingLog();
  const queue = createQueue(store, async (b) => (sent.push(b.clientId), 'lead-' + b.clientId), () => t.now, rec.log);
  // s-confirm.js already loaded (as it is, long before a visitor submits): see "while s-confirm.js loads" below.
  const waits = createWaits(window, queue, () => t.now, rec.log);
  const hold = createHold(window, async () => waits, queue, () => t.now);
  const capture = (id: string, confirm: FormConfirm, trigger: 'submit' | 'click' = 'click', formId = 'f1') =>
    hold(formConfig({ id: formId, trigger, confirm }), { ...body(id), formId });
  // Time goes on in the 200 ms steps of the check.
  const advance = async (ms: number) => {
    for (let left = ms; left > 0; left -= 200) {
      t.now += 200;
      await vi.advanceTimersByTimeAsync(200);
    }
  };
  return { store, sent, queue, capture, advance, t, rec };
}

beforeEach(() => {
  vi.useFakeTimers();
  document.body.innerHTML = '<div class="ok" style="display:none">Thanks</div><div class="old ok">Sent before</div>';
  // happy-dom lays nothing out: an element has a box unless it (or an ancestor) is display:none.
  vi.spyOn(Element.prototype, 'getClientRects').mockImplementation(function (this: Element) {
    return (this.checkVisibility() ? [{}] : []) as unknown as DOMRectList;
  });
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('on its own page', () => {
  test('a lead is stored pending and sent only once an element matching the selector becomes visible', async () => {
    const { store, sent, capture, advance } = setup();
    capture('a', { selector: '.ok', seconds: 10 });
    await advance(1000);
    expect(sent).toEqual([]);
    expect(store.map.get('a')).toMatchObject({ w: T0 + 10_000 });
    document.querySelector<HTMLElement>('.ok')!.style.display = 'block';
    await advance(200);
    expect(sent).toEqual(['a']);
    expect(store.map.size).toBe(0);
  });

  test('an element visible already at the capture does not confirm it; nothing within the seconds drops it', async () => {
    const { store, sent, capture, advance, rec } = setup();
    capture('a', { selector: '.old', seconds: 2 });
    await advance(2200);
    expect(sent).toEqual([]);
    expect(store.map.size).toBe(0);
    expect(rec.text()).toContain('dropped: not confirmed a');
  });

  test('an event named `event` reaching the page confirms it, on the document or the window', async () => {
    const { sent, capture, advance } = setup();
    capture('a', { event: 'wpcf7mailsent', seconds: 10 });
    capture('b', { event: 'b24:form:send:success', seconds: 10 }, 'click', 'f2');
    document.body.dispatchEvent(new Event('wpcf7invalid', { bubbles: true }));
    await advance(400);
    expect(sent).toEqual([]);
    document.querySelector('.ok')!.dispatchEvent(new CustomEvent('wpcf7mailsent', { bubbles: true }));
    window.dispatchEvent(new CustomEvent('b24:form:send:success'));
    await advance(200);
    expect(sent.sort()).toEqual(['a', 'b']);
  });

  test('a newer capture of the same form replaces the waiting one: only the values the site took are sent', async () => {
    const { sent, capture, advance, rec } = setup();
    capture('empty-name', { selector: '.ok', seconds: 10 });
    await advance(400);
    capture('good', { selector: '.ok', seconds: 10 });
    document.querySelector<HTMLElement>('.ok')!.style.display = 'block';
    await advance(400);
    expect(sent).toEqual(['good']);
    expect(rec.text()).toContain('dropped: replaced empty-name');
  });

  test('trigger submit: the page unloading confirms it; a click form is not confirmed by it', async () => {
    const { sent, store, capture, advance } = setup();
    capture('s', { event: 'never', seconds: 10 }, 'submit');
    capture('c', { event: 'never', seconds: 10 }, 'click', 'f2');
    await advance(200);
    window.dispatchEvent(new Event('pagehide'));
    await advance(200);
    expect(sent).toEqual(['s']);
    expect([...store.map.keys()]).toEqual(['c']);
  });

  test('a confirmation is acted on once: a second event sends nothing more', async () => {
    const { sent, capture, advance } = setup();
    capture('a', { event: 'done', seconds: 10 });
    document.dispatchEvent(new Event('done'));
    document.dispatchEvent(new Event('done'));
    await advance(400);
    expect(sent).toEqual(['a']);
  });

  test('a bad selector never throws into the page: the lead is dropped at its deadline', async () => {
    const { sent, store, capture, advance } = setup();
    expect(() => capture('a', { selector: '[[bad', seconds: 1 })).not.toThrow();
    await advance(1400);
    expect(sent).toEqual([]);
    expect(store.map.size).toBe(0);
  });
});

describe('on a later page (the outbox)', () => {
  const pending = (id: string, over: Partial<Entry>): Entry => ({ id, at: T0 - 3000, body: body(id), w: T0 + 5000, ...over });

  test('a submit lead an earlier page left waiting is confirmed (that page unloaded) and sent once', async () => {
    const store = memoryStore();
    await store.put_(pending('s', { u: true }));
    const { sent, queue } = setup(store);
    await queue.flush_();
    await queue.flush_();
    expect(sent).toEqual(['s']);
    expect(store.map.size).toBe(0);
  });

  test('a click lead an earlier page left is never sent: it waits out its deadline, then is dropped', async () => {
    const store = memoryStore();
    await store.put_(pending('c', {}));
    const { sent, queue, t } = setup(store);
    await queue.flush_();
    expect([...store.map.keys()]).toEqual(['c']);
    t.now = T0 + 5001;
    await queue.flush_();
    expect(sent).toEqual([]);
    expect(store.map.size).toBe(0);
  });

  test('a waiting lead past its deadline is dropped, a submit one too', async () => {
    const store = memoryStore();
    await store.put_(pending('s', { u: true, w: T0 - 1 }));
    const { sent, queue } = setup(store);
    await queue.flush_();
    expect(sent).toEqual([]);
    expect(store.map.size).toBe(0);
  });

  test("this page's own waiting submit lead is not sent by a flush (a hidden tab, coming online)", async () => {
    const { sent, store, queue, capture, advance } = setup();
    capture('s', { event: 'never', seconds: 10 }, 'submit');
    await advance(200);
    await queue.flush_();
    expect(sent).toEqual([]);
    expect([...store.map.keys()]).toEqual(['s']);
  });

  test('a lead confirmed at unload but not acknowledged is kept unmarked, and resent by the next page', async () => {
    const store = memoryStore();
    const first = setup(store);
    // The collector cannot be reached from the unloading page.
    const offline = createQueue(store, async () => 0, () => first.t.now, () => {});
    const waits = createWaits(window, offline, () => first.t.now, () => {});
    const hold = createHold(window, async () => waits, offline, () => first.t.now);
    hold(formConfig({ id: 'f2', trigger: 'submit', confirm: { event: 'never', seconds: 10 } }), { ...body('t'), formId: 'f2' });
    await first.advance(200);
    window.dispatchEvent(new Event('pagehide'));
    await first.advance(200);
    expect(store.map.get('t')?.w).toBeUndefined();
    // Long after the deadline, the next page sends it as any queued lead.
    const next = setup(store);
    next.t.now = T0 + 60_000;
    await next.queue.flush_();
    expect(next.sent).toContain('t');
  });
});

describe('while s-confirm.js loads (s.js imports it once the config holds a form with confirm)', () => {
  // The import, resolved or refused by the test.
  function deferred() {
    let done!: (ok: boolean) => void;
    const loaded = new Promise<boolean>((r) => (done = r));
    return { loaded, done };
  }
  function loading(store = memoryStore()) {
    const s = setup(store);
    const d = deferred();
    let imports = 0;
    const waitsOnLoad = async () => {
      imports++;
      if (!(await d.loaded)) throw new Error('offline');
      return createWaits(window, s.queue, () => s.t.now, s.rec.log);
    };
    // As lazy.ts does: once, again after a failure (which resolves undefined).
    let p: Promise<ReturnType<typeof createWaits> | undefined> | undefined;
    const loader = () => (p = p || waitsOnLoad().catch(() => void (p = undefined)));
    const hold = createHold(window, loader, s.queue, () => s.t.now);
    const capture = (id: string, confirm: FormConfirm, trigger: 'submit' | 'click' = 'click') =>
      hold(formConfig({ id: 'form-' + id, trigger, confirm }), { ...body(id), formId: 'form-' + id });
    return { ...s, d, capture, imports: () => imports };
  }

  test('a lead captured meanwhile is stored pending at once and sent only once confirmed after the module arrives', async () => {
    const { store, sent, capture, advance, d } = loading();
    capture('a', { selector: '.ok', seconds: 10 });
    await advance(400);
    expect(store.map.get('a')).toMatchObject({ w: T0 + 10_000 });
    expect(sent).toEqual([]);
    d.done(true);
    await advance(400);
    expect(sent).toEqual([]);
    document.querySelector<HTMLElement>('.ok')!.style.display = 'block';
    await advance(200);
    expect(sent).toEqual(['a']);
    expect(store.map.size).toBe(0);
  });

  test('an element that became visible or an event that came before the module arrived confirms it', async () => {
    const { sent, capture, advance, d } = loading();
    capture('a', { selector: '.ok', seconds: 10 });
    capture('b', { event: 'sent-ok', seconds: 10 }, 'click');
    document.querySelector<HTMLElement>('.ok')!.style.display = 'block';
    window.dispatchEvent(new Event('sent-ok'));
    await advance(400);
    expect(sent).toEqual([]);
    d.done(true);
    await advance(400);
    expect(sent.sort()).toEqual(['a', 'b']);
  });

  test('not confirmed by its deadline: dropped, never sent', async () => {
    const { sent, store, capture, advance, d } = loading();
    capture('a', { selector: '.ok', seconds: 2 });
    d.done(true);
    await advance(2400);
    expect(sent).toEqual([]);
    expect(store.map.size).toBe(0);
  });

  test('a submit lead whose page unloads before the module arrives is left pending and sent by the next page', async () => {
    const store = memoryStore();
    const first = loading(store);
    // Its page started before the next one.
    first.t.now = T0 - 5000;
    first.capture('s', { event: 'never', seconds: 10 }, 'submit');
    await first.advance(200);
    window.dispatchEvent(new Event('pagehide'));
    expect(first.sent).toEqual([]);
    expect(store.map.get('s')).toMatchObject({ u: true });
    const next = setup(store);
    next.t.now = T0 + 1000;
    await next.queue.flush_();
    expect(next.sent).toEqual(['s']);
  });

  test('a failed import leaves the lead pending (never sent unconfirmed); the next capture imports again', async () => {
    const { sent, store, capture, advance, d, imports } = loading();
    capture('a', { event: 'never', seconds: 10 });
    d.done(false);
    await advance(200);
    expect(sent).toEqual([]);
    expect([...store.map.keys()]).toEqual(['a']);
    capture('b', { event: 'never', seconds: 10 });
    await advance(200);
    expect(imports()).toBe(2);
  });
});

test('lazy.ts: a failed import resolves undefined (logged, never rejected) and is tried again on the next call', async () => {
  const rec = recordingLog();
  const load = lazy('https://collector.invalid/s-confirm.js', () => 'module', rec.log);
  await expect(load()).resolves.toBeUndefined();
  await expect(load()).resolves.toBeUndefined();
  expect(rec.lines.filter((l) => l.startsWith('error')).length).toBe(2);
});
