// `sync=1` waits for the CRM the same way whatever carries the parameters: a GET query string, or a
// POST as a form, multipart (PHP curl with an array) or JSON. Over a real socket, against the strict
// webhook receiver that takes each lead after a delay.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { startWebhookMock, type WebhookMock } from '../../fixtures/crm/webhook-mock.ts';
import { buildApp, type App } from '../src/app.ts';

const ADD = '/api/proxy/1.0/leads/add';
const SECRET = 'sync-secret';

let built: App | null = null;
let crm: WebhookMock | null = null;
afterEach(async () => {
  // The CRM first: an attempt it still holds then ends at once, and the app closes without waiting.
  await crm?.close();
  await built?.app.close();
  built = null;
  crm = null;
});

async function setup(opts: { crmDelayMs: number; logger?: pino.Logger }) {
  crm = await startWebhookMock({ secret: SECRET, delayMs: opts.crmDelayMs });
  built = await buildApp({ adminToken: 'admin', workerPollMs: 10, logger: opts.logger ?? pino({ level: 'silent' }) });
  const project = await built.ctx.store.createProject('Shop', Date.now());
  await built.ctx.store.putIntegration(project.id, { type: 'webhook', enabled: true, settings: { url: crm.url, secret: SECRET } }, Date.now());
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(built.app.server.address() as { port: number }).port}`;
  return { project, base, store: built.ctx.store };
}

type Encoding = 'form' | 'multipart' | 'json';
const ENCODINGS: Encoding[] = ['form', 'multipart', 'json'];

function body(encoding: Encoding, params: Record<string, string>): { body: BodyInit; headers: Record<string, string> } {
  if (encoding === 'form') return { body: new URLSearchParams(params).toString(), headers: { 'content-type': 'application/x-www-form-urlencoded' } };
  if (encoding === 'json') return { body: JSON.stringify(params), headers: { 'content-type': 'application/json' } };
  const form = new FormData();
  for (const [k, v] of Object.entries(params)) form.append(k, v);
  return { body: form, headers: {} };
}

interface Answer {
  status: string;
  error?: string;
  message?: string;
  data?: { id: string; status: string; order_id?: string };
}

describe('sync=1 by POST', () => {
  it.each(ENCODINGS)('%s: waits for the CRM and answers its deal id as order_id', async (encoding) => {
    const { project, base, store } = await setup({ crmDelayMs: 300 });
    const req = body(encoding, { key: project.key, sync: '1', name: `Ann ${encoding}`, phone: '89990001122' });
    const res = await fetch(base + ADD, { method: 'POST', ...req });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Answer;
    expect(answer).toMatchObject({ status: 'success', data: { status: 'sent', order_id: 'WH-1' } });
    expect(crm!.leads().map((l) => l['name'])).toEqual([`Ann ${encoding}`]);
    expect(await store.getLead(project.id, answer.data!.id)).toMatchObject({ status: 'sent', crmId: 'WH-1' });
  });

  it.each(ENCODINGS)('%s: answers CRM_ERROR (HTTP 200) when the CRM refuses; the lead stays stored', async (encoding) => {
    const { project, base, store } = await setup({ crmDelayMs: 300 });
    crm!.failNext(503, 1, { body: { message: 'pipeline is closed' } });
    const req = body(encoding, { key: project.key, sync: '1', name: 'Bob' });
    const res = await fetch(base + ADD, { method: 'POST', ...req });
    expect(res.status).toBe(200);
    const answer = (await res.json()) as Answer;
    expect([answer.status, answer.error]).toEqual(['error', 'CRM_ERROR']);
    expect(answer.message).toMatch(/did not accept/);
    const id = /lead ([0-9a-f-]{36})/.exec(answer.message!)![1]!;
    expect((await store.getLead(project.id, id))!.status).toBe('retrying');
  });

  it('stops waiting when the client goes away before the CRM answers', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(line) });
    // The CRM holds the lead far longer than the test runs; only the client leaving ends the wait.
    const { project, base } = await setup({ crmDelayMs: 60_000, logger });
    const abort = new AbortController();
    const req = body('form', { key: project.key, sync: '1', name: 'Gone' });
    const pending = fetch(base + ADD, { method: 'POST', ...req, signal: abort.signal }).catch((err: Error) => err.name);
    // The lead is stored (and handed to the CRM) before the client leaves.
    await expect.poll(async () => (await built!.ctx.store.listLeads(project.id, { limit: 1 })).items.length).toBe(1);
    abort.abort();
    expect(await pending).toBe('AbortError');
    await expect.poll(() => lines.some((l) => l.includes('the client left before the CRM answered')), { timeout: 10_000 }).toBe(true);
  });
});
