// Every integration type (README "CRMs") has an adapter whose type and settings match the contract.
import { expect, test } from 'vitest';
import { IntegrationType } from '../../../shared/schemas.ts';
import { adapterFor } from '../../src/crm/index.ts';

const CONTRACT_SETTINGS: Record<string, string[]> = {
  webhook: ['url', 'secret'],
  amocrm: ['baseUrl', 'token'],
  retailcrm: ['baseUrl', 'apiKey', 'site'],
  bitrix24: ['webhookUrl'],
  bitrix24_leads: ['webhookUrl'],
  moysklad: ['baseUrl', 'token', 'organizationId', 'storeId'],
  megaplan: ['baseUrl', 'username', 'password'],
  yclients: ['baseUrl', 'partnerToken', 'userToken', 'companyId'],
  salesforce: ['baseUrl', 'accessToken', 'apiVersion'],
  freshoffice: ['baseUrl', 'token'],
  uon: ['baseUrl', 'apiKey'],
  hubspot: ['baseUrl', 'token'],
};

test.each(IntegrationType.options)('%s has an adapter with the contract settings and a rate limit', (type) => {
  const adapter = adapterFor(type)!;
  expect(adapter.type).toBe(type);
  expect(adapter.settings).toEqual(expect.arrayContaining(CONTRACT_SETTINGS[type]!));
  expect(adapter.rateLimit.count).toBeGreaterThan(0);
  // Every credential is write-only.
  for (const secret of ['token', 'apiKey', 'password', 'secret', 'accessToken', 'partnerToken', 'userToken', 'webhookUrl']) {
    if (adapter.settings.includes(secret)) expect(adapter.secretSettings).toContain(secret);
  }
});
