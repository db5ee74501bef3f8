import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { amocrm } from '../../src/crm/amocrm.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { startAmoCrmMock, type AmoMock } from '../../../fixtures/crm/amocrm.ts';
import { sampleLead } from '../../../fixtures/crm/mock-kit.ts';

let mock: AmoMock;
let ctx: CrmContext;
beforeEach(async () => {
  mock = await startAmoCrmMock({ token: 'good-token', accountName: 'Sofa Shop' });
  ctx = { settings: { baseUrl: mock.url, token: 'good-token' }, fetch };
});
afterEach(() => mock.close());

async function rejection(p: Promise<unknown>): Promise<CrmError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

describe('amoCRM adapter', () => {
  it('creates the deal with its contact, extra fields, tags and the comment as a note', async () => {
    const lead = sampleLead({
      fields: {
        price: '123',
        responsible_user_id: '3',
        pipeline_id: '4100000',
        status_id: '41000001',
        '1276733': 'Текст',
        '1276801': ['51', '52'],
        UTM_SOURCE: 'google',
        tags: 'Тег1, 52, Тег2',
      },
      clientFields: { '2001': 'Manager', last_name: 'Petrov' },
    });
    const result = await amocrm.create(lead, ctx);
    expect(mock.created.leads).toHaveLength(1);
    const deal = mock.created.leads[0]!;
    expect(result).toEqual({ crmId: String(deal.id), httpStatus: 200 });
    expect(deal).toEqual({
      id: deal.id,
      name: 'Request from the contact form',
      price: 123,
      responsible_user_id: 3,
      pipeline_id: 4100000,
      status_id: 41000001,
      custom_fields_values: [
        { field_id: 1276733, values: [{ value: 'Текст' }] },
        { field_id: 1276801, values: [{ enum_id: 51 }, { enum_id: 52 }] },
        // The visit's UTM tags go to the deal's tracking_data fields by code (the form's UTM_SOURCE wins).
        { field_code: 'UTM_SOURCE', values: [{ value: 'google' }] },
        { field_code: 'UTM_MEDIUM', values: [{ value: 'cpc' }] },
        { field_code: 'UTM_CAMPAIGN', values: [{ value: 'spring' }] },
        { field_code: 'UTM_TERM', values: [{ value: 'sofa' }] },
        { field_code: 'UTM_CONTENT', values: [{ value: 'ad1' }] },
      ],
      // "52" is the id of the existing tag "Опт", not a new tag named "52".
      tags: ['Тег1', 'Опт', 'Тег2'],
      contact_id: mock.created.contacts[0]!.id,
      request_id: lead.id,
    });
    expect(mock.created.contacts[0]).toEqual({
      id: deal.contact_id,
      name: 'Ivan Petrov',
      first_name: '',
      last_name: 'Petrov',
      custom_fields_values: [
        { field_code: 'PHONE', values: [{ value: '+79991234567', enum_code: 'WORK' }] },
        { field_code: 'EMAIL', values: [{ value: 'ivan@example.com', enum_code: 'WORK' }] },
        { field_id: 2001, values: [{ value: 'Manager' }] },
      ],
    });
    expect(mock.created.notes).toEqual([
      { id: expect.any(Number), entity_id: deal.id, note_type: 'common', params: { text: 'Please call after 18:00' } },
    ]);
    const complex = mock.requests.find((r) => r.path === '/api/v4/leads/complex')!;
    expect(complex.headers.authorization).toBe('Bearer good-token');
    expect(complex.headers['content-type']).toMatch(/^application\/json/);
  });

  it('adds a titled note to an existing deal', async () => {
    const { crmId } = await amocrm.create(sampleLead({ comment: '' }), ctx);
    await amocrm.addNote(sampleLead(), crmId!, { title: 'Duplicate', message: 'Same client again' }, ctx);
    expect(mock.created.notes.map((n) => n.params)).toEqual([{ text: 'Duplicate\nSame client again' }]);
  });

  it('a wrong token is a permanent error carrying amoCRM\'s message', async () => {
    const err = await rejection(amocrm.create(sampleLead(), { ...ctx, settings: { ...ctx.settings, token: 'bad' } }));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(401);
    expect(err.message).toContain('Unauthorized: Invalid access token');
    expect(mock.created.leads).toHaveLength(0);
  });

  it('sends the request body tags as {id} for numbers and {name} for words', async () => {
    await amocrm.create(sampleLead({ fields: { tags: ['51', 'Новый'] } }), ctx);
    const sent = JSON.parse(mock.requests.find((r) => r.path === '/api/v4/leads/complex')!.text) as { _embedded: { tags: unknown } }[];
    expect(sent[0]!._embedded.tags).toEqual([{ id: 51 }, { name: 'Новый' }]);
    expect(mock.created.leads[0]!.tags).toEqual(['VIP', 'Новый']);
  });

  it('a single list value given as an enum id goes as enum_id; its text still goes as value', async () => {
    await amocrm.create(sampleLead({ fields: { '1276802': '62' } }), ctx);
    await amocrm.create(sampleLead({ fields: { '1276802': '61' } }), ctx);
    await amocrm.create(sampleLead({ fields: { '1276802': 'Website' } }), ctx);
    const channel = mock.created.leads.map((l) => (l.custom_fields_values as { field_id?: number }[]).find((f) => f.field_id === 1276802));
    expect(channel).toEqual([
      { field_id: 1276802, values: [{ enum_id: 62 }] },
      { field_id: 1276802, values: [{ enum_id: 61 }] },
      { field_id: 1276802, values: [{ value: 'Website' }] },
    ]);
    // The account's fields are read once and kept for a while, not once per lead.
    expect(mock.requests.filter((r) => r.path === '/api/v4/leads/custom_fields')).toHaveLength(1);
  });

  it('an unknown field id or code does not lose the lead: sent again without it, kept in a note, reported as dropped', async () => {
    const lead = sampleLead({ comment: '', fields: { '999': 'x', NO_SUCH_CODE: 'y', '1276733': 'kept' }, clientFields: { '4242': 'z', '2001': 'Manager' } });
    const result = await amocrm.create(lead, ctx);
    expect(mock.created.leads).toHaveLength(1);
    const deal = mock.created.leads[0]!;
    expect(result.crmId).toBe(String(deal.id));
    expect(deal.custom_fields_values).toContainEqual({ field_id: 1276733, values: [{ value: 'kept' }] });
    expect(JSON.stringify(deal.custom_fields_values)).not.toMatch(/999|NO_SUCH_CODE/);
    expect(mock.created.contacts[0]!.custom_fields_values).toContainEqual({ field_id: 2001, values: [{ value: 'Manager' }] });
    const reason = 'NotSupportedChoice: The value you selected is not a valid choice.';
    expect(result.droppedFields).toEqual([
      { key: '999', value: 'x', reason },
      { key: 'NO_SUCH_CODE', value: 'y', reason },
      { key: '4242', value: 'z', reason },
    ]);
    expect(mock.created.notes).toEqual([{
      id: expect.any(Number), entity_id: deal.id, note_type: 'common',
      params: { text: `Fields the CRM refused (the lead was sent without them)\n999: x — ${reason}\nNO_SUCH_CODE: y — ${reason}\n4242: z — ${reason}` },
    }]);
    expect(result.pendingNotes).toBeUndefined();
  });

  it('a failed comment note is handed back to be queued as a note job, not swallowed, and makes no second deal', async () => {
    mock.failNotes(1);
    const result = await amocrm.create(sampleLead(), ctx);
    expect(mock.created.leads).toHaveLength(1);
    expect(mock.created.notes).toEqual([]);
    expect(result).toEqual({ crmId: String(mock.created.leads[0]!.id), httpStatus: 200, pendingNotes: [{ title: '', message: 'Please call after 18:00' }] });
  });

  it('a budget that is not a number is dropped before any request: the deal is made without it', async () => {
    const result = await amocrm.create(sampleLead({ comment: '', fields: { price: 'a lot' } }), ctx);
    expect(mock.requests.filter((r) => r.path === '/api/v4/leads/complex')).toHaveLength(1);
    expect(mock.created.leads[0]!.price).toBe(0);
    expect(result.droppedFields).toEqual([{ key: 'price', value: 'a lot', reason: 'field "price" must be a number, got "a lot"' }]);
  });

  it('429 is transient and waits one second (amoCRM sends no Retry-After)', async () => {
    mock.rateLimitNext(1);
    const err = await rejection(amocrm.create(sampleLead(), ctx));
    expect(err.permanent).toBe(false);
    expect(err.httpStatus).toBe(429);
    expect(err.retryAfterMs).toBe(1000);
  });

  it('a 5xx is transient', async () => {
    mock.failNext(502);
    const err = await rejection(amocrm.create(sampleLead(), ctx));
    expect(err.permanent).toBe(false);
  });

  it('loads the deal fields with their list options', async () => {
    const fields = await amocrm.listFields(ctx);
    expect(fields.map((f) => f.key)).toEqual([
      'price', 'responsible_user_id', 'status_id', 'pipeline_id', 'tags', '1276733', '1276801', '1276802', '1276900', '1276901', '1276902', '1276903', '1276904',
    ]);
    expect(fields.find((f) => f.key === '1276801')?.options).toEqual([
      { value: '51', label: 'Delivery' },
      { value: '52', label: 'Assembly' },
      { value: '53', label: 'Warranty' },
    ]);
  });

  it('tests the connection', async () => {
    expect(await amocrm.testConnection(ctx)).toEqual({ ok: true, message: 'connected to amoCRM account "Sofa Shop"' });
    const bad = await amocrm.testConnection({ ...ctx, settings: { ...ctx.settings, token: 'nope' } });
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('401');
  });
});
