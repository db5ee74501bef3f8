// Integration settings are checked when saved (README "CRM integrations"): a bad URL or a missing
// setting is a 400 naming it; a stored secret is never kept while the URL it goes to changes.
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { IntegrationType } from '../../shared/schemas.ts';
import type { App } from '../src/app.ts';
import { allAdapters } from '../src/crm/index.ts';
import { SETTINGS_SCHEMAS, requiredSettingsOf } from '../src/crm/settings.ts';
import { auth, newProject, testApp } from './helpers.ts';

let t: App;
let projectId: string;
beforeEach(async () => {
  t = await testApp();
  projectId = (await newProject(t.app)).id;
});
afterEach(async () => {
  await t.app.close();
});

const put = (payload: Record<string, unknown>) => t.app.inject({ method: 'PUT', url: `/api/v1/projects/${projectId}/integration`, headers: auth, payload });
const get = async () => (await t.app.inject({ url: `/api/v1/projects/${projectId}/integration`, headers: auth })).json<{ settings: Record<string, string> }>();

/** A complete, valid set of settings per type. */
const VALID: Record<IntegrationType, Record<string, string>> = {
  webhook: { url: 'https://hooks.example.com/leads', secret: 'whsec' },
  amocrm: { baseUrl: 'https://shop.amocrm.ru', token: 'amo-token' },
  retailcrm: { baseUrl: 'https://shop.retailcrm.ru', apiKey: 'rc-key', site: 'main' },
  bitrix24: { webhookUrl: 'https://shop.bitrix24.ru/rest/1/abcdef/' },
  bitrix24_leads: { webhookUrl: 'http://crm.intranet.local/rest/7/secret/' },
  moysklad: { token: 'ms-token', organizationId: '7944ef04-f831-11e5-7a69-971500188b19' },
  megaplan: { baseUrl: 'https://shop.megaplan.ru', username: 'admin', password: 'pw' },
  yclients: { partnerToken: 'pt', userToken: 'ut', companyId: '42' },
  salesforce: { baseUrl: 'https://shop.my.salesforce.com', accessToken: 'sf-token', apiVersion: '59.0' },
  freshoffice: { token: 'fo-token' },
  uon: { apiKey: 'uon-key' },
  hubspot: { token: 'hs-token' },
};
const TYPES = Object.keys(VALID) as IntegrationType[];

describe('each type has its settings schema', () => {
  test('the schema and the adapter agree on the settings and which are required', () => {
    for (const adapter of allAdapters()) {
      const keys = Object.keys(SETTINGS_SCHEMAS[adapter.type].shape);
      for (const k of keys) expect(adapter.settings, `${adapter.type}.${k}`).toContain(k);
      expect([...adapter.requiredSettings].sort(), adapter.type).toEqual(requiredSettingsOf(adapter.type).sort());
    }
  });

  test.each(TYPES)('%s: a complete set is saved', async (type) => {
    const res = await put({ type, enabled: true, settings: VALID[type] });
    expect(res.statusCode, res.body).toBe(200);
  });

  test.each(TYPES)('%s: every required setting left out is a 400 naming it, and nothing is saved', async (type) => {
    for (const key of requiredSettingsOf(type)) {
      const { [key]: _dropped, ...rest } = VALID[type];
      for (const settings of [rest, { ...rest, [key]: '  ' }]) {
        const res = await put({ type, enabled: true, settings });
        expect(res.statusCode).toBe(400);
        expect(res.json()).toMatchObject({ status: 'error', error: 'VALIDATION_ERROR', message: `settings.${key}: is required` });
      }
    }
    expect((await t.app.inject({ url: `/api/v1/projects/${projectId}/integration`, headers: auth })).statusCode).toBe(404);
  });

  test.each(TYPES.filter((type) => ['url', 'baseUrl', 'webhookUrl'].some((k) => k in SETTINGS_SCHEMAS[type].shape)))(
    '%s: a URL setting that is not an absolute http(s) URL is a 400 naming it',
    async (type) => {
      const key = ['url', 'baseUrl', 'webhookUrl'].find((k) => k in SETTINGS_SCHEMAS[type].shape)!;
      for (const bad of ['example.com/hook', 'ftp://example.com/x', 'javascript:alert(1)', 'http:/example.com', 'https://exa mple.com/']) {
        const res = await put({ type, enabled: true, settings: { ...VALID[type], [key]: bad } });
        expect(res.statusCode, bad).toBe(400);
        expect(res.json().message, bad).toBe(`settings.${key}: must be an absolute http(s) URL, e.g. https://example.com/`);
      }
    },
  );
});

test('the webhook URL without a scheme (the reported case) is refused, not "Saved."', async () => {
  const res = await put({ type: 'webhook', enabled: true, settings: { url: 'hooks.example.com/leads' } });
  expect(res.statusCode).toBe(400);
  expect(res.json().message).toMatch(/^settings\.url: /);
  expect(await t.ctx.store.getIntegration(projectId)).toBeNull();
});

test('a Bitrix24 URL that is not an inbound webhook says what it should look like', async () => {
  const res = await put({ type: 'bitrix24', enabled: true, settings: { webhookUrl: 'https://shop.bitrix24.ru/crm/deal/' } });
  expect(res.statusCode).toBe(400);
  expect(res.json().message).toBe('settings.webhookUrl: must look like https://PORTAL/rest/USER/SECRET/');
});

test('several problems are all named at once', async () => {
  const res = await put({ type: 'megaplan', enabled: true, settings: { baseUrl: 'megaplan.ru', username: 'admin' } });
  expect(res.statusCode).toBe(400);
  expect(res.json().message).toBe('settings.baseUrl: must be an absolute http(s) URL, e.g. https://example.com/; settings.password: is required');
});

test('a disabled integration may be saved unfinished, but what it gives must be right', async () => {
  expect((await put({ type: 'amocrm', enabled: false, settings: { baseUrl: '' } })).statusCode).toBe(200);
  const bad = await put({ type: 'amocrm', enabled: false, settings: { baseUrl: 'shop.amocrm.ru' } });
  expect(bad.statusCode).toBe(400);
  expect(bad.json().message).toMatch(/^settings\.baseUrl: /);
});

test('settings a type does not declare are kept as given', async () => {
  expect((await put({ type: 'hubspot', enabled: true, settings: { ...VALID.hubspot, pipeline: 'default' } })).statusCode).toBe(200);
  expect((await t.ctx.store.getIntegration(projectId))!.settings).toMatchObject({ pipeline: 'default' });
});

test('the call-back URL must be an absolute http(s) URL too', async () => {
  const res = await put({ type: 'webhook', enabled: true, settings: VALID.webhook, callbackUrl: 'javascript:alert(1)' });
  expect(res.statusCode).toBe(400);
  expect(res.json().message).toMatch(/^callbackUrl: must be an absolute http\(s\) URL/);
  expect((await put({ type: 'webhook', enabled: true, settings: VALID.webhook, callbackUrl: '' })).statusCode).toBe(200);
});

describe('a stored secret goes only to the URL it was entered for', () => {
  test('webhook: a changed url with the masked secret is a 400 naming the secret; the stored integration is unchanged', async () => {
    await put({ type: 'webhook', enabled: true, settings: { url: 'https://hooks.example.com/a', secret: 'first-secret' } });
    const masked = (await get()).settings;
    expect(masked.secret).toBe('********');
    const res = await put({ type: 'webhook', enabled: true, settings: { ...masked, url: 'https://attacker.example/collect' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe('settings.secret: enter it again: url changed, and a stored secret is never sent to a new address');
    expect(res.body).not.toContain('first-secret');
    expect((await t.ctx.store.getIntegration(projectId))!.settings).toEqual({ url: 'https://hooks.example.com/a', secret: 'first-secret' });
  });

  test('webhook: the same url with the mask keeps the secret; a new url with the secret typed again saves both', async () => {
    await put({ type: 'webhook', enabled: true, settings: { url: 'https://hooks.example.com/a', secret: 'first-secret' } });
    expect((await put({ type: 'webhook', enabled: false, settings: { url: ' https://hooks.example.com/a ', secret: '********' } })).statusCode).toBe(200);
    expect((await t.ctx.store.getIntegration(projectId))!.settings).toEqual({ url: 'https://hooks.example.com/a', secret: 'first-secret' });
    expect((await put({ type: 'webhook', enabled: true, settings: { url: 'https://hooks.example.com/b', secret: 'second-secret' } })).statusCode).toBe(200);
    expect((await t.ctx.store.getIntegration(projectId))!.settings).toEqual({ url: 'https://hooks.example.com/b', secret: 'second-secret' });
  });

  test('a CRM token: a changed baseUrl (or one cleared to the default host) needs the token again', async () => {
    await put({ type: 'hubspot', enabled: true, settings: { baseUrl: 'https://api.hubapi.com', token: 'hs-secret' } });
    for (const baseUrl of ['https://evil.example', '']) {
      const res = await put({ type: 'hubspot', enabled: true, settings: { baseUrl, token: '********' } });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toBe('settings.token: enter it again: baseUrl changed, and a stored secret is never sent to a new address');
    }
    expect((await t.ctx.store.getIntegration(projectId))!.settings.baseUrl).toBe('https://api.hubapi.com');
  });

  test('every masked secret is named', async () => {
    await put({ type: 'yclients', enabled: true, settings: { ...VALID.yclients, baseUrl: 'https://api.yclients.com' } });
    const res = await put({ type: 'yclients', enabled: true, settings: { ...VALID.yclients, partnerToken: '********', userToken: '********', baseUrl: 'https://other.example' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toMatch(/settings\.partnerToken: enter it again.*; settings\.userToken: enter it again/);
  });

  test('Bitrix24: the webhook URL is itself the secret; sent back masked it is unchanged and kept', async () => {
    await put({ type: 'bitrix24', enabled: true, settings: VALID.bitrix24 });
    expect((await get()).settings.webhookUrl).toBe('********');
    expect((await put({ type: 'bitrix24', enabled: true, settings: { webhookUrl: '********' } })).statusCode).toBe(200);
    expect((await t.ctx.store.getIntegration(projectId))!.settings.webhookUrl).toBe(VALID.bitrix24.webhookUrl);
  });
});
