// amoCRM (API v4): one POST /api/v4/leads/complex makes the deal with its contact, tags and the
// visit's UTM tags (the deal's tracking_data fields UTM_SOURCE…); the comment becomes a "common" note
// on the deal. Auth: a long-lived token as a Bearer header.
import { z } from 'zod';
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { asInteger, asList, asNumber, asText, checkConnection, convertField, createKeepingLead, dealTitle, setting } from './adapter-kit.ts';
import { errorFromResponse, excerpt, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { CrmError, type CrmContext, type CrmField, type CrmNote, type RefusedField } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { required, httpUrl } from './setting-schemas.ts';

/** Deal properties that are not custom fields (the reference article's examples). */
const NUMERIC_LEAD_PROPS = ['price', 'responsible_user_id', 'status_id', 'pipeline_id'] as const;
const CONTACT_PROPS = ['first_name', 'last_name', 'name'] as const;

interface CustomFieldValue {
  field_id?: number;
  field_code?: string;
  values: ({ value: string } | { enum_id: number } | { value: string; enum_code: string })[];
}

/** The deal's tracking_data fields every account has, by code, and the visit's UTM tag each takes. */
const UTM_FIELD_CODES = { UTM_SOURCE: 'source', UTM_MEDIUM: 'medium', UTM_CAMPAIGN: 'campaign', UTM_TERM: 'term', UTM_CONTENT: 'content' } as const;

/** Field id → its enum ids, for the list fields (select, radiobutton…) of the account's deals. */
type EnumIds = Map<number, Set<number>>;

/**
 * A custom field: numeric keys are field ids, other keys field codes (e.g. UTM_SOURCE).
 * List values (multiselect) are enum ids when numeric, as amoCRM expects them; a single value is an
 * enum id when the field is a list field with that enum (amoCRM refuses an id sent as `value`).
 */
function customField(key: string, v: FieldValue, enums: EnumIds): CustomFieldValue {
  const id = /^\d+$/.test(key) ? Number(key) : null;
  const single = (item: string) => (id !== null && /^\d+$/.test(item) && enums.get(id)?.has(Number(item)) ? { enum_id: Number(item) } : { value: item });
  const values = Array.isArray(v)
    ? v.map((item) => (/^\d+$/.test(item) ? { enum_id: Number(item) } : { value: item }))
    : [single(v)];
  return id !== null ? { field_id: id, values } : { field_code: key, values };
}

/** The form's `tags`: numbers are ids of existing tags, other words tag names (comma-separated). */
function tagList(value: FieldValue): ({ id: number } | { name: string })[] {
  return asList(value)
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? { id: Number(t) } : { name: t }));
}

function authHeaders(ctx: CrmContext): Record<string, string> {
  return { authorization: `Bearer ${setting(ctx, 'token')}`, accept: 'application/json' };
}

interface AmoItemError {
  code?: unknown;
  path?: unknown;
  detail?: unknown;
}

/** Where each part of a leads/complex body came from in the lead, to name a refused field by its form key. */
interface BodyKeys {
  /** Deal property (price, status_id…) or `custom_fields_values.N` → the key in `lead.fields`. */
  deal: Map<string, string>;
  /** `custom_fields_values.N` of the contact, or a contact property → the key in `lead.clientFields`. */
  contact: Map<string, string>;
}

/**
 * The lead's fields that amoCRM's validation errors name: `custom_fields_values.0.field_id` (an unknown
 * field or enum), `_embedded.contacts.0.custom_fields_values.2.values.0.value`, `price`, `_embedded.tags`…
 */
function refusedFields(body: unknown, keys: BodyKeys): RefusedField[] {
  const list = (body as { 'validation-errors'?: unknown })['validation-errors'];
  if (!Array.isArray(list)) return [];
  const out: RefusedField[] = [];
  for (const item of list as { errors?: AmoItemError[] }[]) {
    for (const e of item.errors ?? []) {
      if (typeof e.path !== 'string') continue;
      const reason = [e.code, e.detail].filter((x) => typeof x === 'string' && x).join(': ') || 'refused';
      const contact = /^_embedded\.contacts\.0\.(custom_fields_values\.\d+|\w+)/.exec(e.path);
      const deal = /^(custom_fields_values\.\d+|_embedded\.tags|\w+)/.exec(e.path);
      if (contact && keys.contact.has(contact[1]!)) out.push({ key: keys.contact.get(contact[1]!)!, in: 'clientFields', reason });
      else if (!contact && deal && keys.deal.has(deal[1]!)) out.push({ key: keys.deal.get(deal[1]!)!, in: 'fields', reason });
    }
  }
  return out;
}

/** amoCRM answers errors as application/problem+json: title, detail and, for 400, validation-errors. */
function amoError(res: CrmResponse, keys?: BodyKeys): CrmError {
  const b = res.body;
  let message = excerpt(res);
  let refused: RefusedField[] = [];
  if (typeof b === 'object' && b !== null && !Array.isArray(b)) {
    const p = b as { title?: unknown; detail?: unknown; 'validation-errors'?: unknown };
    message = [p.title, p.detail].filter((s) => typeof s === 'string' && s).join(': ') || message;
    if (p['validation-errors']) message += ` ${JSON.stringify(p['validation-errors']).slice(0, 300)}`;
    if (keys && res.status === 400) refused = refusedFields(b, keys);
  }
  // amoCRM sends no Retry-After on 429; its limit is per second, so one second is the right wait.
  const err = errorFromResponse(res, message, res.status === 429 ? 1000 : null);
  return refused.length ? new CrmError(err.message, { permanent: err.permanent, httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs, refused }) : err;
}

/** API v4 calls; `keys` names the lead's fields a validation error may refuse. */
const call = jsonClient<BodyKeys>({
  base: (ctx) => setting(ctx, 'baseUrl'),
  headers: (ctx) => authHeaders(ctx),
  error: (res, keys) => amoError(res, keys),
});

/** The visit's UTM tags as deal fields by code, unless the form sets that code itself. */
function utmFields(lead: Lead): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [code, tag] of Object.entries(UTM_FIELD_CODES)) if (lead.utm[tag]) out[code] = lead.utm[tag];
  return out;
}

/** The request body for leads/complex: one deal with its contact, as amoCRM documents it. */
export function amoComplexLead(lead: Lead, enums: EnumIds = new Map()): { body: Record<string, unknown>; keys: BodyKeys } {
  const keys: BodyKeys = { deal: new Map(), contact: new Map() };
  const deal: Record<string, unknown> = {
    name: dealTitle(lead.title, lead.name, lead.phone, lead.email),
    // Echoed back by amoCRM in the answer; amoCRM does not deduplicate by it.
    request_id: lead.id,
  };
  const dealFields: CustomFieldValue[] = [];
  let tags: ({ id: number } | { name: string })[] = [];
  for (const [key, value] of Object.entries(lead.fields)) {
    if ((NUMERIC_LEAD_PROPS as readonly string[]).includes(key)) {
      deal[key] = convertField(key, 'fields', () => (key === 'price' ? Math.round(asNumber(key, value)) : asInteger(key, value)));
      keys.deal.set(key, key);
    } else if (key === 'tags') {
      tags = tagList(value);
      keys.deal.set('_embedded.tags', key);
    } else if (key === 'name') {
      deal.name = asText(value);
    } else {
      keys.deal.set(`custom_fields_values.${dealFields.length}`, key);
      dealFields.push(customField(key, value, enums));
    }
  }
  if (dealFields.length) deal.custom_fields_values = dealFields;

  const contact: Record<string, unknown> = {};
  const contactFields: CustomFieldValue[] = [];
  if (lead.name) contact.name = lead.name;
  if (lead.phone) contactFields.push({ field_code: 'PHONE', values: [{ value: lead.phone, enum_code: 'WORK' }] });
  if (lead.email) contactFields.push({ field_code: 'EMAIL', values: [{ value: lead.email, enum_code: 'WORK' }] });
  for (const [key, value] of Object.entries(lead.clientFields)) {
    if ((CONTACT_PROPS as readonly string[]).includes(key)) contact[key] = asText(value);
    else if (key === 'responsible_user_id') contact[key] = convertField(key, 'clientFields', () => asInteger(key, value));
    else {
      keys.contact.set(`custom_fields_values.${contactFields.length}`, key);
      contactFields.push(customField(key, value, new Map()));
      continue;
    }
    keys.contact.set(key, key);
  }
  if (contactFields.length) contact.custom_fields_values = contactFields;

  const embedded: Record<string, unknown> = {};
  if (tags.length) embedded.tags = tags;
  if (Object.keys(contact).length) embedded.contacts = [contact];
  if (Object.keys(embedded).length) deal._embedded = embedded;
  return { body: deal, keys };
}

/** The account's fields change rarely: their enum ids are read once in a while, not for every lead. */
const ENUMS_TTL_MS = 5 * 60_000;
const enumCache = new Map<string, { at: number; enums: EnumIds }>();

/** The account's deal list fields and their enum ids: read only when a single numeric value may be one. */
async function dealEnumIds(ctx: CrmContext, lead: Lead): Promise<EnumIds> {
  const needed = Object.entries(lead.fields).some(([k, v]) => /^\d+$/.test(k) && !Array.isArray(v) && /^\d+$/.test(v));
  if (!needed) return new Map();
  const key = `${setting(ctx, 'baseUrl')}\n${setting(ctx, 'token')}`;
  const now = ctx.now?.() ?? Date.now();
  const cached = enumCache.get(key);
  if (cached && now - cached.at <= ENUMS_TTL_MS) return cached.enums;
  const enums: EnumIds = new Map();
  for (const f of await dealCustomFields(ctx)) if (f.enums?.length) enums.set(f.id, new Set(f.enums.map((e) => e.id)));
  enumCache.set(key, { at: now, enums });
  return enums;
}

/** The deal's custom fields (paged by 250, amoCRM's maximum; an empty page is a 204 with no body). */
async function dealCustomFields(ctx: CrmContext): Promise<AmoCustomField[]> {
  const out: AmoCustomField[] = [];
  for (let page = 1; page <= 40; page++) {
    const res = await call(ctx, 'GET', `/api/v4/leads/custom_fields?limit=250&page=${page}`);
    const body = res.body as { _embedded?: { custom_fields?: AmoCustomField[] }; _links?: { next?: unknown } } | string;
    if (typeof body !== 'object') break;
    out.push(...(body._embedded?.custom_fields ?? []));
    if (!body._links?.next) break;
  }
  return out;
}

async function addNote(ctx: CrmContext, crmId: string, title: string, message: string): Promise<void> {
  const text = title ? `${title}\n${message}` : message;
  await call(ctx, 'POST', `/api/v4/leads/${encodeURIComponent(crmId)}/notes`, [
    { note_type: 'common', params: { text } },
  ]);
}

interface AmoCustomField {
  id: number;
  name: string;
  type: string;
  enums?: { id: number; value: string }[] | null;
}

export const amocrm = defineAdapter({
  type: 'amocrm',
  label: 'amoCRM',
  settings: z.looseObject({
    baseUrl: httpUrl('The account address, https://ACCOUNT.amocrm.ru.'),
    token: required('A long-lived access token.'),
  }),
  secret: ['token'],
  // amoCRM: at most 7 requests per second per integration.
  rateLimit: { count: 7, perMs: 1000 },

  async create(lead, ctx) {
    const enums = await dealEnumIds(ctx, lead);
    // The UTM tags travel as the lead's own fields, so an account without one of them drops it like any field.
    const withUtm = { ...lead, fields: { ...utmFields(lead), ...lead.fields } };
    return createKeepingLead(
      withUtm,
      async (l) => {
        const { body, keys } = amoComplexLead(l, enums);
        const res = await call(ctx, 'POST', '/api/v4/leads/complex', [body], keys);
        const first = Array.isArray(res.body) ? (res.body[0] as { id?: unknown } | undefined) : undefined;
        if (typeof first?.id !== 'number') {
          throw new CrmError(`amoCRM answered without a deal id: ${excerpt(res)}`, { permanent: false, httpStatus: res.status });
        }
        const crmId = String(first.id);
        const pendingNotes: CrmNote[] = [];
        if (l.comment.trim()) {
          // The deal exists now: a failed note must not fail the delivery (a retry would make a second
          // deal); the worker queues it as a note job, retried like any note.
          const note = { title: '', message: l.comment };
          await addNote(ctx, crmId, note.title, note.message).catch(() => pendingNotes.push(note));
        }
        return { crmId, httpStatus: res.status, ...(pendingNotes.length ? { pendingNotes } : {}) };
      },
      (crmId, note) => addNote(ctx, crmId, note.title, note.message),
    );
  },

  async addNote(_lead, crmId, note, ctx) {
    await addNote(ctx, crmId, note.title, note.message);
  },

  async fields(ctx) {
    const fields: CrmField[] = [
      { key: 'price', label: 'Budget', type: 'numeric' },
      { key: 'responsible_user_id', label: 'Responsible user id', type: 'numeric' },
      { key: 'status_id', label: 'Status id', type: 'numeric' },
      { key: 'pipeline_id', label: 'Pipeline id', type: 'numeric' },
      { key: 'tags', label: 'Tags (comma-separated)', type: 'text' },
    ];
    for (const f of await dealCustomFields(ctx)) {
      fields.push({
        key: String(f.id),
        label: f.name,
        type: f.type,
        ...(f.enums?.length ? { options: f.enums.map((e) => ({ value: String(e.id), label: e.value })) } : {}),
      });
    }
    return fields;
  },

  test(ctx) {
    return checkConnection(async () => {
      const res = await call(ctx, 'GET', '/api/v4/account');
      const name = (res.body as { name?: unknown }).name;
      return `connected to amoCRM account "${typeof name === 'string' ? name : '?'}"`;
    });
  },
});
