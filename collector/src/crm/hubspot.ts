// HubSpot (CRM API v3, private app token as Bearer): the contact (or the one HubSpot already has
// for that email), then the deal associated with it in the same create call; notes are note
// objects associated with the deal.
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { checkConnection, dealTitle, setting } from './adapter-kit.ts';
import { crmRequest, errorFromResponse, excerpt, joinUrl, parseRetryAfter, type CrmResponse } from './http.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmField } from './types.ts';

const DEFAULT_BASE = 'https://api.hubapi.com';
/** HubSpot-defined association type ids (Associations v4 reference). */
const DEAL_TO_CONTACT = 3;
const NOTE_TO_DEAL = 214;
/** The reference article's names for deal properties. */
const ALIASES: Record<string, string> = { status: 'dealstage' };

/** Multiple-checkbox values are one string, options separated by ";". */
const propValue = (v: FieldValue): string => (Array.isArray(v) ? v.join(';') : v);

function hubspotError(res: CrmResponse): CrmError {
  const b = res.body as { message?: unknown; category?: unknown; errors?: { message?: string }[] } | string;
  let message = excerpt(res);
  if (typeof b === 'object' && typeof b.message === 'string') {
    message = typeof b.category === 'string' ? `${b.category}: ${b.message}` : b.message;
  }
  // HubSpot answers 429 without Retry-After but names its window; waiting one window is enough.
  const windowMs = Number(res.headers.get('x-hubspot-ratelimit-interval-milliseconds'));
  const retry = parseRetryAfter(res.headers.get('retry-after')) ?? (res.status === 429 && windowMs > 0 ? windowMs : null);
  return errorFromResponse(res, message, retry);
}

async function call(ctx: CrmContext, method: string, path: string, body?: unknown): Promise<CrmResponse> {
  const res = await crmRequest(ctx, joinUrl(setting(ctx, 'baseUrl', DEFAULT_BASE), path), {
    method,
    headers: {
      authorization: `Bearer ${setting(ctx, 'token')}`,
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status < 200 || res.status > 299) throw hubspotError(res);
  return res;
}

const idOf = (res: CrmResponse): string => String((res.body as { id?: unknown }).id);

export function hubspotContactProperties(lead: Lead): Record<string, string> {
  const props: Record<string, string> = {};
  if (lead.name) props.firstname = lead.name;
  if (lead.email) props.email = lead.email;
  if (lead.phone) props.phone = lead.phone;
  for (const [k, v] of Object.entries(lead.clientFields)) props[k] = propValue(v);
  return props;
}

export function hubspotDealProperties(lead: Lead): Record<string, string> {
  const props: Record<string, string> = { dealname: dealTitle(lead.title, lead.name, lead.phone, lead.email) };
  if (lead.comment) props.description = lead.comment;
  for (const [k, v] of Object.entries(lead.fields)) props[ALIASES[k] ?? k] = propValue(v);
  return props;
}

/** Creates the contact; when HubSpot already has one with this email (409), that one is used. */
async function upsertContact(ctx: CrmContext, lead: Lead): Promise<string | null> {
  const properties = hubspotContactProperties(lead);
  if (!properties.email && !properties.phone && !properties.firstname) return null;
  try {
    return idOf(await call(ctx, 'POST', '/crm/v3/objects/contacts', { properties }));
  } catch (err) {
    const existing = err instanceof CrmError && err.httpStatus === 409 ? /Existing ID: (\d+)/.exec(err.message) : null;
    if (existing) return existing[1]!;
    throw err;
  }
}

interface HubSpotProperty {
  name: string;
  label: string;
  type: string;
  hidden?: boolean;
  calculated?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean };
  options?: { label: string; value: string; hidden?: boolean }[];
}

export const hubspot: CrmAdapter = {
  type: 'hubspot',
  label: 'HubSpot',
  settings: ['baseUrl', 'token'],
  requiredSettings: ['token'],
  secretSettings: ['token'],
  // Private apps: 100 requests per 10 seconds (Free/Starter; higher tiers allow more).
  rateLimit: { count: 100, perMs: 10_000 },

  async create(lead, ctx) {
    const contactId = await upsertContact(ctx, lead);
    const res = await call(ctx, 'POST', '/crm/v3/objects/deals', {
      properties: hubspotDealProperties(lead),
      associations: contactId
        ? [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: DEAL_TO_CONTACT }] }]
        : [],
    });
    return { crmId: idOf(res), httpStatus: res.status };
  },

  async addNote(_lead, crmId, note, ctx) {
    await call(ctx, 'POST', '/crm/v3/objects/notes', {
      properties: {
        hs_timestamp: new Date().toISOString(),
        hs_note_body: note.title ? `${note.title}\n${note.message}` : note.message,
      },
      associations: [{ to: { id: crmId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_TO_DEAL }] }],
    });
  },

  async listFields(ctx) {
    const res = await call(ctx, 'GET', '/crm/v3/properties/deals');
    const props = (res.body as { results?: HubSpotProperty[] }).results ?? [];
    const fields: CrmField[] = [];
    for (const p of props) {
      if (p.hidden || p.calculated || p.modificationMetadata?.readOnlyValue) continue;
      const options = (p.options ?? []).filter((o) => !o.hidden).map((o) => ({ value: o.value, label: o.label }));
      fields.push({ key: p.name, label: p.label, type: p.type, ...(options.length ? { options } : {}) });
    }
    return fields;
  },

  testConnection(ctx) {
    return checkConnection(async () => {
      await call(ctx, 'GET', '/crm/v3/objects/deals?limit=1');
      return 'connected to HubSpot';
    });
  },
};

