// The worker delivers stored leads to the signed webhook and records every attempt.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { startWebhookMock, type WebhookMock } from '../../fixtures/crm/webhook-mock.ts';
import { auth, newProject, siteLead, testApp } from './helpers.ts';

let t: App;
let crm: WebhookMock;
let projectId: string;
let clock = 1_800_000_000_000;

beforeEach(async () => {
  clock = 1_800_000_000_000;
  t = await testApp({ now: () => clock });
  crm = await startWebhookMock({ secret: 'whsec' });
  projectId = (await newProject(t.app)).id;
});
afterEach(async () => {
  await t.app.close();
  await crm.close();
});

async function configure(retry?: unknown) {
  const res = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}/integration`, headers: auth, payload: { type: 'webhook', enabled: true, settings: { url: crm.url, secret: 'whsec' }, ...(retry ? { retry } : {}) } });
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
