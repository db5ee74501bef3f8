import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { moysklad } from '../../src/crm/moysklad.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { MS_IDS, moyskladRequestsPer3s, startMoySkladMock, type MoySkladMock } from '../../../fixtures/crm/moysklad.ts';
import { createManualClock } from '../../../test-support/manual-clock.ts';
import { createRateLimiter } from '../../src/delivery/rate-limiter.ts';
import type { RateLimit } from '../../src/crm/types.ts';
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
    const position = (product: string) => ({ quantity: 2, price: 149990, discount: 5, vat: 20, vatEnabled: true, assortment: ref(`/entity/product/${product}`, 'product') });
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
    expect(fields.find((f) => f.key === 'state')?.options).toEqual([
      { value: MS_IDS.state, label: 'Новый' },
      { value: MS_IDS.state2, label: 'Подтвержден' },
    ]);
    expect(fields.filter((f) => f.key === MS_IDS.attrSite || f.key === MS_IDS.attrUrgent).map((f) => f.label)).toEqual(['Сайт', 'Срочно']);
  });

  it('tests the connection and the organization', async () => {
    expect(await moysklad.testConnection(ctx)).toEqual({ ok: true, message: 'connected to MoySklad as Демо Менеджер, organization "ООО Диваны"' });
    const bad = await moysklad.testConnection({ ...ctx, settings: { ...ctx.settings, token: 'x' } });
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('1056');
  });

  describe('goods as the reference article writes them', () => {
    const positionsOf = () => mock.created.orders[0]!.positions as Record<string, unknown>[];
    const href = (id: string) => `${mock.baseUrl}/entity/product/${id}`;

    it("fields[existing_good_uuid][uuid]=… (stored as JSON text) is the good's id, not part of its href", async () => {
      const lead = sampleLead({ fields: { existing_good_uuid: JSON.stringify({ uuid: MS_IDS.product }) } });
      await moysklad.create(lead, ctx);
      expect(positionsOf().map((p) => (p.assortment as { meta: { href: string } }).meta.href)).toEqual([href(MS_IDS.product)]);
    });

    it('several goods, each with its own count, discount, VAT and price; the rest from the lead', async () => {
      const goods = [
        { uuid: MS_IDS.product, count: '3', discount: '10', vat: '18', sum: '100' },
        { uuid: MS_IDS.product2 },
      ];
      await moysklad.create(sampleLead({ fields: { existing_good_uuid: JSON.stringify(goods), count: '2' } }), ctx);
      expect(positionsOf()).toEqual([
        { quantity: 3, discount: 10, vat: 18, vatEnabled: true, price: 10000, assortment: ref(`/entity/product/${MS_IDS.product}`, 'product') },
        // No VAT or price in the form: the good's own (250 000 kopecks, 10%) apply, not a forced 0.
        { quantity: 2, price: 250_000, vat: 10, vatEnabled: true, assortment: ref(`/entity/product/${MS_IDS.product2}`, 'product') },
      ]);
    });

    it("PHP's list of goods ({\"0\":{…},\"1\":{…}}) and a plain list of ids both work", async () => {
      await moysklad.create(sampleLead({ fields: { existing_good_uuid: JSON.stringify({ 0: { uuid: MS_IDS.product }, 1: { uuid: MS_IDS.product2 } }) } }), ctx);
      await moysklad.create(sampleLead({ id: 'lead_2', fields: { existing_good_uuid: [MS_IDS.product2, MS_IDS.product] } }), ctx);
      const hrefs = (i: number) => (mock.created.orders[i]!.positions as { assortment: { meta: { href: string } } }[]).map((p) => p.assortment.meta.href);
      expect(hrefs(0)).toEqual([href(MS_IDS.product), href(MS_IDS.product2)]);
      expect(hrefs(1)).toEqual([href(MS_IDS.product2), href(MS_IDS.product)]);
    });

    it('a good id that is not a UUID is a clear permanent error, and nothing is sent', async () => {
      const err = await rejection(moysklad.create(sampleLead({ fields: { existing_good_uuid: 'GOOD_ID' } }), ctx));
      expect(err.permanent).toBe(true);
      expect(err.message).toContain('"GOOD_ID" is not a MoySklad good id');
      expect(mock.created.orders).toHaveLength(0);
    });
  });

  it('state may be a status name (any case) as well as a UUID; an unknown name lists the statuses', async () => {
    await moysklad.create(sampleLead({ fields: { state: 'подтвержден' } }), ctx);
    expect(mock.created.orders[0]!.state).toEqual(ref(`/entity/customerorder/metadata/states/${MS_IDS.state2}`, 'state'));
    const err = await rejection(moysklad.create(sampleLead({ id: 'lead_2', fields: { state: 'Отгружен' } }), ctx));
    expect(err.permanent).toBe(true);
    expect(err.message).toBe('MoySklad has no order status "Отгружен" (statuses: "Новый", "Подтвержден")');
  });

  describe("the visitor's phone and email never change MoySklad's filter (issue 11 item 25)", () => {
    const stranger = () => mock.seedCounterparty({ name: 'Чужой клиент', phone: '+74950001122', email: 'other@firm.ru' });
    const agentId = () => (mock.created.orders[0]!.agent as { meta: { href: string } }).meta.href.split('/').pop();

    it.each([
      ['an "ends with" operator in the phone', '~0001122', ''],
      ['an "ends with" operator in the email', '', '~firm.ru'],
      ['an empty "ends with", which matches everyone', '', '~'],
      ['a second condition after ;', '', 'nobody@example.com;email=other@firm.ru'],
    ])('%s does not select a stranger\'s counterparty', async (_what, phone, email) => {
      const other = stranger();
      await moysklad.create(sampleLead({ phone, email, name: 'Visitor' }), ctx);
      expect(agentId()).not.toBe(other.id);
      expect(mock.created.counterparties).toHaveLength(2);
    });

    it('the same client is still found, and a near match is not taken', async () => {
      const other = stranger();
      mock.seedCounterparty({ name: 'Tail', phone: '1122', email: '' });
      await moysklad.create(sampleLead({ phone: '+74950001122', email: '' }), ctx);
      expect(agentId()).toBe(other.id);
      await moysklad.create(sampleLead({ id: 'lead_2', phone: '', email: 'other@firm.ru' }), ctx);
      expect((mock.created.orders[1]!.agent as { meta: { href: string } }).meta.href).toContain(other.id);
    });

    it('the mock reads filters as MoySklad does, so the injection is real', async () => {
      stranger();
      const rows = async (filter: string) => {
        const res = await fetch(`${mock.baseUrl}/entity/counterparty?filter=${encodeURIComponent(filter)}`, {
          headers: { authorization: 'Bearer ms-good', 'accept-encoding': 'gzip' },
        });
        return ((await res.json()) as { rows: unknown[] }).rows.length;
      };
      expect(await rows('email=nobody@example.com;email=other@firm.ru')).toBe(1);
      expect(await rows('phone=~0001122')).toBe(1);
      expect(await rows('email=~')).toBe(1);
      expect(await rows('email=other@firm.ru\\;x')).toBe(0);
      expect(await rows('phone=+74950001122')).toBe(1);
    });
  });

  describe('pace by token kind (md/_restrictions.md)', () => {
    /** The most requests the limiter lets through in any 3-second window while draining `n`. */
    async function busiestWindow(limit: RateLimit, n: number): Promise<number> {
      const clock = createManualClock(0);
      const limiter = createRateLimiter(clock);
      const granted: number[] = [];
      const all = Array.from({ length: n }, () => limiter.acquire('ms', limit).then(() => granted.push(clock.now())));
      while (granted.length < n) await clock.advance(10);
      await Promise.all(all);
      let most = 0;
      for (let i = 0; i < granted.length; i++) most = Math.max(most, granted.filter((t) => t >= granted[i]! && t < granted[i]! + 3000).length);
      return most;
    }

    it('a user token (the default) stays within 11 per 3 s; a solution token within 45', async () => {
      const now = new Date(Date.UTC(2026, 11, 1));
      expect(moysklad.rateLimitFor!({})).toEqual(moysklad.rateLimit);
      expect(await busiestWindow(moysklad.rateLimitFor!({}), 60)).toBeLessThanOrEqual(moyskladRequestsPer3s('user', now));
      expect(await busiestWindow(moysklad.rateLimitFor!({ tokenKind: 'user' }), 60)).toBeLessThanOrEqual(moyskladRequestsPer3s('user', now));
      const solution = moysklad.rateLimitFor!({ tokenKind: 'solution' });
      const solutionWindow = await busiestWindow(solution, 200);
      expect(solutionWindow).toBeLessThanOrEqual(moyskladRequestsPer3s('solution', now));
      // And a solution token really gets its larger allowance.
      expect(solutionWindow).toBeGreaterThanOrEqual(40);
      expect(moysklad.settings).toContain('tokenKind');
    });
  });
});
