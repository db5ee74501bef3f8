import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { salesforce } from '../../src/crm/salesforce.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { RUSSIAN_VISITOR, sampleLead } from '../../../fixtures/crm/mock-kit.ts';
import { startSalesforceMock, type SalesforceMock } from '../../../fixtures/crm/salesforce.ts';

let mock: SalesforceMock;
let ctx: CrmContext;

beforeEach(async () => {
  mock = await startSalesforceMock();
  ctx = { settings: { baseUrl: mock.url, accessToken: mock.accessToken, apiVersion: '60.0' }, fetch };
});
afterEach(() => mock.close());

const fullLead = () =>
  sampleLead({
    ...RUSSIAN_VISITOR,
    fields: { Company: 'ООО Ромашка', Title: 'Директор', Owner: '0055g00000ABCDE', Budget__c: '150000', Interests__c: ['Туры', 'Визы'] },
    clientFields: { FirstName: 'Иван' },
  });

async function caught(p: Promise<unknown>): Promise<CrmError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

describe('salesforce adapter', () => {
  it('creates a Lead with every standard field, extra fields and client fields', async () => {
    const res = await salesforce.create(fullLead(), ctx);
    expect(res.crmId).toMatch(/^00Q/);
    expect(res.httpStatus).toBe(201);
    expect(mock.created.leads.get(res.crmId!)).toEqual({
      Id: res.crmId,
      // "Иван Петров" is split: FirstName Иван, LastName Петров.
      LastName: 'Петров',
      FirstName: 'Иван',
      Company: 'ООО Ромашка',
      Title: 'Директор',
      OwnerId: '0055g00000ABCDE',
      Phone: '+79161234567',
      Email: 'ivan@example.ru',
      Description: 'Заявка с сайта example.ru\n\nПерезвоните после 18:00',
      LeadSource: 'Web',
      Budget__c: '150000',
      Interests__c: 'Туры;Визы',
    });
    const req = mock.requests.at(-1)!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/services/data/v60.0/sobjects/Lead');
    expect(req.headers['content-type']).toBe('application/json');
  });

  it('fills the required Company with Salesforce\'s own placeholder', async () => {
    const res = await salesforce.create(sampleLead(RUSSIAN_VISITOR), ctx);
    expect(mock.created.leads.get(res.crmId!)?.Company).toBe('[not provided]');
  });

  it('upserts by the external-id field so a retried lead makes no second Lead', async () => {
    ctx.settings.externalIdField = 'Leadrelay_Id__c';
    const first = await salesforce.create(fullLead(), ctx);
    const again = await salesforce.create(fullLead(), ctx);
    expect(again.crmId).toBe(first.crmId);
    expect(mock.created.leads.size).toBe(1);
    expect(mock.created.leads.get(first.crmId!)?.Leadrelay_Id__c).toBe('ld_01HZX3Q8K2');
    expect(mock.requests.at(-1)!.method).toBe('PATCH');
    expect(mock.requests.at(-1)!.path).toBe('/services/data/v60.0/sobjects/Lead/Leadrelay_Id__c/ld_01HZX3Q8K2');
  });

  it('reads the id back when an older API answers an updating upsert with 204', async () => {
    await mock.close();
    mock = await startSalesforceMock({ apiVersion: '45.0' });
    ctx = { settings: { baseUrl: mock.url, accessToken: mock.accessToken, apiVersion: 'v45.0', externalIdField: 'Leadrelay_Id__c' }, fetch };
    const first = await salesforce.create(sampleLead(RUSSIAN_VISITOR), ctx);
    const again = await salesforce.create(sampleLead(RUSSIAN_VISITOR), ctx);
    expect(again.crmId).toBe(first.crmId);
    expect(mock.requests.map((r) => r.method)).toEqual(['PATCH', 'PATCH', 'GET']);
    expect(mock.requests[2]!.query.get('fields')).toBe('Id');
  });

  it('adds a comment as a Note on the Lead', async () => {
    const { crmId } = await salesforce.create(sampleLead(RUSSIAN_VISITOR), ctx);
    await salesforce.addNote(sampleLead(RUSSIAN_VISITOR), crmId!, { title: 'Повторная заявка', message: 'Клиент оставил заявку ещё раз' }, ctx);
    expect(mock.created.notes).toEqual([
      expect.objectContaining({ ParentId: crmId, Title: 'Повторная заявка', Body: 'Клиент оставил заявку ещё раз' }),
    ]);
  });

  it('an invalid session is a permanent error with Salesforce\'s message', async () => {
    ctx.settings.accessToken = 'expired';
    const err = await caught(salesforce.create(sampleLead(RUSSIAN_VISITOR), ctx));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(401);
    expect(err.message).toContain('INVALID_SESSION_ID: Session expired or invalid');
  });

  it('a one-word name is the required LastName; a Russian full name keeps the patronymic with the first name', async () => {
    const one = await salesforce.create(sampleLead({ ...RUSSIAN_VISITOR, name: 'Иван' }), ctx);
    const three = await salesforce.create(sampleLead({ ...RUSSIAN_VISITOR, id: 'ld_2', name: 'Петров Иван Сергеевич' }), ctx);
    expect(mock.created.leads.get(one.crmId!)).toMatchObject({ LastName: 'Иван' });
    expect(mock.created.leads.get(one.crmId!)).not.toHaveProperty('FirstName');
    expect(mock.created.leads.get(three.crmId!)).toMatchObject({ FirstName: 'Иван Сергеевич', LastName: 'Петров' });
  });

  it('values are fitted to the Lead\'s field lengths, the full text kept in Description', async () => {
    const longLast = `Петров${'а'.repeat(100)}`;
    const longCompany = `ООО ${'Ромашка'.repeat(50)}`;
    const res = await salesforce.create(sampleLead({ ...RUSSIAN_VISITOR, name: `Иван ${longLast}`, phone: `+7916${'1'.repeat(50)}`, fields: { Company: longCompany } }), ctx);
    const row = mock.created.leads.get(res.crmId!)!;
    expect(row.LastName).toBe(longLast.slice(0, 80));
    expect(row.Company).toBe(longCompany.slice(0, 255));
    expect(String(row.Phone)).toHaveLength(40);
    expect(row.Description).toContain(`LastName (full): ${longLast}`);
    expect(row.Description).toContain(`Company (full): ${longCompany}`);
    expect(res.droppedFields).toBeUndefined();
  });

  it('a malformed email goes to Description instead of failing the Lead', async () => {
    const res = await salesforce.create(sampleLead({ ...RUSSIAN_VISITOR, email: 'ivan@mail' }), ctx);
    const row = mock.created.leads.get(res.crmId!)!;
    expect(row).not.toHaveProperty('Email');
    expect(row.Description).toContain('Email (not a valid address): ivan@mail');
  });

  it('an unknown field or a too long custom value does not lose the Lead: dropped, kept in a Note, reported', async () => {
    const res = await salesforce.create(sampleLead({ ...RUSSIAN_VISITOR, fields: { NoSuch__c: 'x', Website_Note__c: 'a note longer than twenty', Budget__c: '100' } }), ctx);
    const row = mock.created.leads.get(res.crmId!)!;
    expect(row).toMatchObject({ Budget__c: '100' });
    expect(row).not.toHaveProperty('NoSuch__c');
    expect(row).not.toHaveProperty('Website_Note__c');
    expect(res.droppedFields).toEqual([
      { key: 'NoSuch__c', value: 'x', reason: "INVALID_FIELD: No such column 'NoSuch__c' on sobject of type Lead" },
      { key: 'Website_Note__c', value: 'a note longer than twenty', reason: 'STRING_TOO_LONG: Website note: data value too large: a note longer than twenty (max length=20)' },
    ]);
    expect(mock.created.notes).toEqual([expect.objectContaining({
      ParentId: res.crmId,
      Title: 'Fields the CRM refused (the lead was sent without them)',
      Body: "NoSuch__c: x — INVALID_FIELD: No such column 'NoSuch__c' on sobject of type Lead\nWebsite_Note__c: a note longer than twenty — STRING_TOO_LONG: Website note: data value too large: a note longer than twenty (max length=20)",
    })]);
  });

  it('a refusal that names no extra field stays a permanent error', async () => {
    const err = await caught(salesforce.create(sampleLead({ ...RUSSIAN_VISITOR, fields: { OwnerId: '' } }), { ...ctx, settings: { ...ctx.settings, externalIdField: 'NoSuch__c' } }));
    expect(err.permanent).toBe(true);
    expect(err.message).toContain('Provided external ID field does not exist');
  });

  it('REQUEST_LIMIT_EXCEEDED (403) is transient and waits before the next try', async () => {
    mock.rateLimitNext();
    const err = await caught(salesforce.create(sampleLead(RUSSIAN_VISITOR), ctx));
    expect(err.permanent).toBe(false);
    expect(err.httpStatus).toBe(403);
    expect(err.retryAfterMs).toBe(60 * 60 * 1000);
    expect(err.message).toContain('REQUEST_LIMIT_EXCEEDED');
  });

  it('a 503 is transient', async () => {
    mock.failNext(503);
    const err = await caught(salesforce.create(sampleLead(RUSSIAN_VISITOR), ctx));
    expect(err.permanent).toBe(false);
    expect(err.message).toContain('SERVER_UNAVAILABLE');
  });

  it('loads the createable Lead fields with active picklist values', async () => {
    const fields = await salesforce.listFields(ctx);
    const keys = fields.map((f) => f.key);
    expect(keys).toContain('Company');
    expect(keys).toContain('Budget__c');
    expect(keys).not.toContain('Id');
    expect(keys).not.toContain('CreatedDate');
    expect(fields.find((f) => f.key === 'LeadSource')?.options).toEqual([
      { value: 'Web', label: 'Web' },
      { value: 'Phone Inquiry', label: 'Phone Inquiry' },
    ]);
    expect(mock.requests.at(-1)!.path).toBe('/services/data/v60.0/sobjects/Lead/describe');
  });

  it('test connection reports success and failure', async () => {
    const ok = await salesforce.testConnection(ctx);
    expect(ok.ok).toBe(true);
    expect(ok.message).toMatch(/daily API requests left/);
    const bad = await salesforce.testConnection({ ...ctx, settings: { ...ctx.settings, accessToken: 'nope' } });
    expect(bad).toEqual({ ok: false, message: expect.stringContaining('Session expired or invalid') });
  });

  it('rejects a malformed apiVersion before sending anything', async () => {
    const err = await caught(salesforce.create(sampleLead(RUSSIAN_VISITOR), { ...ctx, settings: { ...ctx.settings, apiVersion: 'latest' } }));
    expect(err.permanent).toBe(true);
    expect(mock.requests).toHaveLength(0);
  });
});
