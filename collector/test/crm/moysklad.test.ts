import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moysklad } from '../../src/crm/moysklad.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { MS_IDS, startMoySkladMock, type MoySkladMock } from '../../../fixtures/crm/moysklad.ts';
import { sampleLead } from '../../../fixtures/crm/mock-kit.ts';

let mock: MoySkladMock;
let ctx: CrmContext;
beforeEach(async () => {
  mock = await startMoySkladMock({ token: 'ms-good' });
  ctx = { settings: { baseUrl: mock.baseUrl, token: 'ms-good', organizationId: MS_IDS.organization, storeId: MS_IDS.store }, fetch };
});
afterEach(() => mock.close());

async function rejection(p: Promise<unknown>): Promise<CrmError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

const ref = (path: string, type: string) => ({ meta: { href: `${mock.baseUrl}${path}`, type, mediaType: 'application/json' } });

describe('MoySklad adapter', () => {
  it('creates the counterparty and the customer order with goods, references, attributes and externalCode', async () => {
    const lead = sampleLead({
      fields: {
        state: MS_IDS.state,
        currency_uuid: MS_IDS.currency,
        project_uuid: MS_IDS.project,
        contract_uuid: MS_IDS.contract,
        owner_uid: 'demo@login',
        existing_good_uuid: [MS_IDS.product, MS_IDS.product2],
        count: '2',
        discount: '5',
        vat: '20',
        sum: '1499.90',
        Сайт: 'sofa.example',
        [MS_IDS.attrUrgent]: '1',
      },
      clientFields: { actualAddress: 'Moscow, Tverskaya 1', Город: 'Moscow' },
    });
    const result = await moysklad.create(lead, ctx);
    const cp = mock.created.counterparties[0]!;
    expect(cp).toEqual({
      id: cp.id,
      name: 'Ivan Petrov',
      companyType: 'individual',
      phone: '+79991234567',
      email: 'ivan@example.com',
      actualAddress: 'Moscow, Tverskaya 1',
      attributes: [{ meta: { href: `${mock.baseUrl}/entity/counterparty/metadata/attributes/${MS_IDS.attrCity}`, type: 'attributemetadata', mediaType: 'application/json' }, value: 'Moscow' }],
    });
    const order = mock.created.orders[0]!;
    expect(result).toEqual({ crmId: order.id, httpStatus: 200 });
    const position = (product: string) => ({ quantity: 2, price: 149990, discount: 5, vat: 20, assortment: ref(`/entity/product/${product}`, 'product') });
    expect(order).toEqual({
      id: order.id,
      name: '00001',
      externalCode: lead.id,
      organization: ref(`/entity/organization/${MS_IDS.organization}`, 'organization'),
      agent: ref(`/entity/counterparty/${cp.id}`, 'counterparty'),
      store: ref(`/entity/store/${MS_IDS.store}`, 'store'),
      description: 'Request from the contact form\nPlease call after 18:00',
      state: ref(`/entity/customerorder/metadata/states/${MS_IDS.state}`, 'state'),
      rate: { currency: ref(`/entity/currency/${MS_IDS.currency}`, 'currency') },
      project: ref(`/entity/project/${MS_IDS.project}`, 'project'),
      contract: ref(`/entity/contract/${MS_IDS.contract}`, 'contract'),
      owner: ref(`/entity/employee/${MS_IDS.employee}`, 'employee'),
      positions: [position(MS_IDS.product), position(MS_IDS.product2)],
      attributes: [
        { meta: { href: `${mock.baseUrl}/entity/customerorder/metadata/attributes/${MS_IDS.attrSite}`, type: 'attributemetadata', mediaType: 'application/json' }, value: 'sofa.example' },
        { meta: { href: `${mock.baseUrl}/entity/customerorder/metadata/attributes/${MS_IDS.attrUrgent}`, type: 'attributemetadata', mediaType: 'application/json' }, value: true },
      ],
    });
    const post = mock.requests.find((r) => r.method === 'POST' && r.path.endsWith('/entity/customerorder'))!;
    expect(post.headers.authorization).toBe('Bearer ms-good');
    expect(post.headers['accept-encoding']).toBe('gzip');
  });

  it('a retried lead finds its order by externalCode; a known client reuses the counterparty', async () => {
    const lead = sampleLead();
    const a = await moysklad.create(lead, ctx);
    const b = await moysklad.create(lead, ctx);
    expect(b.crmId).toBe(a.crmId);
    await moysklad.create(sampleLead({ id: 'lead_other' }), ctx);
    expect(mock.created.orders).toHaveLength(2);
    expect(mock.created.counterparties).toHaveLength(1);
  });

  it('an organization that does not exist is a permanent error with MoySklad\'s message', async () => {
    const err = await rejection(moysklad.create(sampleLead(), { ...ctx, settings: { ...ctx.settings, organizationId: '00000000-0000-0000-0000-000000000000' } }));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(404);
    expect(err.message).toContain("Объект с UUID '00000000-0000-0000-0000-000000000000' не найден (code 1021)");
  });

  it('an unknown attribute fails before the order is sent', async () => {
    const err = await rejection(moysklad.create(sampleLead({ fields: { 'No such field': 'x' } }), ctx));
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('No such field');
    expect(mock.created.orders).toHaveLength(0);
  });

  it('a wrong token is a permanent error with MoySklad\'s message', async () => {
    const err = await rejection(moysklad.create(sampleLead(), { ...ctx, settings: { ...ctx.settings, token: 'bad' } }));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(401);
    expect(err.message).toContain('Ошибка аутентификации');
    expect(err.message).toContain('code 1056');
  });

  it('429 is transient and waits X-Lognex-Retry-After milliseconds', async () => {
    mock.rateLimitNext(1);
    const err = await rejection(moysklad.create(sampleLead(), ctx));
    expect(err.permanent).toBe(false);
    expect(err.httpStatus).toBe(429);
    expect(err.retryAfterMs).toBe(2400);
  });

  it('appends notes to the order description', async () => {
    const { crmId } = await moysklad.create(sampleLead(), ctx);
    await moysklad.addNote(sampleLead(), crmId!, { title: 'Duplicate', message: 'Same client again' }, ctx);
    expect(mock.created.orders[0]!.description).toBe('Request from the contact form\nPlease call after 18:00\n\nDuplicate\nSame client again');
  });

  it('loads the order fields: states, goods keys and custom attributes', async () => {
    const fields = await moysklad.listFields(ctx);
    expect(fields.find((f) => f.key === 'state')?.options).toEqual([{ value: MS_IDS.state, label: 'Новый' }]);
    expect(fields.filter((f) => f.key === MS_IDS.attrSite || f.key === MS_IDS.attrUrgent).map((f) => f.label)).toEqual(['Сайт', 'Срочно']);
  });

  it('tests the connection and the organization', async () => {
    expect(await moysklad.testConnection(ctx)).toEqual({ ok: true, message: 'connected to MoySklad as Демо Менеджер, organization "ООО Диваны"' });
    const bad = await moysklad.testConnection({ ...ctx, settings: { ...ctx.settings, token: 'x' } });
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('1056');
  });
});
