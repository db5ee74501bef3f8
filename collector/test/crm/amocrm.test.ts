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
        tags: 'Тег1, Тег2',
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
        { field_code: 'UTM_SOURCE', values: [{ value: 'google' }] },
      ],
      tags: ['Тег1', 'Тег2'],
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

  it('an unknown custom field is a permanent validation error naming the field', async () => {
    const err = await rejection(amocrm.create(sampleLead({ fields: { '999': 'x' } }), ctx));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(400);
    expect(err.message).toContain('custom_fields_values.0.field_id');
  });

  it('a budget that is not a number fails before any request', async () => {
    const err = await rejection(amocrm.create(sampleLead({ fields: { price: 'a lot' } }), ctx));
    expect(err.permanent).toBe(true);
    expect(mock.requests).toHaveLength(0);
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
    expect(fields.map((f) => f.key)).toEqual(['price', 'responsible_user_id', 'status_id', 'pipeline_id', 'tags', '1276733', '1276801', '1276900']);
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
