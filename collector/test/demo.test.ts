// `npm start`'s demo: the demo project, its page with the snippet, and its built-in mock CRM.
import { afterEach, expect, test } from 'vitest';
import pino from 'pino';
import { buildApp, type App } from '../src/app.ts';
import { demoRoutes, ensureDemoProject } from '../src/demo.ts';

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
