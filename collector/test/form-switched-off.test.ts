// A form switched off or deleted in the admin keeps sending leads from browsers that cached the old
// config (up to a minute): the collector keeps them, acknowledged, but never sends them to the CRM.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { auth, newProject, siteLead, testApp } from './helpers.ts';

let t: App;
let projectId: string;
beforeEach(async () => {
  t = await testApp();
  projectId = (await newProject(t.app)).id;
  const put = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/projects/${projectId}/integration`,
    headers: auth,
    payload: { type: 'webhook', enabled: true, settings: { url: 'http://127.0.0.1:9/hook' } },
  });
  expect(put.statusCode).toBe(200);
});
afterEach(async () => {
  await t.app.close();
});

const text = { 'content-type': 'text/plain;charset=UTF-8' };
const postLead = (body: unknown) => t.app.inject({ method: 'POST', url: `/api/site/1.0/${projectId}/leads`, headers: text, payload: JSON.stringify(body) });
const createForm = async (payload: Record<string, unknown>) =>
  (await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/forms`, headers: auth, payload: { selector: '#contact', ...payload } })).json<{ id: string }>();
const adminLead = async (id: string) => (await t.app.inject({ url: `/api/v1/projects/${projectId}/leads/${id}`, headers: auth })).json();

test('a lead of an enabled form is queued for the CRM (the control case)', async () => {
  const form = await createForm({ title: 'Contact' });
  const res = await postLead(siteLead({ formId: form.id }));
  expect(res.statusCode).toBe(202);
  expect(await adminLead(res.json().data.id)).toMatchObject({ status: 'pending', formId: form.id, lastError: null });
  expect((await t.ctx.store.queueStats(Date.now() + 1000)).depth).toBe(1);
});

test('a lead of a switched-off form is acknowledged, kept as not_sent with the reason, and never queued for the CRM', async () => {
  const form = await createForm({ title: 'Contact', enabled: false });
  const res = await postLead(siteLead({ formId: form.id, name: 'Stale config' }));
  expect(res.statusCode).toBe(202);
  const lead = await adminLead(res.json().data.id);
  expect(lead).toMatchObject({ status: 'not_sent', formId: form.id, name: 'Stale config', title: 'Contact' });
  expect(lead.lastError).toBe('Not sent: its form "Contact" is switched off.');
  expect((await t.ctx.store.queueStats(Date.now() + 1000)).depth).toBe(0);
});

test('a form switched off after the page loaded: its next lead is not sent', async () => {
  const form = await createForm({ title: 'Contact' });
  const put = await t.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}/forms/${form.id}`, headers: auth, payload: { selector: '#contact', title: 'Contact', enabled: false } });
  expect(put.statusCode).toBe(200);
  const res = await postLead(siteLead({ formId: form.id }));
  expect((await adminLead(res.json().data.id)).status).toBe('not_sent');
  expect((await t.ctx.store.queueStats(Date.now() + 1000)).depth).toBe(0);
});

test('a lead of a deleted form is kept as not_sent, naming the deleted form', async () => {
  const form = await createForm({ title: 'Gone' });
  expect((await t.app.inject({ method: 'DELETE', url: `/api/v1/projects/${projectId}/forms/${form.id}`, headers: auth })).statusCode).toBe(204);
  const res = await postLead(siteLead({ formId: form.id }));
  expect(res.statusCode).toBe(202);
  const lead = await adminLead(res.json().data.id);
  expect(lead).toMatchObject({ status: 'not_sent', formId: form.id, lastError: `Not sent: its form (${form.id}) was deleted.` });
  expect((await t.ctx.store.queueStats(Date.now() + 1000)).depth).toBe(0);
});

test('the same lead resent by the browser is stored once, and a resend from the admin can still deliver it', async () => {
  const form = await createForm({ title: 'Contact', enabled: false });
  const body = siteLead({ formId: form.id });
  const first = await postLead(body);
  const again = await postLead(body);
  expect(again.json().data.id).toBe(first.json().data.id);
  const resend = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${projectId}/leads/${first.json().data.id}/resend`, headers: auth });
  expect(resend.statusCode).toBe(202);
  expect((await t.ctx.store.queueStats(Date.now() + 1000)).depth).toBe(1);
});

test('a lead from the JS API (no form) is sent as before', async () => {
  const res = await postLead(siteLead({ source: 'js', formId: null }));
  expect((await adminLead(res.json().data.id)).status).toBe('pending');
});

test('a lead kept out of the CRM is no original: the same visitor on an enabled form right after still reaches the CRM', async () => {
  const off = await createForm({ title: 'Old', enabled: false, selector: '#old' });
  const on = await createForm({ title: 'Order', selector: '#order' });
  const first = await postLead(siteLead({ formId: off.id, phone: '+7 999 000-11-22' }));
  const second = await postLead(siteLead({ formId: on.id, phone: '8 (999) 000-11-22' }));
  expect((await adminLead(first.json().data.id)).status).toBe('not_sent');
  expect(await adminLead(second.json().data.id)).toMatchObject({ status: 'pending', duplicateOf: null });
  expect((await t.ctx.store.queueStats(Date.now() + 1000)).depth).toBe(1);
});
