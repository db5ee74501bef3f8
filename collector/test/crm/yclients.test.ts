import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { yclients, yclientsPhone } from '../../src/crm/yclients.ts';
import { createManualClock } from '../../../test-support/manual-clock.ts';
import { createRateLimiter } from '../../src/delivery/rate-limiter.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { RUSSIAN_VISITOR, sampleLead } from '../../../fixtures/crm/mock-kit.ts';
import { createYclientsLimit, startYclientsMock, type YclientsMock } from '../../../fixtures/crm/yclients.ts';

let mock: YclientsMock;
let ctx: CrmContext;

beforeEach(async () => {
  mock = await startYclientsMock();
  ctx = {
    settings: { baseUrl: mock.url, partnerToken: mock.partnerToken, userToken: mock.userToken, companyId: String(mock.companyId) },
    fetch,
  };
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

const bookable = (fields: Record<string, string | string[]> = {}) => sampleLead({ ...RUSSIAN_VISITOR, fields: { staff_id: '3512', ...fields } });

describe('yclients adapter', () => {
  it('creates a record with every standard field, extra fields and client fields', async () => {
    const lead = sampleLead({
      ...RUSSIAN_VISITOR,
      fields: { staff_id: '3512', company_id: '4564', services: ['101', '102'], seance_length: '1800', utm_source: 'yandex' },
      clientFields: { email: 'ivan@work.ru', surname: 'Петров', birthday: '1990-05-01' },
    });
    const res = await yclients.create(lead, ctx);
    expect(res.httpStatus).toBe(201);
    expect(mock.created.records.get(Number(res.crmId))).toEqual({
      id: Number(res.crmId),
      company_id: 4564,
      staff_id: 3512,
      services: [{ id: 101 }, { id: 102 }],
      client: { phone: '79161234567', name: 'Иван Петров', email: 'ivan@work.ru' },
      datetime: '2026-11-29T10:15:00.000Z',
      seance_length: 1800,
      save_if_busy: true,
      send_sms: false,
      // The record's client keeps only phone, name and email: the other client fields are kept here.
      comment: 'Заявка с сайта example.ru\n\nПерезвоните после 18:00\n\nsurname: Петров\nbirthday: 1990-05-01',
      attendance: 0,
      api_id: 'ld_01HZX3Q8K2',
      custom_fields: { utm_source: 'yandex' },
    });
    const req = mock.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/api/v1/records/4564');
    expect(req.headers.authorization).toBe(`Bearer ${mock.partnerToken}, User ${mock.userToken}`);
    expect(req.headers.accept).toBe('application/vnd.yclients.v2+json');
  });

  it('without staff_id fails permanently before calling YCLIENTS', async () => {
    const err = await caught(yclients.create(sampleLead(RUSSIAN_VISITOR), ctx));
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('staff_id is required');
    expect(mock.requests).toHaveLength(0);
  });

  it('appends a comment to the record, keeping the rest of it', async () => {
    const { crmId } = await yclients.create(bookable(), ctx);
    await yclients.addNote(bookable(), crmId!, { title: 'Повторная заявка', message: 'Клиент звонил ещё раз' }, ctx);
    const rec = mock.created.records.get(Number(crmId))!;
    expect(rec.comment).toBe('Заявка с сайта example.ru\n\nПерезвоните после 18:00\n\nПовторная заявка: Клиент звонил ещё раз');
    expect(rec.staff_id).toBe(3512);
    expect(rec.client).toEqual({ phone: '79161234567', name: 'Иван Петров', email: 'ivan@example.ru' });
    expect(mock.requests.map((r) => r.method)).toEqual(['POST', 'GET', 'PUT']);
  });

  it('a bad token is a permanent error with YCLIENTS\'s message', async () => {
    ctx.settings.userToken = 'revoked';
    const err = await caught(yclients.create(bookable(), ctx));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(401);
    expect(err.message).toContain('Необходима авторизация');
  });

  it('a validation error is permanent and names the field', async () => {
    const err = await caught(yclients.create(bookable({ staff_id: '999' }), ctx));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(422);
    expect(err.message).toContain('staff_id: Сотрудник не найден');
  });

  it('a 429 is transient and waits a second', async () => {
    mock.rateLimitNext();
    const err = await caught(yclients.create(bookable(), ctx));
    expect(err.permanent).toBe(false);
    expect(err.httpStatus).toBe(429);
    expect(err.retryAfterMs).toBe(1000);
    expect(err.message).toContain('Превышен лимит запросов');
  });

  it('a Russian phone written 8… goes as 7…', async () => {
    const { crmId } = await yclients.create(sampleLead({ ...RUSSIAN_VISITOR, phone: '8 (916) 123-45-67', fields: { staff_id: '3512' } }), ctx);
    expect((mock.created.records.get(Number(crmId))!.client as { phone: string }).phone).toBe('79161234567');
    expect(yclientsPhone('+1 212 555 0100')).toBe('12125550100');
  });

  it('the mock refuses what YCLIENTS refuses: a 6th request in a second, a 201st in a minute', () => {
    const limit = createYclientsLimit();
    expect([0, 10, 20, 30, 40, 50].map((t) => limit.admit(t))).toEqual([true, true, true, true, true, false]);
    expect(limit.admit(1000)).toBe(true);
    const minute = createYclientsLimit();
    const admitted = Array.from({ length: 240 }, (_, i) => minute.admit(i * 250)).filter(Boolean).length;
    expect(admitted).toBe(200);
  });

  it('the declared pace drains a backlog of 400 requests with no refusal (200 a minute, 5 a second)', async () => {
    const clock = createManualClock(0);
    const limiter = createRateLimiter(clock);
    const limit = createYclientsLimit();
    let refused = 0;
    let done = 0;
    const all = Array.from({ length: 400 }, () =>
      limiter.acquire('yclients', yclients.rateLimit).then(() => {
        if (!limit.admit(clock.now())) refused++;
        done++;
      }),
    );
    while (done < 400) await clock.advance(10);
    await Promise.all(all);
    expect(refused).toBe(0);
    // And it is not slower than it must be: 400 requests in about two minutes.
    expect(clock.now()).toBeLessThanOrEqual(125_000);
  });

  it('loads the record fields and the company\'s custom fields', async () => {
    const fields = await yclients.listFields(ctx);
    expect(fields.map((f) => f.key)).toEqual(['staff_id', 'company_id', 'services', 'datetime', 'seance_length', 'utm_source', 'visit']);
    expect(fields.at(-1)).toEqual({ key: 'visit', label: 'Номер визита', type: 'number' });
  });

  it('test connection reports success and failure', async () => {
    expect(await yclients.testConnection(ctx)).toEqual({ ok: true, message: 'Connected to YCLIENTS: Салон «Ромашка»' });
    const bad = await yclients.testConnection({ ...ctx, settings: { ...ctx.settings, partnerToken: 'nope' } });
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('Необходима авторизация');
  });
});
