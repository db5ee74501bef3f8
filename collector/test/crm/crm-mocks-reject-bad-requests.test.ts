// The mock CRMs must refuse what the real APIs refuse, or adapter tests would pass against a
// forgiving fake. Raw requests here, no adapter.
import { describe, expect, it } from 'vitest';
import { startAmoCrmMock } from '../../../fixtures/crm/amocrm.ts';
import { startBitrix24Mock } from '../../../fixtures/crm/bitrix24.ts';
import { startHubSpotMock } from '../../../fixtures/crm/hubspot.ts';
import { startMoySkladMock } from '../../../fixtures/crm/moysklad.ts';
import { startRetailCrmMock } from '../../../fixtures/crm/retailcrm.ts';
import type { RunningMock } from '../../../fixtures/crm/mock-kit.ts';

async function using<M extends RunningMock>(start: Promise<M>, run: (m: M) => Promise<void>): Promise<void> {
  const m = await start;
  try {
    await run(m);
  } finally {
    await m.close();
  }
}
const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
});

describe('mock CRMs are as strict as the real APIs', () => {
  it('amoCRM: no token → 401 problem+json; a non-array body and an unknown status → 400', () =>
    using(startAmoCrmMock({ token: 't' }), async (m) => {
      const noAuth = await fetch(`${m.url}/api/v4/leads/complex`, json([{ name: 'x' }]));
      expect(noAuth.status).toBe(401);
      expect(noAuth.headers.get('content-type')).toBe('application/problem+json');
      const auth = { authorization: 'Bearer t' };
      expect((await fetch(`${m.url}/api/v4/leads/complex`, json({ name: 'x' }, auth))).status).toBe(400);
      const bad = await fetch(`${m.url}/api/v4/leads/complex`, json([{ name: 'x', status_id: 1 }], auth));
      expect(bad.status).toBe(400);
      expect(JSON.stringify(await bad.json())).toContain('"path":"status_id"');
      expect(m.created.leads).toHaveLength(0);
    }));

  it('Bitrix24: wrong secret → 401 INVALID_CREDENTIALS; no fields → 400; unknown method → 404', () =>
    using(startBitrix24Mock({ userId: '1', secret: 's' }), async (m) => {
      expect(await (await fetch(`${m.url}/rest/1/x/crm.deal.add.json`, json({ fields: {} }))).json()).toEqual({ error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' });
      const noFields = await fetch(`${m.webhookUrl}crm.deal.add.json`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"fields":{}}' });
      expect(noFields.status).toBe(400);
      expect(((await noFields.json()) as { error_description: string }).error_description).toBe("Parameter 'fields' must be array.");
      expect((await fetch(`${m.webhookUrl}crm.deal.nope.json`, json({}))).status).toBe(404);
    }));

  it('RetailCRM: missing key → 403; a JSON body instead of a form → order missing; two sites and no site → 400', () =>
    using(startRetailCrmMock({ apiKey: 'k' }), async (m) => {
      const noKey = await fetch(`${m.url}/api/v5/orders/create`, { method: 'POST' });
      expect(noKey.status).toBe(403);
      expect(await noKey.json()).toEqual({ success: false, errorMsg: '"apiKey" is missing.' });
      const asJson = await fetch(`${m.url}/api/v5/orders/create`, json({ site: 'shop-main', order: {} }, { 'x-api-key': 'k' }));
      expect(asJson.status).toBe(400);
      expect(((await asJson.json()) as { errorMsg: string }).errorMsg).toContain("'order' is missing");
      const noSite = await fetch(`${m.url}/api/v5/orders/create`, {
        method: 'POST', headers: { 'x-api-key': 'k', 'content-type': 'application/x-www-form-urlencoded' }, body: 'order=%7B%7D',
      });
      expect(noSite.status).toBe(400);
    }));

  it('HubSpot: no token → 401 INVALID_AUTHENTICATION; text/plain → 415; a made-up property → 400', () =>
    using(startHubSpotMock({ token: 't' }), async (m) => {
      const noAuth = await fetch(`${m.url}/crm/v3/objects/deals`, json({ properties: {} }));
      expect(noAuth.status).toBe(401);
      expect(((await noAuth.json()) as { category: string }).category).toBe('INVALID_AUTHENTICATION');
      const plain = await fetch(`${m.url}/crm/v3/objects/deals`, { method: 'POST', headers: { authorization: 'Bearer t', 'content-type': 'text/plain' }, body: '{}' });
      expect(plain.status).toBe(415);
      const made = await fetch(`${m.url}/crm/v3/objects/deals`, json({ properties: { nope: '1' } }, { authorization: 'Bearer t' }));
      expect(made.status).toBe(400);
      expect(((await made.json()) as { message: string }).message).toContain('PROPERTY_DOESNT_EXIST');
    }));

  it('MoySklad: without Accept-Encoding gzip → 415 (1062); an order without organization → 412 (3000)', () =>
    using(startMoySkladMock({ token: 't' }), async (m) => {
      const raw = await fetch(`${m.baseUrl}/context/employee`, { headers: { authorization: 'Bearer t', 'accept-encoding': 'identity' } });
      expect(raw.status).toBe(415);
      expect(JSON.stringify(await raw.json())).toContain('"code":1062');
      const noOrg = await fetch(`${m.baseUrl}/entity/customerorder`, json({ agent: {} }, { authorization: 'Bearer t', 'accept-encoding': 'gzip' }));
      expect(noOrg.status).toBe(412);
      expect(JSON.stringify(await noOrg.json())).toContain('"code":3000');
    }));
});
