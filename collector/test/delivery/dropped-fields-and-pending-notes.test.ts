// A CRM that refuses one extra field still gets the lead: the worker records the dropped fields with the
// attempt, the admin API shows them on the lead, and a note the adapter could not add becomes a note job.
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { App } from '../../src/app.ts';
import { systemClock } from '../../src/clock.ts';
import { startAmoCrmMock, type AmoMock } from '../../../fixtures/crm/amocrm.ts';
import { auth, newProject, siteLead, testApp } from '../helpers.ts';

let t: App;
let crm: AmoMock;
let projectId: string;
let clock = 1_800_000_000_000;

beforeEach(async () => {
  clock = 1_800_000_000_000;
  t = await testApp({ clock: { now: () => clock, sleep: systemClock.sleep } });
  crm = await startAmoCrmMock({ token: 'amo-token' });
  projectId = (await newProject(t.app)).id;
  const res = await t.app.inject({
    method: 'PUT',
    url: `/api/v1/projects/${projectId}/integration`,
    headers: auth,
    payload: { type: 'amocrm', enabled: true, settings: { baseUrl: crm.url, token: 'amo-token' } },
  });
  expect(res.statusCode).toBe(200);
});
afterEach(async () => {
  await t.app.close();
  await crm.close();
});

async function ingest(overrides: Record<string, unknown>): Promise<string> {
  const res = await t.app.inject({ method: 'POST', url: `/api/site/1.0/${projectId}/leads`, headers: { 'content-type': 'text/plain' }, payload: JSON.stringify(siteLead(overrides)) });
  expect(res.statusCode).toBe(202);
  return res.json().data.id as string;
}

async function adminLead(id: string) {
  const res = await t.app.inject({ method: 'GET', url: `/api/v1/projects/${projectId}/leads/${id}`, headers: auth });
  expect(res.statusCode).toBe(200);
  return res.json() as { status: string; crmId: string | null; attempts: { ok: boolean; droppedFields?: unknown }[] };
}

test('a refused extra field is dropped, noted on the deal, and shown on the lead in the admin API', async () => {
  const id = await ingest({ fields: { '1276733': 'kept', NO_SUCH_CODE: 'lost?' } });
  expect(await t.worker.runOnce()).toBe(1);
  const lead = await adminLead(id);
  expect(lead.status).toBe('sent');
  expect(lead.crmId).toBe(String(crm.created.leads[0]!.id));
  expect(lead.attempts).toEqual([
    expect.objectContaining({
      ok: true,
      droppedFields: [{ key: 'NO_SUCH_CODE', value: 'lost?', reason: 'NotSupportedChoice: The value you selected is not a valid choice.' }],
    }),
  ]);
  expect(crm.created.notes.map((n) => (n.params as { text: string }).text)).toEqual([
    'Fields the CRM refused (the lead was sent without them)\nNO_SUCH_CODE: lost? — NotSupportedChoice: The value you selected is not a valid choice.',
  ]);
});

test('a lead with no refused field shows no dropped fields', async () => {
  const id = await ingest({ fields: { '1276733': 'kept' } });
  await t.worker.runOnce();
  const lead = await adminLead(id);
  expect(lead.attempts).toHaveLength(1);
  expect(lead.attempts[0]).not.toHaveProperty('droppedFields');
});

test('the comment note that failed after the deal was made is queued as a note job and delivered on its turn', async () => {
  const id = await ingest({ comment: 'Call me after six' });
  crm.failNotes(1);
  expect(await t.worker.runOnce()).toBe(1);
  expect(crm.created.leads).toHaveLength(1);
  expect(crm.created.notes).toEqual([]);
  expect((await t.ctx.store.getLead(projectId, id))!.status).toBe('sent');
  // The note job is due at once; the worker sends it to the same deal, and no second deal is made.
  expect(await t.worker.runOnce()).toBe(1);
  expect(crm.created.leads).toHaveLength(1);
  expect(crm.created.notes).toEqual([
    { id: expect.any(Number), entity_id: crm.created.leads[0]!.id, note_type: 'common', params: { text: 'Call me after six' } },
  ]);
  expect(await t.worker.runOnce()).toBe(0);
});
