import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { clearMegaplanTokens, megaplan } from '../../src/crm/megaplan.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { RUSSIAN_VISITOR, sampleLead } from '../../../fixtures/crm/mock-kit.ts';
import { startMegaplanMock, type MegaplanMock } from '../../../fixtures/crm/megaplan.ts';

let mock: MegaplanMock;
let ctx: CrmContext;

beforeEach(async () => {
  clearMegaplanTokens();
  mock = await startMegaplanMock();
  ctx = { settings: { baseUrl: mock.url, username: mock.username, password: mock.password }, fetch };
});
afterEach(async () => {
  vi.useRealTimers();
  await mock.close();
});

async function caught(p: Promise<unknown>): Promise<CrmError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

describe('megaplan adapter', () => {
  it('creates a client and a deal with every standard field, extra fields and client fields', async () => {
    const lead = sampleLead({
      ...RUSSIAN_VISITOR,
      fields: {
        program: '5',
        Cost: '123',
        manager: '1000003',
        Category1000047CustomFieldSayt: 'example.ru',
        Category1000047CustomFieldIstochnik: ['Реклама', 'Сайт'],
      },
      clientFields: { description: 'VIP' },
    });
    const res = await megaplan.create(lead, ctx);
    const [contractorId, contractor] = [...mock.created.contractors][0]!;
    expect(contractor).toEqual({
      id: contractorId,
      contentType: 'ContractorHuman',
      firstName: 'Иван',
      lastName: 'Петров',
      description: 'VIP',
      contactInfo: [
        { contentType: 'ContactInfo', type: 'phone', value: '+79161234567', isMain: true },
        { contentType: 'ContactInfo', type: 'email', value: 'ivan@example.ru', isMain: false },
      ],
    });
    expect(mock.created.deals.get(res.crmId!)).toEqual({
      id: res.crmId,
      contentType: 'Deal',
      program: { contentType: 'Program', id: '5' },
      contractor: { contentType: 'ContractorHuman', id: contractorId },
      name: 'Заявка с сайта example.ru',
      description: 'Перезвоните после 18:00',
      price: { contentType: 'Money', value: 123, currency: 'RUB' },
      manager: { contentType: 'Employee', id: '1000003' },
      Category1000047CustomFieldSayt: 'example.ru',
      Category1000047CustomFieldIstochnik: ['Реклама', 'Сайт'],
    });
    const authReq = mock.requests[0]!;
    expect(authReq.path).toBe('/api/v3/auth/access_token');
    expect(Object.fromEntries(new URLSearchParams(authReq.text))).toEqual({ username: mock.username, password: mock.password, grant_type: 'password' });
    expect(mock.requests.slice(1).every((r) => r.headers.authorization === 'Bearer mp-token-1')).toBe(true);
  });

  it('without a program field uses the account\'s first program', async () => {
    const { crmId } = await megaplan.create(sampleLead(RUSSIAN_VISITOR), ctx);
    expect(mock.created.deals.get(crmId!)?.program).toEqual({ contentType: 'Program', id: '5' });
  });

  it('reuses the token across leads and re-issues it once after a 401', async () => {
    await megaplan.create(sampleLead(RUSSIAN_VISITOR), ctx);
    await megaplan.create(sampleLead(RUSSIAN_VISITOR), ctx);
    expect(mock.tokensIssued()).toBe(1);
    mock.expireTokens();
    await megaplan.create(sampleLead(RUSSIAN_VISITOR), ctx);
    expect(mock.tokensIssued()).toBe(2);
    expect(mock.created.deals.size).toBe(3);
  });

  it('adds a comment to the deal as escaped HTML', async () => {
    const { crmId } = await megaplan.create(sampleLead(RUSSIAN_VISITOR), ctx);
    await megaplan.addNote(sampleLead(RUSSIAN_VISITOR), crmId!, { title: 'Повторная заявка', message: 'Цена <5000>\nзвонить вечером' }, ctx);
    expect(mock.created.comments).toEqual([
      { dealId: crmId, body: { contentType: 'Comment', content: '<b>Повторная заявка</b><br>Цена &lt;5000&gt;<br>звонить вечером' } },
    ]);
  });

  it('bad credentials are a permanent error with Megaplan\'s message', async () => {
    ctx.settings.password = 'wrong';
    const err = await caught(megaplan.create(sampleLead(RUSSIAN_VISITOR), ctx));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(400);
    expect(err.message).toContain('Invalid username and password combination (invalid_grant)');
    expect(err.message).not.toContain('wrong');
  });

  it('an unknown deal field is a permanent validation error naming the field', async () => {
    const err = await caught(megaplan.create(sampleLead({ ...RUSSIAN_VISITOR, fields: { program: '6', Category1000047CustomFieldSayt: 'x' } }), ctx));
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('Category1000047CustomFieldSayt: Unknown field');
  });

  it('a 429 is transient and waits before the next try', async () => {
    await megaplan.testConnection(ctx); // the token is cached, so the next call is the API one
    mock.rateLimitNext();
    const err = await caught(megaplan.create(sampleLead(RUSSIAN_VISITOR), ctx));
    expect(err.permanent).toBe(false);
    expect(err.httpStatus).toBe(429);
    expect(err.retryAfterMs).toBe(1000);
    expect(err.message).toContain('Too many requests');
  });

  it('loads programs and each program\'s fields', async () => {
    const fields = await megaplan.listFields(ctx);
    expect(fields.map((f) => f.key)).toEqual([
      'program',
      'Cost',
      'manager',
      'Category1000047CustomFieldSayt',
      'Category1000047CustomFieldIstochnik',
      'Category1000051CustomFieldPrichina',
    ]);
    expect(fields[0]!.options).toEqual([
      { value: '5', label: 'Продажи' },
      { value: '6', label: 'Сервис' },
    ]);
    expect(fields[4]!.options).toEqual([
      { value: 'Реклама', label: 'Реклама' },
      { value: 'Сайт', label: 'Сайт' },
    ]);
  });

  it('test connection reports success and failure', async () => {
    expect(await megaplan.testConnection(ctx)).toEqual({ ok: true, message: 'Connected to Megaplan: 2 deal program(s)' });
    clearMegaplanTokens();
    const bad = await megaplan.testConnection({ ...ctx, settings: { ...ctx.settings, password: 'nope' } });
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('Invalid username and password combination');
  });

  it('splits a Russian full name into last, first and middle name', async () => {
    await megaplan.create(sampleLead({ ...RUSSIAN_VISITOR, name: 'Петрова Анна Сергеевна' }), ctx);
    expect([...mock.created.contractors.values()][0]).toMatchObject({ lastName: 'Петрова', firstName: 'Анна', middleName: 'Сергеевна' });
  });

  it('the deal\'s currency comes from the currency setting; a malformed one is a clear permanent error', async () => {
    const { crmId } = await megaplan.create(sampleLead({ ...RUSSIAN_VISITOR, fields: { Cost: '5000' } }), { ...ctx, settings: { ...ctx.settings, currency: 'kzt' } });
    expect(mock.created.deals.get(crmId!)?.price).toEqual({ contentType: 'Money', value: 5000, currency: 'KZT' });
    const err = await caught(megaplan.create(sampleLead({ ...RUSSIAN_VISITOR, id: 'ld_2', fields: { Cost: '1' } }), { ...ctx, settings: { ...ctx.settings, currency: 'тенге' } }));
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('"тенге" is not a 3-letter ISO code');
    expect(megaplan.settings).toContain('currency');
  });

  it('a retry after the deal call failed links the client card made the first time, not a second one', async () => {
    const lead = sampleLead({ ...RUSSIAN_VISITOR, fields: { program: '5' } });
    mock.failPathNext('/api/v3/deal', 429);
    const err = await caught(megaplan.create(lead, ctx));
    expect(err.permanent).toBe(false);
    expect(mock.created.contractors.size).toBe(1);
    const { crmId } = await megaplan.create(lead, ctx);
    expect(mock.created.contractors.size).toBe(1);
    const [contractorId] = [...mock.created.contractors.keys()];
    expect(mock.created.deals.get(crmId!)?.contractor).toEqual({ contentType: 'ContractorHuman', id: contractorId });
    // Another lead still gets its own card.
    await megaplan.create(sampleLead({ ...RUSSIAN_VISITOR, id: 'ld_other', fields: { program: '5' } }), ctx);
    expect(mock.created.contractors.size).toBe(2);
  });

  it('renews the token with its refresh token before it expires (expires_in), without a refused call', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 11, 1, 9, 0, 0));
    await megaplan.create(sampleLead(RUSSIAN_VISITOR), ctx);
    // 172 800 s later minus 30 minutes: still valid, but inside the last hour.
    vi.setSystemTime(Date.UTC(2026, 11, 1, 9, 0, 0) + 172_800_000 - 30 * 60_000);
    await megaplan.create(sampleLead({ ...RUSSIAN_VISITOR, id: 'ld_2' }), ctx);
    expect(mock.grants).toEqual(['password', 'refresh_token']);
    // Token, client, program list, deal — twice: no call was refused and repeated.
    expect(mock.requests).toHaveLength(8);
    expect(mock.requests.at(-1)!.headers.authorization).toBe('Bearer mp-token-2');
    expect(mock.created.deals.size).toBe(2);
  });

  it.each([401, 403] as const)('an expired token answered with %i gets a new token and the call succeeds (not a permanent failure)', async (status) => {
    await mock.close();
    mock = await startMegaplanMock({ expiredStatus: status });
    ctx = { settings: { baseUrl: mock.url, username: mock.username, password: mock.password }, fetch };
    await megaplan.create(sampleLead(RUSSIAN_VISITOR), ctx);
    mock.expireTokens();
    const { crmId } = await megaplan.create(sampleLead({ ...RUSSIAN_VISITOR, id: 'ld_2' }), ctx);
    expect(crmId).toBeTruthy();
    expect(mock.requests.filter((r) => r.path === '/api/v3/auth/access_token')).toHaveLength(2);
    // The refresh token was tried first.
    expect(mock.grants).toEqual(['password', 'refresh_token']);
  });

  it('a refused refresh token falls back to the password grant', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.UTC(2026, 11, 1, 9, 0, 0));
    await megaplan.create(sampleLead(RUSSIAN_VISITOR), ctx);
    // Another client spent the refresh token meanwhile.
    await fetch(`${mock.url}/api/v3/auth/access_token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'grant_type=refresh_token&refresh_token=mp-refresh-1',
    });
    vi.setSystemTime(Date.UTC(2026, 11, 3, 9, 0, 0));
    await megaplan.create(sampleLead({ ...RUSSIAN_VISITOR, id: 'ld_2' }), ctx);
    expect(mock.grants).toEqual(['password', 'refresh_token', 'refresh_token', 'password']);
    expect(mock.created.deals.size).toBe(2);
  });
});
