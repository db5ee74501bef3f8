// `npm start`'s demo: the demo project, its page with the snippet, and its built-in mock CRM.
import { createHmac } from 'node:crypto';
import { afterEach, expect, test } from 'vitest';
import pino from 'pino';
import { buildApp, type App } from '../src/app.ts';
import { createManualClock } from '../../test-support/manual-clock.ts';
import { DEMO_CRM_LIMITS, demoRoutes, ensureDemoProject } from '../src/demo.ts';

let t: App | undefined;
afterEach(async () => {
  await t?.app.close();
});

test('the first start creates the demo; a demo lead reaches the built-in CRM', async () => {
  t = await buildApp({ adminToken: 'x'.repeat(20), logger: pino({ level: 'silent' }), worker: false });
  await t.app.register(demoRoutes(t.ctx));
  const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { projectId } = await ensureDemoProject(t.ctx, address);
  expect((await ensureDemoProject(t.ctx, address)).projectId).toBe(projectId);

  const page = await (await fetch(`${address}/demo/`)).text();
  expect(page).toContain(`data-project="${projectId}"`);
  expect(page).toContain('/s.js');
  expect(page).toContain('id="contact-form"');
  const [form] = await t.ctx.store.listForms(projectId);
  expect(form).toMatchObject({ selector: '#contact-form', trigger: 'submit' });

  const res = await fetch(`${address}/api/site/1.0/${projectId}/leads`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ clientId: 'demo-client-1', formId: form!.id, name: '<b>Demo</b>', phone: '+79990001122', context: { page: `${address}/demo/` } }),
  });
  expect(res.status).toBe(202);
  await t.worker.runOnce();
  const { id } = ((await res.json()) as { data: { id: string } }).data;
  expect(await t.ctx.store.getLead(projectId, id)).toMatchObject({ status: 'sent', crmId: 'DEMO-1' });
  const crmPage = await (await fetch(`${address}/demo/crm/`)).text();
  expect(crmPage).toContain('&#60;b&#62;Demo&#60;/b&#62;');
  expect(crmPage).not.toContain('<b>Demo</b>');

  // The mock CRM checks the signature like a real receiver.
  const forged = await fetch(`${address}/demo/crm/webhook`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"id":"x"}' });
  expect(forged.status).toBe(401);
});

test('the public mock CRM lists only recent deals, and remembers a bounded number of keys', async () => {
  const clock = createManualClock(Date.UTC(2026, 0, 1));
  t = await buildApp({ adminToken: 'x'.repeat(20), logger: pino({ level: 'silent' }), worker: false, clock });
  await t.app.register(demoRoutes(t.ctx));
  const { projectId } = await ensureDemoProject(t.ctx, 'http://127.0.0.1:1');
  const secret = String((await t.ctx.store.getIntegration(projectId))!.settings.secret);
  const deal = async (key: string) => {
    const body = JSON.stringify({ id: key, type: 'lead', name: `N ${key}`, phone: '+7999' });
    const signature = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
    const res = await t!.app.inject({ method: 'POST', url: '/demo/crm/webhook', headers: { 'content-type': 'application/json', 'x-leadrelay-signature': signature, 'idempotency-key': key }, payload: body });
    expect(res.statusCode).toBe(200);
    return (res.json() as { id: string }).id;
  };
  const listed = async () => ((await t!.app.inject({ url: '/demo/crm/received.json' })).json() as { items: { crmId: string }[] }).items;

  const total = DEMO_CRM_LIMITS.deals + 10;
  for (let i = 1; i <= total; i++) expect(await deal(`k${i}`)).toBe(`DEMO-${i}`);
  const items = await listed();
  expect(items).toHaveLength(DEMO_CRM_LIMITS.deals);
  expect(items[0]!.crmId).toBe(`DEMO-${total}`);
  // An idempotent retry gets the same deal back.
  expect(await deal('k1')).toBe('DEMO-1');

  // An hour later nothing is listed any more.
  await clock.advance(DEMO_CRM_LIMITS.keepMs);
  expect(await listed()).toEqual([]);
  expect((await t.app.inject({ url: '/demo/crm/' })).body).toContain('0 deal(s)');

  // Keys are remembered up to the bound: past it, the oldest is forgotten (memory stays bounded).
  for (let i = total + 1; i <= DEMO_CRM_LIMITS.idempotencyKeys + 1; i++) await deal(`k${i}`);
  expect(await deal(`k${DEMO_CRM_LIMITS.idempotencyKeys + 1}`)).toBe(`DEMO-${DEMO_CRM_LIMITS.idempotencyKeys + 1}`);
  expect(await deal('k1')).toBe(`DEMO-${DEMO_CRM_LIMITS.idempotencyKeys + 2}`);
}, 60_000);
