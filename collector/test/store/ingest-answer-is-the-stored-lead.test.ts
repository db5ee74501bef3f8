// ingestLead answers with the lead made from what it inserted, without reading the row back
// (docs/architecture.md "Ingest"): that answer must be exactly what a later read gives, for every
// kind of new lead, on both stores.
import { afterAll, describe, expect, test } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { NewLead, Store } from '../../src/store/types.ts';
import { newLead, postgresSchemas } from '../store-helpers.ts';

const T0 = 1_800_000_000_000;
const postgres = postgresSchemas('lr_ingest_answer');
afterAll(postgres.dropAll);

const shapes: [string, Partial<NewLead>][] = [
  ['a plain lead, queued for the CRM', {}],
  ['a duplicate of the first (a note on the original)', { appendDuplicateComment: true }],
  ['a lead with a call-back, fields, UTM and a form', { phone: '+7 999 000-00-01', phoneNorm: '79990000001', email: '', emailNorm: '', callback: true, callbackPhone: '+7 999 000-00-02', fields: { budget: '100', tags: ['a', 'b'] }, clientFields: { x: 'y' }, utm: { source: 'g', medium: 'cpc', campaign: 'c', term: 't', content: 'k' }, visit: 7, formId: 'f1', clientId: 'c-1', source: 'form' }],
  ['a test lead', { phone: '+7 999 000-00-03', phoneNorm: '79990000003', test: true }],
  ['a lead kept from the CRM (form switched off)', { phone: '+7 999 000-00-04', phoneNorm: '79990000004', send: false, notSentReason: 'Not sent: its form is switched off.' }],
  ['a lead with no phone or email', { phone: '', phoneNorm: '', email: '', emailNorm: '', name: 'Кирилл' }],
];

describe.each([
  ['sqlite', async (): Promise<Store> => openSqliteStore({ file: ':memory:' })],
  ['postgres', postgres.open],
] as const)('%s', (_name, open) => {
  test('the answer of each new lead equals the lead read back', async () => {
    const store = await open();
    try {
      const p = await store.createProject('Shop', T0);
      await store.putIntegration(p.id, { type: 'webhook', enabled: true, settings: { url: 'http://x' } }, T0);
      let now = T0;
      for (const [what, overrides] of shapes) {
        now += 1000;
        const { id, lead, created } = await store.ingestLead(newLead(p.id, overrides), now);
        expect(created, what).toBe(true);
        expect(lead, what).toEqual(await store.getLead(p.id, lead.id));
        // The id the site API answers with, without making the whole lead.
        expect(id, what).toBe(lead.id);
      }
      // Without an enabled integration the lead is stored as no_integration, with no job.
      await store.putIntegration(p.id, { type: 'webhook', enabled: false, settings: { url: 'http://x' } }, now);
      const { lead } = await store.ingestLead(newLead(p.id, { phone: '+7 999 000-00-09', phoneNorm: '79990000009', email: '', emailNorm: '' }), now + 1000);
      expect(lead.status).toBe('no_integration');
      expect(lead).toEqual(await store.getLead(p.id, lead.id));
      // A repeat of a clientId answers with the stored lead and its id.
      const again = await store.ingestLead(newLead(p.id, { clientId: 'c-1' }), now + 2000);
      expect(again.created).toBe(false);
      expect(again.id).toBe(again.lead.id);
      expect(again.lead.clientFields).toEqual({ x: 'y' });
    } finally {
      await store.close();
    }
  });
});
