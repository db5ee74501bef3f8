// amoCRM (API v4): one POST /api/v4/leads/complex makes the deal with its contact and tags;
// the comment becomes a "common" note on the deal. Auth: a long-lived token as a Bearer header.
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { asInteger, asList, asNumber, asText, checkConnection, dealTitle, setting } from './adapter-kit.ts';
import { crmRequest, errorFromResponse, excerpt, joinUrl, type CrmResponse } from './http.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmField } from './types.ts';

/** Deal properties that are not custom fields (the reference article's examples). */
const NUMERIC_LEAD_PROPS = ['price', 'responsible_user_id', 'status_id', 'pipeline_id'] as const;
const CONTACT_PROPS = ['first_name', 'last_name', 'name'] as const;

interface CustomFieldValue {
  field_id?: number;
  field_code?: string;
  values: ({ value: string } | { enum_id: number } | { value: string; enum_code: string })[];
}

/**
 * A custom field: numeric keys are field ids, other keys field codes (e.g. UTM_SOURCE).
 * List values (multiselect) are enum ids when numeric, as amoCRM expects them.
 */
function customField(key: string, v: FieldValue): CustomFieldValue {
  const values = Array.isArray(v)
    ? v.map((item) => (/^\d+$/.test(item) ? { enum_id: Number(item) } : { value: item }))
    : [{ value: v }];
  return /^\d+$/.test(key) ? { field_id: Number(key), values } : { field_code: key, values };
}

function authHeaders(ctx: CrmContext): Record<string, string> {
  return { authorization: `Bearer ${setting(ctx, 'token')}`, accept: 'application/json' };
}

function url(ctx: CrmContext, path: string): string {
  return joinUrl(setting(ctx, 'baseUrl'), path);
}

/** amoCRM answers errors as application/problem+json: title, detail and, for 400, validation-errors. */
function amoError(res: CrmResponse): CrmError {
  const b = res.body;
  let message = excerpt(res);
  if (typeof b === 'object' && b !== null && !Array.isArray(b)) {
    const p = b as { title?: unknown; detail?: unknown; 'validation-errors'?: unknown };
    message = [p.title, p.detail].filter((s) => typeof s === 'string' && s).join(': ') || message;
    if (p['validation-errors']) message += ` ${JSON.stringify(p['validation-errors']).slice(0, 300)}`;
  }
  // amoCRM sends no Retry-After on 429; its limit is per second, so one second is the right wait.
  return errorFromResponse(res, message, res.status === 429 ? 1000 : null);
}

async function call(ctx: CrmContext, method: string, path: string, body?: unknown): Promise<CrmResponse> {
  const res = await crmRequest(ctx, url(ctx, path), {
    method,
    headers: { ...authHeaders(ctx), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status < 200 || res.status > 299) throw amoError(res);
  return res;
}

/** The request body for leads/complex: one deal with its contact, as amoCRM documents it. */
export function amoComplexLead(lead: Lead): Record<string, unknown> {
  const deal: Record<string, unknown> = {
    name: dealTitle(lead.title, lead.name, lead.phone, lead.email),
    // Echoed back by amoCRM in the answer; amoCRM does not deduplicate by it.
    request_id: lead.id,
  };
  const dealFields: CustomFieldValue[] = [];
  let tags: { name: string }[] = [];
  for (const [key, value] of Object.entries(lead.fields)) {
    if ((NUMERIC_LEAD_PROPS as readonly string[]).includes(key)) {
      deal[key] = key === 'price' ? Math.round(asNumber(key, value)) : asInteger(key, value);
    } else if (key === 'tags') {
      tags = asList(value)
        .flatMap((t) => t.split(','))
        .map((t) => t.trim())
        .filter(Boolean)
        .map((name) => ({ name }));
    } else if (key === 'name') {
      deal.name = asText(value);
    } else {
      dealFields.push(customField(key, value));
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
    else if (key === 'responsible_user_id') contact[key] = asInteger(key, value);
    else contactFields.push(customField(key, value));
  }
  if (contactFields.length) contact.custom_fields_values = contactFields;

  const embedded: Record<string, unknown> = {};
  if (tags.length) embedded.tags = tags;
  if (Object.keys(contact).length) embedded.contacts = [contact];
  if (Object.keys(embedded).length) deal._embedded = embedded;
  return deal;
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

export const amocrm: CrmAdapter = {
  type: 'amocrm',
  label: 'amoCRM',
  settings: ['baseUrl', 'token'],
  requiredSettings: ['baseUrl', 'token'],
  secretSettings: ['token'],
  // amoCRM: at most 7 requests per second per integration.
  rateLimit: { count: 7, perMs: 1000 },

  async create(lead, ctx) {
    const res = await call(ctx, 'POST', '/api/v4/leads/complex', [amoComplexLead(lead)]);
    const first = Array.isArray(res.body) ? (res.body[0] as { id?: unknown } | undefined) : undefined;
    if (typeof first?.id !== 'number') {
      throw new CrmError(`amoCRM answered without a deal id: ${excerpt(res)}`, { permanent: false, httpStatus: res.status });
    }
    const crmId = String(first.id);
    if (lead.comment.trim()) {
      // The deal exists now: a failed note must not fail the delivery, or a retry would make a second deal.
      await addNote(ctx, crmId, '', lead.comment).catch(() => undefined);
    }
    return { crmId, httpStatus: res.status };
  },

  async addNote(_lead, crmId, note, ctx) {
    await addNote(ctx, crmId, note.title, note.message);
  },

  async listFields(ctx) {
    const fields: CrmField[] = [
      { key: 'price', label: 'Budget', type: 'numeric' },
      { key: 'responsible_user_id', label: 'Responsible user id', type: 'numeric' },
      { key: 'status_id', label: 'Status id', type: 'numeric' },
      { key: 'pipeline_id', label: 'Pipeline id', type: 'numeric' },
      { key: 'tags', label: 'Tags (comma-separated)', type: 'text' },
    ];
    // Paged by 250 (amoCRM's maximum); an empty list is a 204 with no body.
    for (let page = 1; page <= 40; page++) {
      const res = await call(ctx, 'GET', `/api/v4/leads/custom_fields?limit=250&page=${page}`);
      const body = res.body as { _embedded?: { custom_fields?: AmoCustomField[] }; _links?: { next?: unknown } } | string;
      if (typeof body !== 'object') break;
      for (const f of body._embedded?.custom_fields ?? []) {
        fields.push({
          key: String(f.id),
          label: f.name,
          type: f.type,
          ...(f.enums?.length ? { options: f.enums.map((e) => ({ value: String(e.id), label: e.value })) } : {}),
        });
      }
      if (!body._links?.next) break;
    }
    return fields;
  },

  testConnection(ctx) {
    return checkConnection(async () => {
      const res = await call(ctx, 'GET', '/api/v4/account');
      const name = (res.body as { name?: unknown }).name;
      return `connected to amoCRM account "${typeof name === 'string' ? name : '?'}"`;
    });
  },
};
