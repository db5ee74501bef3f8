// The site API goes through the same variables engine as the proxy API (README "Variables": one engine for
// every source), with geo from the app's lookup and browser/OS from the request.
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';

let current: App | null = null;
afterEach(async () => {
  await current?.app.close();
  current = null;
});

describe('site leads expand {variables} with the shared engine', () => {
  it('fills a form title and extra fields from the form, the visit, the page, the request and geo', async () => {
    current = await buildApp({
      adminToken: 'admin',
      worker: false,
      logger: pino({ level: 'silent' }),
      geo: { enabled: true, lookup: (ip) => (ip === '203.0.113.5' ? { city: 'Kazan', region: 'Tatarstan', country: 'Russia' } : { city: '', region: '', country: '' }) },
    });
    const { app, ctx } = current;
    const project = await ctx.store.createProject('Site', Date.now());
    const form = await ctx.store.createForm(project.id, { title: 'Order from {domain} ({city}, {agent}, {os}) {unknownVar}', selector: 'form' }, Date.now());
    const ua = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
    const res = await app.inject({
      method: 'POST',
      url: `/api/site/1.0/${project.id}/leads`,
      headers: { 'content-type': 'text/plain', 'user-agent': ua },
      remoteAddress: '203.0.113.5',
      payload: JSON.stringify({
        clientId: 'client-123456',
        formId: form.id,
        name: 'Olga',
        phone: '8 (999) 765-43-21',
        fields: { utm_source: '{utmSource}', ga: '{googleClientId}', src: '{sourceLevel1}/{sourceLevel2}', where: '{region}, {country}' },
        context: {
          page: 'https://www.shop.example/contacts',
          visit: 17,
          utm: { source: 'vk', medium: 'social' },
          cookies: { ga: 'GA1.2.111.222' },
        },
      }),
    });
    expect(res.statusCode).toBe(202);
    const lead = (await ctx.store.getLead(project.id, (res.json() as { data: { id: string } }).data.id))!;
    expect(lead.title).toBe('Order from www.shop.example (Kazan, Chrome 120, Windows 10) {unknownVar}');
    expect(lead.fields).toEqual({ utm_source: 'vk', ga: '111.222', src: 'vk/social', where: 'Tatarstan, Russia' });
  });
});
