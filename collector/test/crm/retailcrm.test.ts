import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retailcrm } from '../../src/crm/retailcrm.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { startRetailCrmMock, type RetailMock } from '../../../fixtures/crm/retailcrm.ts';
import { sampleLead } from '../../../fixtures/crm/mock-kit.ts';

let mock: RetailMock;
let ctx: CrmContext;
beforeEach(async () => {
  mock = await startRetailCrmMock({ apiKey: 'k-123' });
  ctx = { settings: { baseUrl: mock.url, apiKey: 'k-123', site: 'shop-main' }, fetch };
});
afterEach(() => mock.close());

async function rejection(p: Promise<unknown>): Promise<CrmError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

describe('RetailCRM adapter', () => {
  it('creates the order form-encoded with externalId, UTM source, order fields and custom fields', async () => {
    const lead = sampleLead({
      fields: { managerComment: 'Комментарий оператора', orderMethod: 'landing-page', managerId: '123', landing: 'sofa-sale', gift_wrap: '1', color: 'red' },
      clientFields: { lastName: 'Petrov', patronymic: 'Ivanovich', client_city: 'Москва' },
    });
    const result = await retailcrm.create(lead, ctx);
    const order = mock.created.orders[0]!;
    expect(result).toEqual({ crmId: String(order.id), httpStatus: 201 });
    expect(order).toEqual({
      id: order.id,
      number: `${order.id}A`,
      site: 'shop-main',
      status: 'new',
      externalId: lead.id,
      customer: { type: 'customer', id: mock.created.customers[0]!.id, site: 'shop-main' },
      // "Ivan Petrov" is split into firstName and lastName.
      firstName: 'Ivan',
      lastName: 'Petrov',
      patronymic: 'Ivanovich',
      phone: '+79991234567',
      email: 'ivan@example.com',
      customerComment: 'Request from the contact form\nPlease call after 18:00',
      source: { source: 'google', medium: 'cpc', campaign: 'spring', keyword: 'sofa', content: 'ad1' },
      managerComment: 'Комментарий оператора',
      orderMethod: 'landing-page',
      managerId: 123,
      customFields: { landing: 'sofa-sale', gift_wrap: '1', color: 'red' },
    });
    // A client field that is a custom field belongs to the customer, not the order.
    expect(mock.created.customers[0]!.customFields).toEqual({ client_city: 'Москва' });
    const req = mock.requests.find((r) => r.path === '/api/v5/orders/create')!;
    expect(req.headers['x-api-key']).toBe('k-123');
    expect(req.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(new URLSearchParams(req.text).get('site')).toBe('shop-main');
  });

  it('a retry after a lost answer returns the order already made (externalId), not a second one', async () => {
    const lead = sampleLead();
    const first = await retailcrm.create(lead, ctx);
    const again = await retailcrm.create(lead, ctx);
    expect(again.crmId).toBe(first.crmId);
    expect(mock.created.orders).toHaveLength(1);
  });

  it('a Russian "Фамилия Имя Отчество" name goes to lastName, firstName and patronymic', async () => {
    await retailcrm.create(sampleLead({ name: 'Петров Иван Сергеевич' }), ctx);
    expect(mock.created.orders[0]).toMatchObject({ firstName: 'Иван', lastName: 'Петров', patronymic: 'Сергеевич' });
  });

  it('refused order and customer fields do not lose the lead: dropped, kept in the manager comment, reported', async () => {
    const lead = sampleLead({
      comment: '',
      fields: { orderMethod: 'telepathy', nope: 'x', landing: 'kept' },
      clientFields: { shoe_size: '42', client_city: 'Казань' },
    });
    const result = await retailcrm.create(lead, ctx);
    expect(mock.created.orders).toHaveLength(1);
    const order = mock.created.orders[0]!;
    expect(order.customFields).toEqual({ landing: 'kept' });
    expect(order).not.toHaveProperty('orderMethod');
    expect(mock.created.customers.find((c) => c.id === (order.customer as { id: number }).id)!.customFields).toEqual({ client_city: 'Казань' });
    expect(result.droppedFields).toEqual([
      { key: 'orderMethod', value: 'telepathy', reason: 'Order method "telepathy" does not exist.' },
      { key: 'nope', value: 'x', reason: 'Custom field "nope" does not exist.' },
      { key: 'shoe_size', value: '42', reason: 'Custom field "shoe_size" does not exist.' },
    ]);
    expect(order.managerComment).toBe([
      'Fields the CRM refused (the lead was sent without them)',
      'orderMethod: telepathy — Order method "telepathy" does not exist.',
      'nope: x — Custom field "nope" does not exist.',
      'shoe_size: 42 — Custom field "shoe_size" does not exist.',
    ].join('\n'));
  });

  it('a mistyped email goes to the customer comment instead of making RetailCRM refuse the order', async () => {
    await retailcrm.create(sampleLead({ email: 'ivan at example' }), ctx);
    const order = mock.created.orders[0]!;
    expect(order).not.toHaveProperty('email');
    expect(order.customerComment).toBe('Request from the contact form\nPlease call after 18:00\nEmail (not a valid address): ivan at example');
  });

  it('a manager id that is not a number is dropped before any request: the order is made without it', async () => {
    const result = await retailcrm.create(sampleLead({ fields: { managerId: 'Анна' } }), ctx);
    expect(mock.requests.filter((r) => r.path === '/api/v5/orders/create')).toHaveLength(1);
    expect(mock.created.orders[0]).not.toHaveProperty('managerId');
    expect(result.droppedFields).toEqual([{ key: 'managerId', value: 'Анна', reason: 'field "managerId" must be a number, got "Анна"' }]);
  });

  it('a wrong API key is a permanent error with RetailCRM\'s message', async () => {
    const err = await rejection(retailcrm.create(sampleLead(), { ...ctx, settings: { ...ctx.settings, apiKey: 'nope' } }));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(403);
    expect(err.message).toBe('HTTP 403: Wrong "apiKey" value.');
  });

  it('the rate limit answer is transient with a wait', async () => {
    mock.rateLimitNext(1);
    const err = await rejection(retailcrm.create(sampleLead(), ctx));
    expect(err.permanent).toBe(false);
    expect(err.retryAfterMs).toBe(1000);
  });

  it('appends notes to the manager comment', async () => {
    const { crmId } = await retailcrm.create(sampleLead({ fields: { managerComment: 'VIP' } }), ctx);
    await retailcrm.addNote(sampleLead(), crmId!, { title: 'Duplicate', message: 'Same client again' }, ctx);
    expect(mock.created.orders[0]!.managerComment).toBe('VIP\n\nDuplicate\nSame client again');
  });

  it('loads the order custom fields with dictionary values', async () => {
    const fields = await retailcrm.listFields(ctx);
    expect(fields.map((f) => f.key)).toEqual(['managerComment', 'orderMethod', 'managerId', 'status', 'orderType', 'landing', 'gift_wrap', 'color']);
    expect(fields.find((f) => f.key === 'color')?.options).toEqual([{ value: 'red', label: 'Красный' }, { value: 'blue', label: 'Синий' }]);
  });

  it('tests the connection, the key and the site', async () => {
    expect(await retailcrm.testConnection(ctx)).toEqual({ ok: true, message: 'connected to RetailCRM, site "shop-main"' });
    expect(await retailcrm.testConnection({ ...ctx, settings: { ...ctx.settings, apiKey: 'bad' } })).toEqual({ ok: false, message: 'HTTP 403: Wrong "apiKey" value.' });
    const noSite = await retailcrm.testConnection({ ...ctx, settings: { ...ctx.settings, site: 'other' } });
    expect(noSite.ok).toBe(false);
  });
});
