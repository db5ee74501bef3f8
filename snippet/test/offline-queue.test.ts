// @vitest-environment happy-dom
import { describe, expect, test } from 'vitest';
import type { SiteLeadBody } from '../../shared/schemas.ts';
import { createQueue } from '../queue.ts';
import type { SendResult } from '../transport.ts';
import { memoryStore } from './helpers.ts';

const lead = (clientId: string): SiteLeadBody => ({
  clientId,
  formId: 'f1',
  source: 'form',
  fields: {},
  context: { page: '', referrer: '', landingPage: '', visit: null, firstVisit: null, utm: {}, clickIds: {}, cookies: {}, params: {} },
});

function setup(answers: SendResult[] | ((id: string) => SendResult), t = { now: 1_000_000 }) {
  const store = memoryStore();
  const sent: string[] = [];
  const queue = createQueue(
    store,
    async (body) => {
      sent.push(body.clientId);
      store.log.push('send ' + body.clientId);
      return typeof answers == 'function' ? answers(body.clientId) : (answers.shift() ?? 0);
    },
    () => t.now,
    () => {},
  );
  return { store, sent, queue, t };
}

describe('offline queue', () => {
  test('a lead is written to the store before it is sent, and removed once acknowledged', async () => {
    const { store, queue } = setup(['lead-1']);
    expect(await queue.add_(lead('c1'))).toBe('lead-1');
    expect(store.log).toEqual(['put c1', 'send c1', 'del c1']);
    expect(store.map.size).toBe(0);
  });

  test('network errors, 5xx and 429 keep the lead queued', async () => {
    const { store, queue } = setup([0, 503, 429, 500]);
    for (const id of ['a', 'b', 'c', 'd']) await queue.add_(lead(id));
    expect([...store.map.keys()]).toEqual(['a', 'b', 'c', 'd']);
  });

  test('a 4xx other than 429 will never be accepted: the lead is dropped', async () => {
    const { store, queue } = setup([400, 413]);
    expect(await queue.add_(lead('a'))).toBe(400);
    await queue.add_(lead('b'));
    expect(store.map.size).toBe(0);
  });

  test('a send that throws keeps the lead', async () => {
    const { store, queue } = setup(() => {
      throw new Error('boom');
    });
    expect(await queue.add_(lead('a'))).toBe(0);
    expect(store.map.has('a')).toBe(true);
  });

  test('a store that fails still lets the lead be sent', async () => {
    const { store, queue, sent } = setup(['id']);
    store.put_ = async () => {
      throw new Error('QuotaExceededError');
    };
    expect(await queue.add_(lead('a'))).toBe('id');
    expect(sent).toEqual(['a']);
  });

  test('flush resends stored leads oldest first and removes the acknowledged ones', async () => {
    const down = setup([0, 0]);
    await down.queue.add_(lead('old'));
    down.t.now += 1000;
    await down.queue.add_(lead('new'));
    // The next page: the same store, the collector is up again.
    const sent: string[] = [];
    const up = createQueue(down.store, async (b) => (sent.push(b.clientId), 'id-' + b.clientId), () => down.t.now, () => {});
    await up.flush_();
    expect(sent).toEqual(['old', 'new']);
    expect(down.store.map.size).toBe(0);
  });

  test('flush stops at the first lead that cannot get through (the collector is still down)', async () => {
    const { store, queue, sent, t } = setup([0, 0, 0]);
    await queue.add_(lead('a'));
    t.now += 1;
    await queue.add_(lead('b'));
    sent.length = 0;
    await queue.flush_();
    expect(sent).toEqual(['a']);
    expect(store.map.size).toBe(2);
  });

  test('the queue is capped by count (newest kept) and by age (7 days)', async () => {
    const t = { now: 0 };
    const store = memoryStore();
    for (let i = 0; i < 60; i++) store.map.set('l' + i, { id: 'l' + i, at: i * 1000, body: lead('l' + i) });
    store.map.set('ancient', { id: 'ancient', at: -8 * 86_400_000, body: lead('ancient') });
    t.now = 60_000;
    const sent: string[] = [];
    const queue = createQueue(store, async (b) => (sent.push(b.clientId), 0), () => t.now, () => {});
    await queue.flush_();
    await new Promise((r) => setTimeout(r, 0));
    expect(store.map.size).toBe(50);
    expect(store.map.has('ancient')).toBe(false);
    expect(store.map.has('l9')).toBe(false);
    expect(store.map.has('l10')).toBe(true);
    expect(sent).toEqual(['l10']);
  });

  test('a lead being sent is not sent again by a concurrent flush', async () => {
    let release: (r: SendResult) => void = () => {};
    const { store, queue, sent } = setup(() => 0);
    const sendSlow = createQueue(
      store,
      (b) => (sent.push(b.clientId), new Promise<SendResult>((r) => (release = r))),
      () => 1,
      () => {},
    );
    const adding = sendSlow.add_(lead('a'));
    await new Promise((r) => setTimeout(r, 0));
    await sendSlow.flush_();
    release('id');
    await adding;
    expect(sent).toEqual(['a']);
    void queue;
  });

  test('sendUnsaved_ (pagehide) sends at once a lead whose store write has not finished', async () => {
    const store = memoryStore();
    let finishPut: () => void = () => {};
    store.put_ = (e) => new Promise<void>((r) => (finishPut = () => (store.map.set(e.id, e), r())));
    const sent: string[] = [];
    const queue = createQueue(store, async (b) => (sent.push(b.clientId), 0), () => 1, () => {});
    const adding = queue.add_(lead('a'));
    expect(sent).toEqual([]);
    queue.sendUnsaved_();
    expect(sent).toEqual(['a']);
    finishPut();
    await adding;
  });

  test('a lead refused with 5xx again and again does not hold the others: it waits its own backoff (1, 2, 4 … min)', async () => {
    const { store, queue, sent, t } = setup((id) => (id == 'poison' ? 500 : id == 'c' ? 0 : 'ok-' + id));
    // Stored while the collector could not be reached; the oldest is one the collector answers 500 for.
    for (const [i, id] of ['poison', 'a', 'b'].entries()) store.map.set(id, { id, at: t.now + i, body: lead(id) });
    await queue.flush_();
    expect(sent).toEqual(['poison', 'a', 'b']);
    expect([...store.map.keys()]).toEqual(['poison']);
    expect(store.map.get('poison')).toMatchObject({ tries: 1, due: t.now + 60_000 });

    // Not due yet: later flushes skip it, and a new lead goes through.
    sent.length = 0;
    await queue.add_(lead('d'));
    t.now += 59_999;
    await queue.flush_();
    expect(sent).toEqual(['d']);

    // Due: tried again, refused again, now it waits 2 minutes.
    t.now += 1;
    await queue.flush_();
    expect(sent).toEqual(['d', 'poison']);
    expect(store.map.get('poison')).toMatchObject({ tries: 2, due: t.now + 120_000 });
    t.now += 119_999;
    await queue.flush_();
    expect(sent).toEqual(['d', 'poison']);
    t.now += 1;
    await queue.flush_();
    expect(sent).toEqual(['d', 'poison', 'poison']);

    // The collector unreachable (0) is no lead's fault: no backoff, and the flush stops there as before.
    store.map.set('c', { id: 'c', at: 0, body: lead('c') });
    sent.length = 0;
    t.now += 10 * 60_000;
    await queue.flush_();
    expect(sent).toEqual(['c']);
    expect(store.map.get('c')).toEqual({ id: 'c', at: 0, body: lead('c') });
  });

  test('429 (rate limited) stops the flush without a backoff, like an unreachable collector', async () => {
    const { store, queue, sent, t } = setup(() => 429);
    for (const [i, id] of ['a', 'b'].entries()) store.map.set(id, { id, at: t.now + i, body: lead(id) });
    await queue.flush_();
    await queue.flush_();
    expect(sent).toEqual(['a', 'a']);
    expect(store.map.get('a')!.due).toBeUndefined();
  });
});
