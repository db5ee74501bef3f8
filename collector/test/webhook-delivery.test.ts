// The worker delivers stored leads to the signed webhook and records every attempt.
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import { WEBHOOK_FINAL_STATUSES, webhookStatusIsFinal } from '../src/crm/http.ts';
import { startWebhookMock, type WebhookMock } from '../../fixtures/crm/webhook-mock.ts';
import { verifyStandardWebhook } from '../../fixtures/crm/standard-webhooks.ts';
import { auth, newProject, siteLead, testApp } from './helpers.ts';

let t: App;
let crm: WebhookMock;
let projectId: string;
let clock = 1_800_000_000_000;

beforeEach(async () => {
  clock = 1_800_000_000_000;
  t = await testApp({ clock: { now: () => clock, sleep: systemClock.sleep } });
  crm = await startWebhookMock({ secret: 'whsec' });
  projectId = (await newProject(t.app)).id;
});
afterEach(async () => {
  await t.app.close();
  await crm.close();
});

async function configure(retry?: unknown, settings: Record<string, string> = { url: crm.url, secret: 'whsec' }) {
  const res = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}/integration`, headers: auth, payload: { type: 'webhook', enabled: true, settings, ...(retry ? { retry } : {}) } });
  expect(res.statusCode).toBe(200);
}
async function ingest(overrides: Record<string, unknown> = {}) {
  const res = await t.app.inject({ method: 'POST', url: `/api/site/1.0/${projectId}/leads`, headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(siteLead(overrides)) });
  return res.json().data.id as string;
}

test('a lead is signed, carries its id as Idempotency-Key, and its CRM id is stored', async () => {
  await configure();
  const id = await ingest({ name: 'Boris' });
  expect(await t.worker.runOnce()).toBe(1);
  expect(crm.rejected).toEqual([]);
  expect(crm.receipts).toHaveLength(1);
  expect(crm.receipts[0]!.idempotencyKey).toBe(id);
  expect(crm.receipts[0]!.body).toMatchObject({ id, name: 'Boris', projectId });
  const lead = (await t.ctx.store.getLead(projectId, id))!;
  expect(lead).toMatchObject({ status: 'sent', crmId: 'WH-1', attemptCount: 1, lastError: null, nextAttemptAt: null });
  expect(await t.ctx.store.listAttempts(id)).toMatchObject([{ ok: true, httpStatus: 201, error: null }]);
  expect(await t.worker.runOnce()).toBe(0);
});

test('a wrong secret is a permanent failure with the receiver message', async () => {
  await configure();
  crm.setSecret('rotated');
  const id = await ingest();
  await t.worker.runOnce();
  const lead = (await t.ctx.store.getLead(projectId, id))!;
  expect(lead.status).toBe('failed');
  expect(lead.lastError).toMatch(/401.*invalid signature/);
  expect(lead.nextAttemptAt).toBeNull();
});

test('a CRM outage is retried on the default schedule, every 30 minutes, then delivered', async () => {
  await configure();
  crm.setDown(true);
  const id = await ingest();
  await t.worker.runOnce();
  let lead = (await t.ctx.store.getLead(projectId, id))!;
  expect(lead.status).toBe('retrying');
  expect(lead.lastError).toMatch(/503/);
  expect(Date.parse(lead.nextAttemptAt!)).toBe(clock + 30 * 60 * 1000);
  clock += 29 * 60 * 1000;
  expect(await t.worker.runOnce()).toBe(0);
  crm.setDown(false);
  clock += 60 * 1000;
  expect(await t.worker.runOnce()).toBe(1);
  lead = (await t.ctx.store.getLead(projectId, id))!;
  expect(lead).toMatchObject({ status: 'sent', attemptCount: 2 });
  expect((await t.ctx.store.listAttempts(id)).map((a) => [a.ok, a.httpStatus])).toEqual([[false, 503], [true, 201]]);
});

test('a lead stored before any integration is sent once one is enabled', async () => {
  const id = await ingest();
  expect((await t.ctx.store.getLead(projectId, id))!.status).toBe('no_integration');
  expect(await t.worker.runOnce()).toBe(0);
  await configure();
  await t.worker.runOnce();
  expect((await t.ctx.store.getLead(projectId, id))!.status).toBe('sent');
});

test('resend queues a failed lead again', async () => {
  await configure({ strategy: 'fixed', baseSeconds: 60, maxAttempts: 1 });
  crm.setDown(true);
  const id = await ingest();
  await t.worker.runOnce();
  expect((await t.ctx.store.getLead(projectId, id))!.status).toBe('failed');
  crm.setDown(false);
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/leads/${id}/resend`, headers: auth });
  expect(res.statusCode).toBe(202);
  await t.worker.runOnce();
  expect((await t.ctx.store.getLead(projectId, id))!.status).toBe('sent');
});

test('Standard Webhooks headers: webhook-id is the lead id and the official library verifies the signature and timestamp', async () => {
  await configure();
  const id = await ingest();
  await t.worker.runOnce();
  expect(crm.rejected).toEqual([]); // the mock verified both signatures (Standard Webhooks through its library)
  expect(crm.receipts.map((r) => r.webhookId)).toEqual([id]);
  expect((await t.ctx.store.getLead(projectId, id))!.status).toBe('sent');
  // A receiver with the wrong secret refuses it: the signature is really checked.
  crm.setSecret('another-secret');
  const second = await ingest({ name: 'Second', phone: '+7 900 000-11-22', email: 'second@example.com' });
  await t.worker.runOnce();
  expect((await t.ctx.store.getLead(projectId, second))!.status).toBe('failed');
  expect(crm.rejected.map((r) => r.status)).toEqual([401]);
});

test('a whsec_ secret is the base64 key the Standard Webhooks libraries decode; the contract signature uses the secret as given', async () => {
  const secret = `whsec_${Buffer.from('sixteen-byte-key').toString('base64')}`;
  crm.setSecret(secret);
  await configure(undefined, { url: crm.url, secret });
  const id = await ingest();
  await t.worker.runOnce();
  expect(crm.rejected).toEqual([]);
  expect((await t.ctx.store.getLead(projectId, id))!.status).toBe('sent');
});

test('with no secret the deliveries are unsigned, and "Test connection" says so', async () => {
  crm.setSecret('');
  await configure(undefined, { url: crm.url });
  const id = await ingest();
  await t.worker.runOnce();
  expect(crm.rejected).toEqual([]); // the mock refuses any signature header when no secret is set
  expect((await t.ctx.store.getLead(projectId, id))!.status).toBe('sent');
  const res = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/integration/test`, headers: auth });
  expect(res.json()).toMatchObject({ ok: true, message: expect.stringMatching(/unsigned/) });
});

test('a note is signed the Standard Webhooks way too, with its own message id', async () => {
  // A bare receiver: what a site owner writes with the library, no mock logic in between.
  const got: { raw: string; headers: IncomingHttpHeaders }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ raw: Buffer.concat(chunks).toString('utf8'), headers: req.headers });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":"R-1"}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    await configure(undefined, { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/in`, secret: 'site-owner-secret' });
    const id = await ingest();
    await t.worker.runOnce();
    await t.ctx.store.addComment(projectId, id, 'Заметка', 'Перезвонить', clock);
    await t.worker.runOnce();
    expect(got).toHaveLength(2);
    for (const g of got) expect(verifyStandardWebhook(g.raw, g.headers, 'site-owner-secret')).toBeNull();
    expect(got[1]!.headers['webhook-id']).toBe(got[1]!.headers['idempotency-key']);
    expect(got[1]!.headers['webhook-id']).not.toBe(id);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
});

test('which webhook answers are final: 400, 401, 403, 404, 410, 422; any other 4xx is retried', () => {
  expect(WEBHOOK_FINAL_STATUSES).toEqual([400, 401, 403, 404, 410, 422]);
  for (const s of [400, 401, 403, 404, 410, 422]) expect(webhookStatusIsFinal(s)).toBe(true);
  for (const s of [405, 408, 409, 413, 423, 425, 429, 500, 502, 503]) expect(webhookStatusIsFinal(s)).toBe(false);
});

test("a receiver's 409 or 425 is retried; its 422 ends the lead as failed", async () => {
  await configure();
  crm.failNext(409, 1, { body: { message: 'busy with this id' } });
  crm.failNext(425, 1, { body: { message: 'too early' } });
  const id = await ingest();
  await t.worker.runOnce();
  expect((await t.ctx.store.getLead(projectId, id))!).toMatchObject({ status: 'retrying', lastError: 'HTTP 409: busy with this id' });
  clock += 30 * 60 * 1000;
  await t.worker.runOnce();
  expect((await t.ctx.store.getLead(projectId, id))!).toMatchObject({ status: 'retrying', lastError: 'HTTP 425: too early' });
  clock += 30 * 60 * 1000;
  await t.worker.runOnce();
  expect((await t.ctx.store.getLead(projectId, id))!.status).toBe('sent');

  crm.failNext(422, 1, { body: { message: 'phone is not valid' } });
  const bad = await ingest({ name: 'Bad', phone: '+7 900 000-99-88', email: 'bad@example.com' });
  await t.worker.runOnce();
  expect((await t.ctx.store.getLead(projectId, bad))!).toMatchObject({ status: 'failed', lastError: 'HTTP 422: phone is not valid' });
});
