import { afterEach, describe, expect, it } from 'vitest';
import { bitrix24Leads } from '../../src/crm/bitrix24_leads.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { startBitrix24Mock, type B24Mock, type B24MockOptions } from '../../../fixtures/crm/bitrix24.ts';
import { sampleLead } from '../../../fixtures/crm/mock-kit.ts';

let mock: B24Mock;
let ctx: CrmContext;
async function start(opts: B24MockOptions = {}): Promise<void> {
  mock = await startBitrix24Mock(opts);
  ctx = { settings: { webhookUrl: mock.webhookUrl }, fetch };
}
afterEach(() => mock.close());

async function rejection(p: Promise<unknown>): Promise<CrmError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

describe('Bitrix24 leads adapter (leads + deals, on-premise)', () => {
  it('makes one lead carrying the client, extra fields, list values as arrays and origin ids', async () => {
    await start();
    const lead = sampleLead({
      fields: {
        OPPORTUNITY: '123',
        ASSIGNED_BY_ID: '3',
        UF_CRM_1425989455: 'Текст',
        SOURCE_ID: '47',
        SOURCE_DESCRIPTION: '25',
        STATUS_ID: 'NEW',
        lead_UF_CRM_1234567890: ['51', '52', '53'],
      },
      clientFields: { LAST_NAME: 'Petrov', POST: 'CEO' },
    });
    const result = await bitrix24Leads.create(lead, ctx);
    expect(mock.methods).toEqual(['crm.lead.list', 'crm.lead.add']);
    const row = mock.created.leads[0]!;
    expect(result).toEqual({ crmId: String(row.ID), httpStatus: 200 });
    expect(row).toEqual({
      ID: row.ID,
      TITLE: 'Request from the contact form',
      NAME: 'Ivan Petrov',
      LAST_NAME: 'Petrov',
      POST: 'CEO',
      PHONE: [{ VALUE: '+79991234567', VALUE_TYPE: 'WORK' }],
      EMAIL: [{ VALUE: 'ivan@example.com', VALUE_TYPE: 'WORK' }],
      COMMENTS: 'Please call after 18:00',
      SOURCE_ID: '47',
      SOURCE_DESCRIPTION: '25',
      STATUS_ID: 'NEW',
      UTM_SOURCE: 'google',
      UTM_MEDIUM: 'cpc',
      UTM_CAMPAIGN: 'spring',
      UTM_TERM: 'sofa',
      UTM_CONTENT: 'ad1',
      OPPORTUNITY: '123',
      ASSIGNED_BY_ID: '3',
      UF_CRM_1425989455: 'Текст',
      UF_CRM_1234567890: ['51', '52', '53'],
      ORIGINATOR_ID: 'leadrelay',
      ORIGIN_ID: lead.id,
    });
    expect(mock.created.contacts).toHaveLength(0);
  });

  it('a retried lead is found by ORIGIN_ID, not made twice', async () => {
    await start();
    const lead = sampleLead();
    const a = await bitrix24Leads.create(lead, ctx);
    const b = await bitrix24Leads.create(lead, ctx);
    expect(b.crmId).toBe(a.crmId);
    expect(mock.created.leads).toHaveLength(1);
  });

  it('ASSIGNED_BY_CONTACT_MANAGER=Y links the found contact and takes its manager', async () => {
    await start({ contacts: [{ ID: 77, EMAIL: [{ VALUE: 'IVAN@example.com', VALUE_TYPE: 'WORK' }], ASSIGNED_BY_ID: 12 }] });
    await bitrix24Leads.create(sampleLead({ phone: '', fields: { ASSIGNED_BY_CONTACT_MANAGER: 'Y' } }), ctx);
    // CONTACT_IDS, not the deprecated CONTACT_ID.
    expect(mock.created.leads[0]).toMatchObject({ CONTACT_IDS: ['77'], ASSIGNED_BY_ID: '12' });
    expect(mock.created.leads[0]).not.toHaveProperty('CONTACT_ID');
  });

  it('a value outside a list field does not lose the lead: sent without it, kept in a timeline comment', async () => {
    await start();
    const result = await bitrix24Leads.create(sampleLead({ fields: { lead_UF_CRM_1234567890: ['99'], UF_CRM_1425989455: 'kept' } }), ctx);
    expect(mock.created.leads).toHaveLength(1);
    const row = mock.created.leads[0]!;
    expect(row).toMatchObject({ UF_CRM_1425989455: 'kept' });
    expect(row).not.toHaveProperty('UF_CRM_1234567890');
    const reason = 'Значение поля "Услуги" не найдено в списке.';
    expect(result).toEqual({ crmId: String(row.ID), httpStatus: 200, droppedFields: [{ key: 'lead_UF_CRM_1234567890', value: '99', reason }] });
    expect(mock.created.comments).toEqual([{
      ID: expect.any(Number), ENTITY_ID: row.ID, ENTITY_TYPE: 'lead',
      COMMENT: `Fields the CRM refused (the lead was sent without them)\nlead_UF_CRM_1234567890: 99 — ${reason}`,
    }]);
  });

  it('a wrong webhook is permanent; the rate limit is transient with a wait', async () => {
    await start();
    const bad = await rejection(bitrix24Leads.create(sampleLead(), { ...ctx, settings: { webhookUrl: `${mock.url}/rest/2/testsecret/` } }));
    expect(bad.permanent).toBe(true);
    expect(bad.message).toContain('Invalid request credentials');
    mock.rateLimitNext(1);
    const limited = await rejection(bitrix24Leads.create(sampleLead(), ctx));
    expect(limited.permanent).toBe(false);
    expect(limited.retryAfterMs).toBe(1000);
  });

  it('adds a timeline comment to the lead', async () => {
    await start();
    const { crmId } = await bitrix24Leads.create(sampleLead(), ctx);
    await bitrix24Leads.addNote(sampleLead(), crmId!, { title: '', message: 'Called back' }, ctx);
    expect(mock.created.comments).toEqual([{ ID: expect.any(Number), ENTITY_ID: Number(crmId), ENTITY_TYPE: 'lead', COMMENT: 'Called back' }]);
  });

  it('loads the lead fields and tests the connection', async () => {
    await start();
    const keys = (await bitrix24Leads.listFields(ctx)).map((x) => x.key);
    expect(keys).toEqual(expect.arrayContaining(['STATUS_ID', 'SOURCE_ID', 'UF_CRM_1425989455', 'NAME']));
    expect((await bitrix24Leads.testConnection(ctx)).ok).toBe(true);
    expect((await bitrix24Leads.testConnection({ ...ctx, settings: { webhookUrl: `${mock.url}/rest/1/x/` } })).ok).toBe(false);
  });
});
