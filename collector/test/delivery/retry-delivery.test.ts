// The worker against a webhook CRM that fails on command, with the clock moved by the test.
import { afterEach, describe, expect, it } from 'vitest';
import { MIN, T0, runDue, runFor, startHarness, type Harness } from './delivery-harness.ts';

let h: Harness;
afterEach(async () => {
  await h?.close();
});

const receiptsOf = (id: string) => h.crm.receipts.filter((r) => r.idempotencyKey === id);

describe('delivery with retries', () => {
  it('a CRM down for 2 hours: every lead arrives exactly once, in order, on the 30-minute schedule', async () => {
    h = await startHarness();
    h.crm.setDown(true);
    const ids = [await h.lead(1)];
    await runDue(h);
    await runFor(h, MIN, MIN);
    ids.push(await h.lead(2));
    await runDue(h);
    await runFor(h, MIN, MIN);
    ids.push(await h.lead(3));
    await runDue(h);
    await runFor(h, 100 * MIN - 2 * MIN, MIN);
    h.crm.setDown(false); // back up at T0 + 100 min
    await runFor(h, 80 * MIN, MIN);

    expect(h.crm.dealOrder).toEqual(ids);
    for (const [i, id] of ids.entries()) {
      const times = receiptsOf(id).map((r) => (r.at - T0) / MIN);
      // Attempts at creation, then every 30 minutes; the one at +120 min (+ creation offset) succeeds.
      expect(times).toEqual([0, 30, 60, 90, 120].map((t) => t + i));
      expect(receiptsOf(id).map((r) => r.status)).toEqual([503, 503, 503, 503, 200]);
      const lead = await h.getLead(id);
      expect(lead).toMatchObject({ status: 'sent', crmId: h.crm.deals.get(id), attemptCount: 5, nextAttemptAt: null, lastError: null });
      expect(lead.attempts.map((a) => [a.ok, a.httpStatus])).toEqual([
        [false, 503],
        [false, 503],
        [false, 503],
        [false, 503],
        [true, 200],
      ]);
      expect(lead.attempts[0]!.error).toBe('HTTP 503: down for maintenance');
    }
  });

  it('a lead in retry shows when the next try is and why the last one failed', async () => {
    h = await startHarness();
    h.crm.setDown(true);
    const id = await h.lead(1);
    await runDue(h);
    expect(await h.getLead(id)).toMatchObject({
      status: 'retrying',
      attemptCount: 1,
      nextAttemptAt: new Date(T0 + 30 * MIN).toISOString(),
      lastError: 'HTTP 503: down for maintenance',
    });
  });

  it('honours Retry-After on 429, and holds the other leads of the same CRM too', async () => {
    h = await startHarness({ retry: { strategy: 'fixed', baseSeconds: 60, maxAttempts: 10 } });
    h.crm.script({ status: 429, headers: { 'retry-after': '600' }, message: 'too many requests' });
    const first = await h.lead(1);
    await runDue(h);
    expect(await h.getLead(first)).toMatchObject({ status: 'retrying', nextAttemptAt: new Date(T0 + 10 * MIN).toISOString() });
    const second = await h.lead(2);
    await runFor(h, 9 * MIN, MIN);
    expect(h.crm.receipts).toHaveLength(1); // nothing sent while the CRM asked us to wait
    expect((await h.getLead(second)).status).toBe('pending');
    await runFor(h, MIN + 1000, 1000);
    expect([...h.crm.deals.keys()].sort()).toEqual([first, second].sort());
    const retriedAt = receiptsOf(first)[1]!.at - T0;
    expect(retriedAt).toBeGreaterThanOrEqual(10 * MIN);
    expect(retriedAt).toBeLessThanOrEqual(10 * MIN + 1000); // the next step of the test clock
  });

  it('a 503 with Retry-After waits at least that long, even beyond the fixed schedule', async () => {
    h = await startHarness({ retry: { strategy: 'fixed', baseSeconds: 60, maxAttempts: 10 } });
    h.crm.script({ status: 503, headers: { 'retry-after': '1800' } });
    const id = await h.lead(1);
    await runDue(h);
    await runFor(h, 29 * MIN, MIN);
    expect(h.crm.deals.size).toBe(0);
    await runFor(h, 2 * MIN, MIN);
    expect(receiptsOf(id).map((r) => r.at - T0)).toEqual([0, 30 * MIN]);
  });

  it('a permanent error stops at once and shows the CRM’s own message', async () => {
    h = await startHarness();
    h.crm.script({ status: 422, message: 'field "Budget" is required' });
    const id = await h.lead(1);
    await runDue(h);
    await runFor(h, 3 * 3600_000, 10 * MIN);
    expect(receiptsOf(id)).toHaveLength(1);
    expect(await h.getLead(id)).toMatchObject({
      status: 'failed',
      attemptCount: 1,
      nextAttemptAt: null,
      lastError: 'HTTP 422: field "Budget" is required',
    });
  });

  it('bad credentials (401) are permanent; a timeout-like 408 is not', async () => {
    h = await startHarness({ retry: { strategy: 'fixed', baseSeconds: 60, maxAttempts: 5 } });
    h.crm.script({ status: 401, message: 'invalid token' }, { status: 408, message: 'request timeout' });
    const a = await h.lead(1);
    await runDue(h);
    const b = await h.lead(2);
    await runDue(h);
    await runFor(h, 2 * MIN, MIN);
    expect((await h.getLead(a)).status).toBe('failed');
    expect(await h.getLead(b)).toMatchObject({ status: 'sent', attemptCount: 2 });
  });

  it('gives up after maxAttempts with the last error, and a resend starts over', async () => {
    h = await startHarness({ retry: { strategy: 'fixed', baseSeconds: 60, maxAttempts: 3 } });
    h.crm.setDown(true, { status: 502, message: 'bad gateway' });
    const id = await h.lead(1);
    await runDue(h);
    await runFor(h, 10 * MIN, MIN);
    expect(receiptsOf(id).map((r) => (r.at - T0) / MIN)).toEqual([0, 1, 2]);
    expect(await h.getLead(id)).toMatchObject({
      status: 'failed',
      attemptCount: 3,
      nextAttemptAt: null,
      lastError: 'gave up after 3 attempts: HTTP 502: bad gateway',
    });

    h.crm.setDown(false);
    const res = await h.admin('POST', `/projects/${h.projectId}/leads/${id}/resend`);
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ id, status: 'pending' });
    await runDue(h);
    expect(await h.getLead(id)).toMatchObject({ status: 'sent', attemptCount: 4, crmId: h.crm.deals.get(id) });
  });

  it('maxAgeSeconds ends the retries by age', async () => {
    h = await startHarness({ retry: { strategy: 'fixed', baseSeconds: 600, maxAttempts: 100, maxAgeSeconds: 1800 } });
    h.crm.setDown(true);
    const id = await h.lead(1);
    await runDue(h);
    await runFor(h, 2 * 3600_000, MIN);
    expect(receiptsOf(id).map((r) => (r.at - T0) / MIN)).toEqual([0, 10, 20, 30]);
    expect(await h.getLead(id)).toMatchObject({ status: 'failed', lastError: 'gave up after 4 attempts in 30 min: HTTP 503: down for maintenance' });
  });

  it('exponential policy: attempts spread out, growing, never sooner than the base', async () => {
    h = await startHarness({ retry: { strategy: 'exponential', baseSeconds: 60, maxAttempts: 6 }, worker: { random: () => 1 } });
    h.crm.setDown(true);
    const id = await h.lead(1);
    await runDue(h);
    await runFor(h, 40 * MIN, MIN);
    expect(receiptsOf(id).map((r) => (r.at - T0) / MIN)).toEqual([0, 1, 3, 7, 15, 31]);
  });
});

describe('resend', () => {
  it('bulk resend queues the failed leads (optionally only those since a date) and answers how many', async () => {
    h = await startHarness();
    h.crm.setDown(true, { status: 400, message: 'rejected' });
    const old = await h.lead(1);
    await runDue(h);
    await h.clock.advance(3600_000);
    const since = new Date(h.clock.now()).toISOString();
    const recent = [await h.lead(2), await h.lead(3)];
    await runDue(h);
    h.crm.setDown(false);
    const sent = await h.lead(4);
    await runDue(h);
    expect((await h.getLead(old)).status).toBe('failed');

    const partial = await h.admin('POST', `/projects/${h.projectId}/leads/resend`, { status: 'failed', since });
    expect(partial).toEqual({ status: 202, json: { queued: 2 } });
    await runDue(h);
    for (const id of recent) expect((await h.getLead(id)).status).toBe('sent');
    expect((await h.getLead(old)).status).toBe('failed');

    const all = await h.admin('POST', `/projects/${h.projectId}/leads/resend`, {});
    expect(all).toEqual({ status: 202, json: { queued: 1 } });
    await runDue(h);
    expect((await h.getLead(old)).status).toBe('sent');
    expect(receiptsOf(sent)).toHaveLength(1); // a sent lead is never part of a bulk resend
  });

  it('bulk resend rejects a bad filter clearly', async () => {
    h = await startHarness();
    const bad = await h.admin('POST', `/projects/${h.projectId}/leads/resend`, { status: 'sent' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ status: 'error', error: 'VALIDATION_ERROR' });
    const badDate = await h.admin('POST', `/projects/${h.projectId}/leads/resend`, { since: 'yesterday' });
    expect(badDate.status).toBe(400);
    const missing = await h.admin('POST', `/projects/nope/leads/resend`, {});
    expect(missing.status).toBe(404);
  });

  it('leads without an integration wait, and are sent once one is enabled', async () => {
    h = await startHarness({ integration: false });
    const id = await h.lead(1);
    await runDue(h);
    expect((await h.getLead(id)).status).toBe('no_integration');
    await h.setIntegration({ enabled: false });
    await runDue(h);
    expect((await h.getLead(id)).status).toBe('no_integration');
    await h.setIntegration();
    await runDue(h);
    expect(await h.getLead(id)).toMatchObject({ status: 'sent', crmId: h.crm.deals.get(id) });
  });

  it('a queued lead whose integration is switched off waits as no_integration, then goes when it is back', async () => {
    h = await startHarness();
    h.crm.setDown(true);
    const id = await h.lead(1);
    await runDue(h);
    await h.setIntegration({ enabled: false });
    await runFor(h, 31 * MIN, MIN);
    expect((await h.getLead(id)).status).toBe('no_integration');
    h.crm.setDown(false);
    await h.setIntegration();
    await runDue(h);
    expect((await h.getLead(id)).status).toBe('sent');
  });
});

describe('what the CRM receives', () => {
  it('the lead id travels as Idempotency-Key, with a valid signature', async () => {
    h = await startHarness();
    const ids = [await h.lead(1), await h.lead(2)];
    await runDue(h);
    expect(h.crm.receipts.map((r) => [r.idempotencyKey, r.status])).toEqual(ids.map((id) => [id, 200]));
    expect((h.crm.receipts[0]!.body as { id: string }).id).toBe(ids[0]);
  });

  it('a CRM that made the deal but lost the answer gets the same key again and makes no second deal', async () => {
    h = await startHarness({ retry: { strategy: 'fixed', baseSeconds: 60, maxAttempts: 5 }, crm: { failRate: 1, lostAnswerShare: 1, random: () => 0 } });
    const id = await h.lead(1);
    await runDue(h);
    h.crm.setFailRate(0);
    await runFor(h, MIN, MIN);
    expect(receiptsOf(id).map((r) => r.status)).toEqual([500, 200]);
    expect(h.crm.deals.size).toBe(1);
    expect((await h.getLead(id)).crmId).toBe('deal-1');
  });
});
