// Comments (proxy messages/add, duplicate notes) and call-backs as delivery jobs: their keys are made
// of ids (a Cyrillic or CR/LF title is just data), every comment has its own key, a note never waits
// forever for a deal id, their attempts show on the lead with their kind, and without an enabled
// integration they are parked rather than polled.
import { afterEach, describe, expect, it } from 'vitest';
import { startFlakyWebhook, type FlakyWebhook } from '../../../fixtures/crm/flaky-webhook.ts';
import { MIN, runDue, startHarness, type Harness } from './delivery-harness.ts';

let h: Harness | undefined;
/** The site's own call-back endpoint (unsigned: the call-back is not the CRM webhook). */
let site: FlakyWebhook | undefined;
afterEach(async () => {
  await h?.close();
  await site?.close();
  h = undefined;
  site = undefined;
});

async function projectKey(t: Harness): Promise<string> {
  return ((await t.admin('GET', `/projects/${t.projectId}`)).json as { key: string }).key;
}

/** messages/add as the reference article's PHP sends it (a form-encoded POST). */
async function comment(t: Harness, leadId: string, title: string, message: string) {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/proxy/1.0/leads/messages/add',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: new URLSearchParams({ key: await projectKey(t), id: leadId, title, message }).toString(),
  });
  expect(res.json()).toMatchObject({ status: 'success' });
}

const notesAt = (t: Harness) => t.crm.receipts.filter((r) => (r.body as { type?: string }).type === 'note');
/** What a real header can carry: printable ASCII. */
const ASCII_HEADER = /^[\x21-\x7e]+$/;

describe('comments reach the webhook', () => {
  it('a Cyrillic title with CR/LF is sent: its Idempotency-Key is made of ids, not of the text', async () => {
    h = await startHarness();
    const id = await h.lead(1);
    await runDue(h);
    await comment(h, id, 'Звонок\r\nс сайта', 'Перезвоните после 18:00');
    await runDue(h);
    const [note] = notesAt(h);
    expect(note).toMatchObject({ status: 200, body: { type: 'note', leadId: id, title: 'Звонок\r\nс сайта', message: 'Перезвоните после 18:00' } });
    expect(note!.idempotencyKey).toMatch(ASCII_HEADER);
    expect(note!.idempotencyKey).toContain(id);
    const lead = await h.getLead(id);
    expect(lead.attempts.map((a) => [a.kind, a.ok])).toEqual([
      ['create', true],
      ['note', true],
    ]);
  });

  it('two different comments with the same title and length never share a key', async () => {
    h = await startHarness();
    const id = await h.lead(1);
    await runDue(h);
    await comment(h, id, 'Call', 'first');
    await comment(h, id, 'Call', 'other');
    await comment(h, id, 'Call', 'other'); // said twice: still two comments
    await runDue(h);
    const keys = notesAt(h).map((r) => r.idempotencyKey);
    expect(keys).toHaveLength(3);
    expect(new Set(keys).size).toBe(3);
  });

  it('a note after a 2xx without an id goes to the webhook with the lead id, once', async () => {
    h = await startHarness();
    h.crm.script({ status: 200, message: 'accepted, no id' });
    const id = await h.lead(1);
    await runDue(h);
    expect(await h.getLead(id)).toMatchObject({ status: 'sent', crmId: null });
    await comment(h, id, 'Note', 'no deal id, still posted');
    await runDue(h);
    expect(notesAt(h).map((r) => r.body)).toEqual([expect.objectContaining({ leadId: id, crmId: null, message: 'no deal id, still posted' })]);
    expect(await h.ctx.store.queueStats(h.clock.now())).toEqual({ depth: 0, oldestDueAt: null });
  });

  it('a CRM that needs the deal id ends such a note as failed with a clear message, not a loop', async () => {
    h = await startHarness({ adapter: (base) => ({ ...base, notesByLeadId: false }) });
    h.crm.script({ status: 200, message: 'accepted, no id' });
    const id = await h.lead(1);
    await runDue(h);
    await comment(h, id, 'Note', 'where to?');
    await runDue(h);
    expect(notesAt(h)).toEqual([]);
    const lead = await h.getLead(id);
    expect(lead.attempts.filter((a) => a.kind === 'note')).toEqual([
      expect.objectContaining({ ok: false, error: expect.stringMatching(/answered without a deal id/) }),
    ]);
    expect(await h.ctx.store.queueStats(h.clock.now())).toEqual({ depth: 0, oldestDueAt: null });
  });
});

describe('call-backs and parked jobs', () => {
  async function integration(t: Harness, enabled: boolean) {
    site ??= await startFlakyWebhook();
    const res = await t.admin('PUT', `/projects/${t.projectId}/integration`, {
      type: 'webhook',
      enabled,
      settings: { url: t.crm.url, secret: 'webhook-secret' },
      callbackUrl: site.url,
    });
    expect(res.status).toBe(200);
  }
  async function proxyLead(t: Harness, extra: Record<string, string> = {}) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/proxy/1.0/leads/add',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ key: await projectKey(t), roistat: 'nocookie', title: 'Order', name: 'Ann', phone: '+7 900 111-22-33', ...extra }).toString(),
    });
    return (res.json() as { data: { id: string } }).data.id;
  }

  it('a call-back attempt shows on the lead with its kind', async () => {
    h = await startHarness({ integration: false });
    await integration(h, true);
    const id = await proxyLead(h, { is_need_callback: '1', callback_phone: '+7 900 555-00-00' });
    await runDue(h);
    const callback = site!.receipts.find((r) => r.idempotencyKey === `${id}:callback`);
    expect(callback).toMatchObject({ status: 200, body: { leadId: id, phone: '+7 900 555-00-00' } });
    const lead = await h.getLead(id);
    expect(lead.attempts.map((a) => [a.kind, a.ok]).sort()).toEqual([
      ['callback', true],
      ['create', true],
    ]);
    expect(lead.attemptCount).toBe(1); // the lead's own attempts; the call-back is listed, not counted
  });

  it('a call-back answer is classified by the shared webhook rules: its Retry-After is kept, a 404 is final', async () => {
    h = await startHarness({ integration: false });
    await integration(h, true);
    site!.script({ status: 429, headers: { 'retry-after': '3600' }, message: 'slow down' }, { status: 404, message: 'no such hook' });
    const id = await proxyLead(h, { is_need_callback: '1', callback_phone: '+7 900 555-00-01' });
    await runDue(h);
    const callbackAttempts = async () => (await h!.getLead(id)).attempts.filter((a) => a.kind === 'callback');
    expect(await callbackAttempts()).toEqual([expect.objectContaining({ ok: false, httpStatus: 429, error: expect.stringMatching(/^HTTP 429: .*slow down/) })]);
    // The default schedule would retry in 30 minutes; the receiver asked for an hour.
    await h.clock.advance(50 * MIN);
    expect(await h.worker.runOnce()).toBe(0);
    await h.clock.advance(15 * MIN);
    await runDue(h);
    expect(await callbackAttempts()).toHaveLength(2);
    expect((await callbackAttempts())[1]).toMatchObject({ ok: false, httpStatus: 404, error: expect.stringMatching(/no such hook/) });
    // A 404 of a webhook receiver is final: nothing of it is queued any more.
    await h.clock.advance(24 * 60 * MIN);
    expect(await h.worker.runOnce()).toBe(0);
    expect(site!.receipts.map((r) => r.status)).toEqual([429, 404]);
  });

  it('without an enabled integration, call-back and note jobs are parked (not polled) until one is enabled', async () => {
    h = await startHarness({ integration: false });
    await integration(h, true);
    const sent = await proxyLead(h, { name: 'Sent first', phone: '+7 900 000-00-01' });
    await runDue(h);
    await integration(h, false);
    await comment(h, sent, 'Later', 'a comment while the integration is off');
    const waiting = await proxyLead(h, { is_need_callback: '1', name: 'Waits', phone: '+7 900 000-00-02' });
    await runDue(h);
    expect(h.crm.receipts.map((r) => r.idempotencyKey)).toEqual([sent]);
    // Hours later nothing of it is due: parked jobs are not claimed again and again.
    await h.clock.advance(6 * 60 * MIN);
    expect(await h.ctx.store.queueStats(h.clock.now())).toEqual({ depth: 2, oldestDueAt: null });
    expect(await h.worker.runOnce()).toBe(0);

    await integration(h, true);
    await runDue(h);
    await runDue(h); // the waiting lead's create goes first; its call-back does not wait for it
    expect(h.crm.receipts.map((r) => r.idempotencyKey)).toContain(waiting);
    expect(site!.receipts.map((r) => r.idempotencyKey)).toEqual([`${waiting}:callback`]);
    expect(notesAt(h).map((r) => r.body)).toEqual([expect.objectContaining({ leadId: sent, message: 'a comment while the integration is off' })]);
    expect(await h.ctx.store.queueStats(h.clock.now())).toEqual({ depth: 0, oldestDueAt: null });
  });
});

describe('an error before the request leaves', () => {
  it('a webhook URL without a scheme is a permanent failure saying so, not "cannot reach the CRM"', async () => {
    h = await startHarness({ integration: false });
    // Saved past the admin API's checks (an older database): the worker still says what is wrong.
    await h.ctx.store.putIntegration(h.projectId, { type: 'webhook', enabled: true, settings: { url: 'crm.example.com/hook' } }, h.clock.now());
    const id = await h.lead(1);
    await runDue(h);
    const lead = await h.getLead(id);
    expect(lead.status).toBe('failed');
    expect(lead.lastError).toMatch(/not a valid absolute URL/);
    expect(lead.lastError).not.toMatch(/cannot reach/);
    expect(lead.attempts).toHaveLength(1);
  });
});
