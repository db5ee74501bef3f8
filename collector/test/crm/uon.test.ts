import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { uon, uonDateTime } from '../../src/crm/uon.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { RUSSIAN_VISITOR, sampleLead } from '../../../fixtures/crm/mock-kit.ts';
import { startUonMock, type UonMock } from '../../../fixtures/crm/uon.ts';

let mock: UonMock;
let ctx: CrmContext;

beforeEach(async () => {
  mock = await startUonMock();
  ctx = { settings: { baseUrl: mock.url, apiKey: mock.apiKey }, fetch };
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

describe('uon adapter', () => {
  it('creates a lead with every standard field, extra fields and client fields', async () => {
    const lead = sampleLead({
      ...RUSSIAN_VISITOR,
      fields: { price: '3000', bedroom_count: '4', '199888': 'Соцсети', hotel_types: ['4*', '5*'] },
      clientFields: { u_surname: 'Петров' },
    });
    const res = await uon.create(lead, ctx);
    expect(res).toEqual({ crmId: '1', httpStatus: 200 });
    expect(mock.created.leads.get('1')).toEqual({
      u_name: 'Иван Петров',
      u_phone: '+79161234567',
      u_email: 'ivan@example.ru',
      source: 'Заявка с сайта example.ru',
      note: 'Перезвоните после 18:00',
      r_id_internal: 'ld_01HZX3Q8K2',
      u_surname: 'Петров',
      price: '3000',
      bedroom_count: '4',
      'extended_fields[199888]': 'Соцсети',
      hotel_types: ['4*', '5*'],
    });
    const req = mock.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe(`/${mock.apiKey}/lead/create.json`);
    expect(req.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
  });

  it('adds a comment as a request action of type "comment"', async () => {
    const { crmId } = await uon.create(sampleLead(RUSSIAN_VISITOR), ctx);
    await uon.addNote(sampleLead(RUSSIAN_VISITOR), crmId!, { title: 'Повторная заявка', message: 'Клиент звонил ещё раз' }, ctx);
    expect(mock.created.actions).toEqual([
      { r_id: crmId, type_id: '0', datetime: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/), text: 'Повторная заявка\nКлиент звонил ещё раз' },
    ]);
  });

  it.each([
    ['the default, Europe/Moscow', undefined, 'Europe/Moscow'],
    ['Asia/Vladivostok (UTC+10)', 'Asia/Vladivostok', 'Asia/Vladivostok'],
    ['America/New_York (behind UTC: a UTC time would be in its future)', 'America/New_York', 'America/New_York'],
  ])('a comment\'s time is written in the account\'s time zone: %s', async (_what, setting, zone) => {
    await mock.close();
    mock = await startUonMock({ timeZone: zone });
    ctx = { settings: { baseUrl: mock.url, apiKey: mock.apiKey, ...(setting ? { timeZone: setting } : {}) }, fetch };
    const { crmId } = await uon.create(sampleLead(RUSSIAN_VISITOR), ctx);
    // Whole seconds: U-ON's format has no milliseconds.
    const before = Math.floor(Date.now() / 1000) * 1000;
    await uon.addNote(sampleLead(RUSSIAN_VISITOR), crmId!, { title: '', message: 'Перезвонить' }, ctx);
    const after = Date.now();
    expect(mock.actionTimes).toHaveLength(1);
    expect(mock.actionTimes[0]!).toBeGreaterThanOrEqual(before);
    expect(mock.actionTimes[0]!).toBeLessThanOrEqual(after);
  });

  it('formats U-ON times in the zone, and a zone that does not exist is a clear permanent error', async () => {
    expect(uonDateTime(new Date('2026-12-01T10:15:30Z'), 'Europe/Moscow')).toBe('2026-12-01 13:15:30');
    expect(uonDateTime(new Date('2026-12-01T23:59:59Z'), 'Asia/Yekaterinburg')).toBe('2026-12-02 04:59:59');
    expect(uon.settings).toContain('timeZone');
    const { crmId } = await uon.create(sampleLead(RUSSIAN_VISITOR), ctx);
    const err = await uon.addNote(sampleLead(RUSSIAN_VISITOR), crmId!, { title: '', message: 'x' }, { ...ctx, settings: { ...ctx.settings, timeZone: 'Moscow' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect((err as CrmError).permanent).toBe(true);
    expect((err as CrmError).message).toContain('"Moscow" is not a time zone');
  });

  it('a wrong key is a permanent error with U-ON\'s message', async () => {
    ctx.settings.apiKey = 'wrong';
    const err = await caught(uon.create(sampleLead(RUSSIAN_VISITOR), ctx));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(403);
    expect(err.message).toContain('Access denied: wrong API key');
  });

  it('never puts the key (it travels in the URL) into an error message', async () => {
    const err = await caught(uon.create(sampleLead(RUSSIAN_VISITOR), { settings: { baseUrl: 'http://127.0.0.1:1', apiKey: 'secret-key-123' }, fetch }));
    expect(err.permanent).toBe(false);
    expect(err.message).not.toContain('secret-key-123');
    const bad = await caught(uon.create(sampleLead(RUSSIAN_VISITOR), { ...ctx, settings: { ...ctx.settings, apiKey: 'secret-key-123' } }));
    expect(bad.message).not.toContain('secret-key-123');
  });

  it('a parameter U-ON rejects is permanent', async () => {
    const err = await caught(uon.create(sampleLead({ ...RUSSIAN_VISITOR, fields: { '777': 'x' } }), ctx));
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('Parameter extended_fields[777] is wrong');
  });

  it('a 429 without Retry-After is transient and waits a second', async () => {
    mock.rateLimitNext();
    const err = await caught(uon.create(sampleLead(RUSSIAN_VISITOR), ctx));
    expect(err.permanent).toBe(false);
    expect(err.httpStatus).toBe(429);
    expect(err.retryAfterMs).toBe(1000);
  });

  it('more than 10 requests a second hit the mock\'s limit, as the real API does', async () => {
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => uon.create(sampleLead(RUSSIAN_VISITOR), ctx)));
    const limited = results.filter((r) => r.status === 'rejected' && (r.reason as CrmError).httpStatus === 429);
    expect(limited.length).toBeGreaterThanOrEqual(2);
    expect(uon.rateLimit.count / (uon.rateLimit.perMs / 1000)).toBeLessThanOrEqual(10);
  });

  it('a 500 is transient', async () => {
    mock.failNext(500);
    const err = await caught(uon.create(sampleLead(RUSSIAN_VISITOR), ctx));
    expect(err.permanent).toBe(false);
  });

  it('loads the standard fields and the account\'s lead extended fields', async () => {
    const fields = await uon.listFields(ctx);
    expect(fields.map((f) => f.key)).toEqual(['u_surname', 'u_sname', 'u_birthday', 'source_id', 'price', 'bedroom_count', '199888']);
    expect(fields.at(-1)).toEqual({ key: '199888', label: 'Откуда узнали?', type: '2' });
  });

  it('test connection reports success and failure', async () => {
    expect(await uon.testConnection(ctx)).toEqual({ ok: true, message: 'Connected to U-ON.Travel' });
    const bad = await uon.testConnection({ ...ctx, settings: { ...ctx.settings, apiKey: 'nope' } });
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('Access denied');
  });

  it('defaults baseUrl to the public API host', async () => {
    const seen: string[] = [];
    const spy: typeof fetch = async (input) => {
      seen.push(String(input));
      return new Response('{"result":200,"id":"5"}', { status: 200, headers: { 'content-type': 'application/json' } });
    };
    await uon.create(sampleLead(RUSSIAN_VISITOR), { settings: { apiKey: 'k1' }, fetch: spy });
    expect(seen).toEqual(['https://api.u-on.ru/k1/lead/create.json']);
  });
});
