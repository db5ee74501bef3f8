import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { freshoffice } from '../../src/crm/freshoffice.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { RUSSIAN_VISITOR, sampleLead } from '../../../fixtures/crm/mock-kit.ts';
import { startFreshofficeMock, type FreshofficeMock } from '../../../fixtures/crm/freshoffice.ts';

let mock: FreshofficeMock;
let ctx: CrmContext;

beforeEach(async () => {
  mock = await startFreshofficeMock();
  ctx = { settings: { baseUrl: mock.url, token: mock.token }, fetch };
});
afterEach(() => mock.close());

async function caught(p: Promise<unknown>): Promise<CrmError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

describe('freshoffice adapter', () => {
  it('creates a counterparty and a deal with every standard field, extra fields and client fields', async () => {
    const lead = sampleLead({
      ...RUSSIAN_VISITOR,
      fields: { person: '2', id_status_deal: '6', summa: '1500.50', chance: '100', id_manager: '38', roistat: '{visit}' },
      clientFields: { address: 'Москва, Тверская 1' },
    });
    const res = await freshoffice.create(lead, ctx);
    expect(res.httpStatus).toBe(200);
    const [companyId, company] = [...mock.created.companies][0]!;
    expect(company).toEqual({
      id: companyId,
      name: 'Иван Петров',
      phone: '+79161234567',
      email: 'ivan@example.ru',
      person: 2,
      address: 'Москва, Тверская 1',
    });
    expect(mock.created.deals.get(Number(res.crmId))).toEqual({
      id: Number(res.crmId),
      name: 'Заявка с сайта example.ru',
      company_id: companyId,
      // The status's own type (6 belongs to type 2).
      type_id: 2,
      status_id: 6,
      user_id: 38,
      sum: 1500.5,
      date_start: '2026-11-29',
      date_finish: '2026-11-30',
      // deal/insert takes no `chance` (nor other keys): they are kept in the note.
      note: 'Перезвоните после 18:00\n\nВероятность, %: 100\nroistat: {visit}',
    });
    expect(mock.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /directory/32',
      'GET /directory/31',
      'POST /company/insert',
      'POST /deal/insert',
    ]);
    expect(mock.requests[3]!.headers.authorization).toBe(`Bearer ${mock.token}`);
  });

  it('without a manager field makes the account\'s first user responsible (GET /users/list, a JSON-encoded value)', async () => {
    const { crmId } = await freshoffice.create(sampleLead(RUSSIAN_VISITOR), ctx);
    expect(mock.created.deals.get(Number(crmId))?.user_id).toBe(37);
    expect(mock.requests.map((r) => `${r.method} ${r.path}`)).toContain('GET /users/list');
  });

  it('without type or status: the first deal type and its first open status, read from the account', async () => {
    const { crmId } = await freshoffice.create(sampleLead(RUSSIAN_VISITOR), ctx);
    expect(mock.created.deals.get(Number(crmId))).toMatchObject({ type_id: 2, status_id: 5 });
  });

  it('a type alone gets that type\'s first open status; a closing status goes with any type', async () => {
    const a = await freshoffice.create(sampleLead({ ...RUSSIAN_VISITOR, fields: { type_id: '4' } }), ctx);
    expect(mock.created.deals.get(Number(a.crmId))).toMatchObject({ type_id: 4, status_id: 8 });
    const b = await freshoffice.create(sampleLead({ ...RUSSIAN_VISITOR, fields: { type_id: '4', id_status_deal: '9' } }), ctx);
    expect(mock.created.deals.get(Number(b.crmId))).toMatchObject({ type_id: 4, status_id: 9 });
  });

  it('a status of another deal type is a clear permanent error before anything is made', async () => {
    const err = await caught(freshoffice.create(sampleLead({ ...RUSSIAN_VISITOR, fields: { type_id: '4', id_status_deal: '5' } }), ctx));
    expect(err.permanent).toBe(true);
    expect(err.message).toBe('FreshOffice deal status 5 belongs to deal type 2, not 4');
    expect(mock.created.companies.size).toBe(0);
  });

  it('the directories are read once per account, not for every lead', async () => {
    await freshoffice.create(sampleLead(RUSSIAN_VISITOR), ctx);
    await freshoffice.create(sampleLead(RUSSIAN_VISITOR), ctx);
    const reads = mock.requests.filter((r) => r.method === 'GET').map((r) => r.path);
    expect(reads).toEqual(['/directory/32', '/directory/31', '/users/list']);
  });

  it('says plainly that FreshOffice has no comment method', async () => {
    const err = await caught(freshoffice.addNote(sampleLead(RUSSIAN_VISITOR), '501', { title: 't', message: 'm' }, ctx));
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('no method to add a comment');
  });

  it('a bad token is a permanent error with FreshOffice\'s message', async () => {
    ctx.settings.token = 'disabled';
    const err = await caught(freshoffice.create(sampleLead(RUSSIAN_VISITOR), ctx));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(401);
    expect(err.message).toContain('Unauthorized: invalid or disabled token');
  });

  it('a refusal inside a 200 answer is a permanent validation error', async () => {
    const err = await caught(freshoffice.create(sampleLead({ ...RUSSIAN_VISITOR, fields: { id_status_deal: '99', id_manager: '37' } }), ctx));
    expect(err.permanent).toBe(true);
    expect(err.message).toBe('FreshOffice has no deal status 99; statuses: 5 Новая заявка, 6 Переговоры, 8 Обращение, 9 Успешно');
  });

  it('a refusal of deal/insert inside a 200 answer is permanent, with FreshOffice\'s message', async () => {
    const err = await caught(freshoffice.create(sampleLead({ ...RUSSIAN_VISITOR, fields: { id_manager: '99' } }), ctx));
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('User not found');
  });

  it('a 429 is transient and honours Retry-After', async () => {
    mock.rateLimitNext();
    const err = await caught(freshoffice.create(sampleLead(RUSSIAN_VISITOR), ctx));
    expect(err.permanent).toBe(false);
    expect(err.httpStatus).toBe(429);
    expect(err.retryAfterMs).toBe(2000);
  });

  it('loads the deal fields with the account\'s users as manager options', async () => {
    const fields = await freshoffice.listFields(ctx);
    expect(fields.map((f) => f.key)).toEqual(['id_status_deal', 'type_id', 'summa', 'chance', 'id_manager', 'person']);
    expect(fields.find((f) => f.key === 'type_id')?.options).toEqual([
      { value: '2', label: 'Продажа' },
      { value: '4', label: 'Сервис' },
    ]);
    expect(fields.find((f) => f.key === 'id_status_deal')?.options?.map((o) => o.label)).toEqual(['Продажа: Новая заявка', 'Продажа: Переговоры', 'Сервис: Обращение', 'Успешно']);
    expect(fields.find((f) => f.key === 'id_manager')?.options).toEqual([
      { value: '37', label: 'Анна Смирнова' },
      { value: '38', label: 'Олег Кузнецов' },
    ]);
  });

  it('test connection reports success and failure', async () => {
    expect(await freshoffice.testConnection(ctx)).toEqual({ ok: true, message: 'Connected to FreshOffice: 2 user(s)' });
    const bad = await freshoffice.testConnection({ ...ctx, settings: { ...ctx.settings, token: 'x' } });
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('Unauthorized');
  });
});
