import { afterEach, describe, expect, it } from 'vitest';
import { bitrix24 } from '../../src/crm/bitrix24.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { startBitrix24Mock, type B24Mock, type B24MockOptions } from '../../../fixtures/crm/bitrix24.ts';
import { sampleLead } from '../../../fixtures/crm/mock-kit.ts';

let mock: B24Mock;
let ctx: CrmContext;
async function start(opts: B24MockOptions = {}): Promise<void> {
  mock = await startBitrix24Mock({ userId: '7', secret: 'k3y', ...opts });
  ctx = { settings: { webhookUrl: mock.webhookUrl }, fetch };
}
afterEach(() => mock.close());

async function rejection(p: Promise<unknown>): Promise<CrmError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

const extra = {
  OPPORTUNITY: '123',
  ASSIGNED_BY_ID: '3',
  STAGE_ID: 'NEW',
  UF_CRM_1425989455: 'Текст',
  lead_UF_CRM_1234567890: ['51', '52', '53'],
};

describe('Bitrix24 deals adapter', () => {
  it('makes the contact and the deal with extra fields, list values as arrays, UTM and origin ids', async () => {
    await start({ required: { deal: ['OPPORTUNITY'] } });
    const lead = sampleLead({ fields: extra, clientFields: { LAST_NAME: 'Petrov', UF_CRM_5550001: 'Moscow' } });
    const result = await bitrix24.create(lead, ctx);
    expect(mock.methods).toEqual(['crm.deal.list', 'crm.duplicate.findbycomm', 'crm.duplicate.findbycomm', 'crm.contact.add', 'crm.deal.add']);
    const contact = mock.created.contacts[0]!;
    expect(contact).toEqual({
      ID: contact.ID,
      NAME: 'Ivan Petrov',
      LAST_NAME: 'Petrov',
      PHONE: [{ VALUE: '+79991234567', VALUE_TYPE: 'WORK' }],
      EMAIL: [{ VALUE: 'ivan@example.com', VALUE_TYPE: 'WORK' }],
      SOURCE_ID: 'WEB',
      UF_CRM_5550001: 'Moscow',
    });
    const deal = mock.created.deals[0]!;
    expect(result).toEqual({ crmId: String(deal.ID), httpStatus: 200 });
    expect(deal).toEqual({
      ID: deal.ID,
      TITLE: 'Request from the contact form',
      SOURCE_ID: 'WEB',
      COMMENTS: 'Please call after 18:00',
      CONTACT_IDS: [String(contact.ID)],
      UTM_SOURCE: 'google',
      UTM_MEDIUM: 'cpc',
      UTM_CAMPAIGN: 'spring',
      UTM_TERM: 'sofa',
      UTM_CONTENT: 'ad1',
      OPPORTUNITY: '123',
      ASSIGNED_BY_ID: '3',
      STAGE_ID: 'NEW',
      UF_CRM_1425989455: 'Текст',
      UF_CRM_1234567890: ['51', '52', '53'],
      ORIGINATOR_ID: 'leadrelay',
      ORIGIN_ID: lead.id,
    });
  });

  it('a retried lead finds its deal by ORIGIN_ID instead of making a second one', async () => {
    await start();
    const lead = sampleLead();
    const first = await bitrix24.create(lead, ctx);
    const again = await bitrix24.create(lead, ctx);
    expect(again.crmId).toBe(first.crmId);
    expect(mock.created.deals).toHaveLength(1);
  });

  it('reuses the client\'s contact and takes its manager with ASSIGNED_BY_CONTACT_MANAGER=Y', async () => {
    await start({ contacts: [{ ID: 55, NAME: 'Ivan', PHONE: [{ VALUE: '+79991234567', VALUE_TYPE: 'WORK' }], ASSIGNED_BY_ID: 9 }] });
    await bitrix24.create(sampleLead({ fields: { ASSIGNED_BY_ID: '3', ASSIGNED_BY_CONTACT_MANAGER: 'Y' } }), ctx);
    expect(mock.created.contacts).toHaveLength(1);
    expect(mock.created.deals[0]).toMatchObject({ CONTACT_IDS: ['55'], ASSIGNED_BY_ID: '9' });
    expect(mock.created.deals[0]).not.toHaveProperty('CONTACT_ID');
    expect(mock.created.deals[0]).not.toHaveProperty('ASSIGNED_BY_CONTACT_MANAGER');
  });

  it('a field the portal requires is a permanent error with Bitrix24\'s message', async () => {
    await start({ required: { deal: ['OPPORTUNITY'] } });
    const err = await rejection(bitrix24.create(sampleLead(), ctx));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(400);
    expect(err.message).toContain('Поле "Сумма" обязательно для заполнения.');
  });

  it('a wrong webhook secret is a permanent INVALID_CREDENTIALS error', async () => {
    await start();
    const err = await rejection(bitrix24.create(sampleLead(), { ...ctx, settings: { webhookUrl: `${mock.url}/rest/7/wrong/` } }));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(401);
    expect(err.message).toBe('HTTP 401: INVALID_CREDENTIALS: Invalid request credentials');
  });

  it('a malformed webhook URL fails before any request', async () => {
    await start();
    const err = await rejection(bitrix24.create(sampleLead(), { ...ctx, settings: { webhookUrl: 'https://portal.bitrix24.ru/' } }));
    expect(err.permanent).toBe(true);
    expect(mock.requests).toHaveLength(0);
  });

  it('QUERY_LIMIT_EXCEEDED (503) is transient with a one-second wait', async () => {
    await start();
    mock.rateLimitNext(1);
    const err = await rejection(bitrix24.create(sampleLead(), ctx));
    expect(err.permanent).toBe(false);
    expect(err.httpStatus).toBe(503);
    expect(err.retryAfterMs).toBe(1000);
    expect(err.message).toContain('QUERY_LIMIT_EXCEEDED');
  });

  it('429 OPERATION_TIME_LIMIT waits until the operating_reset_at of the method\'s last successful answer', async () => {
    const resetAt = 1_900_000_000; // Unix seconds, as Bitrix24 sends it
    await start({ operatingResetAt: resetAt });
    ctx = { ...ctx, now: () => resetAt * 1000 - 95_000 };
    await bitrix24.create(sampleLead(), ctx); // crm.deal.add answers with time.operating_reset_at
    mock.blockOperating('crm.deal.add');
    const err = await rejection(bitrix24.create(sampleLead({ id: 'lead_2', phone: '', email: '' }), ctx));
    expect(err.httpStatus).toBe(429);
    expect(err.permanent).toBe(false);
    expect(err.message).toContain('OPERATION_TIME_LIMIT');
    expect(err.retryAfterMs).toBe(95_000);
  });

  it('OVERLOAD_LIMIT (a manual block) is retried hourly, not every second nor never', async () => {
    await start();
    mock.overload();
    const err = await rejection(bitrix24.create(sampleLead(), ctx));
    expect(err.httpStatus).toBe(401);
    expect(err.permanent).toBe(false);
    expect(err.retryAfterMs).toBe(60 * 60_000);
    expect(err.message).toContain('OVERLOAD_LIMIT');
  });

  it('a refused field value does not lose the deal: the deal goes without it and a comment keeps it', async () => {
    await start();
    const result = await bitrix24.create(sampleLead({ fields: { deal_CURRENCY_ID: 'XYZ', OPPORTUNITY: '500' } }), ctx);
    expect(mock.created.deals).toHaveLength(1);
    const deal = mock.created.deals[0]!;
    expect(deal).toMatchObject({ OPPORTUNITY: '500' });
    expect(deal).not.toHaveProperty('CURRENCY_ID');
    expect(result.droppedFields).toEqual([{ key: 'deal_CURRENCY_ID', value: 'XYZ', reason: 'Invalid value for the "Валюта" field' }]);
    expect(mock.created.comments.map((c) => c.COMMENT)).toEqual([
      'Fields the CRM refused (the lead was sent without them)\ndeal_CURRENCY_ID: XYZ — Invalid value for the "Валюта" field',
    ]);
  });

  it('adds a comment to the deal timeline', async () => {
    await start();
    const { crmId } = await bitrix24.create(sampleLead(), ctx);
    await bitrix24.addNote(sampleLead(), crmId!, { title: 'Duplicate', message: 'Same client again' }, ctx);
    expect(mock.created.comments).toEqual([{ ID: expect.any(Number), ENTITY_ID: Number(crmId), ENTITY_TYPE: 'deal', COMMENT: 'Duplicate\nSame client again' }]);
  });

  it('loads the deal fields with human labels and list options, without read-only ones', async () => {
    await start();
    const fields = await bitrix24.listFields(ctx);
    const keys = fields.map((x) => x.key);
    expect(keys).toContain('OPPORTUNITY');
    expect(keys).toContain('ASSIGNED_BY_CONTACT_MANAGER');
    expect(keys).not.toContain('ID');
    expect(fields.find((x) => x.key === 'UF_CRM_1234567890')).toEqual({
      key: 'UF_CRM_1234567890', label: 'Услуги', type: 'enumeration',
      options: [{ value: '51', label: 'Доставка' }, { value: '52', label: 'Сборка' }, { value: '53', label: 'Гарантия' }],
    });
  });

  it('tests the connection', async () => {
    await start();
    expect(await bitrix24.testConnection(ctx)).toEqual({ ok: true, message: 'connected to Bitrix24 as Анна Смирнова' });
    const bad = await bitrix24.testConnection({ ...ctx, settings: { webhookUrl: `${mock.url}/rest/7/nope/` } });
    expect(bad).toEqual({ ok: false, message: 'HTTP 401: INVALID_CREDENTIALS: Invalid request credentials' });
  });
});
