import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hubspot } from '../../src/crm/hubspot.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';
import { startHubSpotMock, type HubSpotMock } from '../../../fixtures/crm/hubspot.ts';
import { sampleLead } from '../../../fixtures/crm/mock-kit.ts';

let mock: HubSpotMock;
let ctx: CrmContext;
beforeEach(async () => {
  mock = await startHubSpotMock({ token: 'pat-good' });
  ctx = { settings: { baseUrl: mock.url, token: 'pat-good' }, fetch };
});
afterEach(() => mock.close());

async function rejection(p: Promise<unknown>): Promise<CrmError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(CrmError);
  return err as CrmError;
}

describe('HubSpot adapter', () => {
  it('creates the contact and the deal associated with it, with status/pipeline and extra properties', async () => {
    const lead = sampleLead({
      fields: { status: '1111', pipeline: '75e28846-ad0d-4be2-a027-5e1da6590b98', amount: '1500', services: ['delivery', 'assembly'], landing_page: 'sofa' },
      clientFields: { company: 'Sofa LLC' },
    });
    const result = await hubspot.create(lead, ctx);
    const contact = mock.created.contacts[0]!;
    expect(contact).toEqual({
      id: contact.id,
      // The name is split: "Ivan Petrov" → firstname Ivan, lastname Petrov.
      properties: { firstname: 'Ivan', lastname: 'Petrov', email: 'ivan@example.com', phone: '+79991234567', company: 'Sofa LLC' },
      associations: [],
    });
    const deal = mock.created.deals[0]!;
    expect(result).toEqual({ crmId: deal.id, httpStatus: 201 });
    expect(deal).toEqual({
      id: deal.id,
      properties: {
        dealname: 'Request from the contact form',
        description: 'Please call after 18:00',
        dealstage: '1111',
        pipeline: '75e28846-ad0d-4be2-a027-5e1da6590b98',
        amount: '1500',
        services: 'delivery;assembly',
        landing_page: 'sofa',
      },
      associations: [{ toId: contact.id, typeId: 3 }],
    });
    expect(mock.requests[0]!.headers.authorization).toBe('Bearer pat-good');
  });

  it('uses the contact HubSpot already has for the email (409 Existing ID)', async () => {
    await hubspot.create(sampleLead(), ctx);
    await hubspot.create(sampleLead({ id: 'lead_2' }), ctx);
    expect(mock.created.contacts).toHaveLength(1);
    expect(mock.created.deals.map((d) => d.associations[0]!.toId)).toEqual([mock.created.contacts[0]!.id, mock.created.contacts[0]!.id]);
  });

  it('a Russian "Фамилия Имя Отчество" name goes as lastname and firstname with the patronymic', async () => {
    await hubspot.create(sampleLead({ name: 'Петров Иван Сергеевич' }), ctx);
    expect(mock.created.contacts[0]!.properties).toMatchObject({ firstname: 'Иван Сергеевич', lastname: 'Петров' });
  });

  it('a mistyped email goes to the deal description instead of making HubSpot refuse the contact', async () => {
    await hubspot.create(sampleLead({ email: 'ivan@example' }), ctx);
    expect(mock.created.contacts[0]!.properties).not.toHaveProperty('email');
    expect(mock.created.deals[0]!.properties.description).toBe('Please call after 18:00\n\nEmail (not a valid address): ivan@example');
  });

  it('a deal without a status starts in the first stage of its pipeline (read from the pipelines API)', async () => {
    await hubspot.create(sampleLead(), ctx);
    await hubspot.create(sampleLead({ id: 'lead_2', fields: { pipeline: '75e28846-ad0d-4be2-a027-5e1da6590b98' } }), ctx);
    expect(mock.created.deals.map((d) => [d.properties.pipeline, d.properties.dealstage])).toEqual([
      ['default', 'appointmentscheduled'],
      ['75e28846-ad0d-4be2-a027-5e1da6590b98', '1111'],
    ]);
    // Pipelines are read once and kept for a while, not once per lead.
    expect(mock.requests.filter((r) => r.path === '/crm/v3/pipelines/deals')).toHaveLength(1);
  });

  it('a stage outside the pipeline or an unknown property does not lose the lead: dropped, noted, reported', async () => {
    const result = await hubspot.create(sampleLead({ fields: { status: '1111', no_such_prop: 'x', amount: '10' }, clientFields: { shoe_size: '42' } }), ctx);
    expect(mock.created.deals).toHaveLength(1);
    const deal = mock.created.deals[0]!;
    expect(deal.properties).toMatchObject({ amount: '10', pipeline: 'default', dealstage: 'appointmentscheduled' });
    expect(deal.properties).not.toHaveProperty('no_such_prop');
    expect(mock.created.contacts[0]!.properties).not.toHaveProperty('shoe_size');
    expect(result.droppedFields).toEqual([
      { key: 'shoe_size', value: '42', reason: 'PROPERTY_DOESNT_EXIST: Property "shoe_size" does not exist' },
      { key: 'no_such_prop', value: 'x', reason: 'PROPERTY_DOESNT_EXIST: Property "no_such_prop" does not exist' },
      { key: 'status', value: '1111', reason: 'INVALID_OPTION: 1111 is not a valid stage of pipeline default' },
    ]);
    expect(mock.created.notes).toHaveLength(1);
    expect(mock.created.notes[0]!.properties.hs_note_body).toBe([
      'Fields the CRM refused (the lead was sent without them)',
      'shoe_size: 42 — PROPERTY_DOESNT_EXIST: Property "shoe_size" does not exist',
      'no_such_prop: x — PROPERTY_DOESNT_EXIST: Property "no_such_prop" does not exist',
      'status: 1111 — INVALID_OPTION: 1111 is not a valid stage of pipeline default',
    ].join('\n'));
    expect(mock.created.notes[0]!.associations).toEqual([{ toId: deal.id, typeId: 214 }]);
  });

  it('a wrong token is a permanent error with HubSpot\'s message', async () => {
    const err = await rejection(hubspot.create(sampleLead(), { ...ctx, settings: { ...ctx.settings, token: 'pat-bad' } }));
    expect(err.permanent).toBe(true);
    expect(err.httpStatus).toBe(401);
    expect(err.message).toContain('INVALID_AUTHENTICATION: Authentication credentials not found');
  });

  it('429 is transient and waits the window HubSpot names', async () => {
    mock.rateLimitNext(1);
    const err = await rejection(hubspot.create(sampleLead(), ctx));
    expect(err.permanent).toBe(false);
    expect(err.httpStatus).toBe(429);
    expect(err.retryAfterMs).toBe(10_000);
    expect(err.message).toContain('ten_secondly_rolling');
  });

  it('adds a note associated with the deal', async () => {
    const { crmId } = await hubspot.create(sampleLead(), ctx);
    await hubspot.addNote(sampleLead(), crmId!, { title: 'Duplicate', message: 'Same client again' }, ctx);
    expect(mock.created.notes).toEqual([{
      id: expect.any(String),
      properties: { hs_timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/), hs_note_body: 'Duplicate\nSame client again' },
      associations: [{ toId: crmId, typeId: 214 }],
    }]);
  });

  it('loads the writable deal properties with options', async () => {
    const fields = await hubspot.listFields(ctx);
    const keys = fields.map((f) => f.key);
    expect(keys).toEqual(expect.arrayContaining(['dealname', 'amount', 'pipeline', 'dealstage', 'services']));
    expect(keys).not.toContain('hs_object_id');
    expect(fields.find((f) => f.key === 'dealtype')?.options).toEqual([{ value: 'newbusiness', label: 'New Business' }, { value: 'existingbusiness', label: 'Existing Business' }]);
  });

  it('tests the connection', async () => {
    expect(await hubspot.testConnection(ctx)).toEqual({ ok: true, message: 'connected to HubSpot' });
    const bad = await hubspot.testConnection({ ...ctx, settings: { ...ctx.settings, token: 'x' } });
    expect(bad.ok).toBe(false);
    expect(bad.message).toContain('401');
  });
});
