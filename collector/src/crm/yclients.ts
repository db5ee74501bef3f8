// YCLIENTS (REST API v1): a lead becomes a record ("запись") for a staff member, as the reference
// article's fields (staff_id, company_id) imply.
//   create:  POST {baseUrl}/api/v1/records/{company_id}   → 201 {success, data:{id}, meta}
//   addNote: GET + PUT {baseUrl}/api/v1/record/{company_id}/{record_id} (the comment is appended; a PUT
//            must repeat the record's staff, services, client, time and length)
//   fields:  GET /api/v1/custom_fields/record/{company_id}     test: GET /api/v1/company/{company_id}
// Headers: `Authorization: Bearer {partnerToken}, User {userToken}`,
//          `Accept: application/vnd.yclients.v2+json`, `Content-Type: application/json`.
// Mapping: name/phone/email → client{name, phone (digits; a Russian 8… number as 7…), email}, title and
// comment → comment, the lead's time → datetime (the administrator moves it), our lead id → api_id (YCLIENTS
// keeps it as the external id of the record but does not reject a second record with the same value).
// The record's client takes only phone, name and email and silently drops other keys, so clientFields
// other than those go into the comment as "key: value" lines.
// Pace (developers.yclients.com, "Лимиты"): 200 requests a minute, or 5 a second, per IP.
// Extra fields: staff_id (required by YCLIENTS), company_id (else the companyId setting), services (ids),
// datetime, seance_length (seconds, default 3600); any other key is a record custom field code.
// Assumed (the public docs were not in our sources): error bodies {success:false, meta:{message, errors}},
// 401 for bad tokens, 422 for validation, a 429 whose wait is one second when it names none.
import { z } from 'zod';
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { asText, checkConnection, firstValue, setting } from './adapter-kit.ts';
import { errorFromResponse, excerpt, parseRetryAfter, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { CrmError, type CrmContext, type CrmField } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optionalUrl, required } from './setting-schemas.ts';

const DEFAULT_BASE_URL = 'https://api.yclients.com';
const RATE_LIMIT_WAIT_MS = 1000;
const DEFAULT_SEANCE_SECONDS = 3600;
/** Extra-field keys that are record attributes rather than custom fields. */
const RECORD_KEYS = new Set(['staff_id', 'company_id', 'services', 'datetime', 'seance_length']);
/** What the record's client keeps. */
const CLIENT_KEYS = new Set(['phone', 'name', 'email']);

/** The phone as YCLIENTS stores it: digits, a Russian 8XXXXXXXXXX as 7XXXXXXXXXX. */
export function yclientsPhone(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return /^8\d{10}$/.test(digits) ? `7${digits.slice(1)}` : digits;
}

function headers(settings: Record<string, string>): Record<string, string> {
  if (!settings.partnerToken || !settings.userToken) {
    throw new CrmError('YCLIENTS: partnerToken and userToken are required', { permanent: true });
  }
  return {
    authorization: `Bearer ${settings.partnerToken}, User ${settings.userToken}`,
    accept: 'application/vnd.yclients.v2+json',
    'content-type': 'application/json',
  };
}

function companyId(lead: Lead | null, settings: Record<string, string>): string {
  const fromLead = lead?.fields.company_id;
  const id = firstValue(fromLead) || settings.companyId;
  if (!id || !/^\d+$/.test(id)) throw new CrmError('YCLIENTS: companyId (a number) is not set', { permanent: true });
  return id;
}

function ycMessage(res: CrmResponse): string {
  const meta = (res.body as { meta?: { message?: string; errors?: Record<string, string[] | string> } } | null)?.meta;
  if (!meta?.message && !meta?.errors) return excerpt(res);
  const details = Object.entries(meta.errors ?? {}).map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : v}`);
  return [meta.message, ...details].filter(Boolean).join('; ');
}

/** The error of an answer that is not a success. */
function failure(res: CrmResponse): CrmError {
  if (res.status === 429) {
    return new CrmError(`HTTP 429: ${ycMessage(res)}`, {
      permanent: false,
      httpStatus: 429,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) ?? RATE_LIMIT_WAIT_MS,
    });
  }
  // A 200 with success:false is a refusal the same request cannot change.
  return errorFromResponse(res.status < 400 ? { ...res, status: 422 } : res, ycMessage(res));
}

const call = jsonClient({
  base: (ctx) => setting(ctx, 'baseUrl', DEFAULT_BASE_URL),
  headers: (ctx) => headers(ctx.settings),
  ok: (res) => res.status >= 200 && res.status < 300 && (res.body as { success?: unknown } | null)?.success !== false,
  error: (res) => failure(res),
});

function integer(name: string, v: string | undefined, fallback?: number): number {
  if (v === undefined || v === '') {
    if (fallback !== undefined) return fallback;
    throw new CrmError(`YCLIENTS: the extra field ${name} is required (the id of the staff member to book)`, { permanent: true });
  }
  if (!/^\d+$/.test(v.trim())) throw new CrmError(`YCLIENTS: ${name} "${v}" is not a whole number`, { permanent: true });
  return Number(v.trim());
}

/** The record the lead becomes. */
export function yclientsRecordBody(lead: Lead): Record<string, unknown> {
  const f = lead.fields;
  const services = f.services === undefined ? [] : Array.isArray(f.services) ? f.services : f.services.split(',');
  const custom: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(f)) if (!RECORD_KEYS.has(key)) custom[key] = value;
  const client: Record<string, FieldValue> = { phone: yclientsPhone(lead.phone), name: lead.name };
  if (lead.email) client.email = lead.email;
  const clientNotes: string[] = [];
  for (const [key, value] of Object.entries(lead.clientFields)) {
    if (CLIENT_KEYS.has(key)) client[key] = key === 'phone' ? yclientsPhone(asText(value)) : value;
    else clientNotes.push(`${key}: ${asText(value)}`);
  }
  const body: Record<string, unknown> = {
    staff_id: integer('staff_id', firstValue(f.staff_id)),
    services: services.map((id) => ({ id: integer('services', id) })),
    client,
    datetime: firstValue(f.datetime) || lead.createdAt,
    seance_length: integer('seance_length', firstValue(f.seance_length), DEFAULT_SEANCE_SECONDS),
    save_if_busy: true,
    send_sms: false,
    comment: [lead.title, lead.comment, clientNotes.join('\n')].filter(Boolean).join('\n\n'),
    attendance: 0,
    api_id: lead.id,
  };
  if (Object.keys(custom).length) body.custom_fields = custom;
  return body;
}

function recordId(res: CrmResponse): string | null {
  const data = (res.body as { data?: unknown } | null)?.data;
  const rec = Array.isArray(data) ? data[0] : data;
  const id = (rec as { id?: unknown; record_id?: unknown } | undefined)?.id ?? (rec as { record_id?: unknown } | undefined)?.record_id;
  return typeof id === 'number' || typeof id === 'string' ? String(id) : null;
}

async function create(lead: Lead, ctx: CrmContext) {
  const body = yclientsRecordBody(lead);
  const res = await call(ctx, 'POST', `/api/v1/records/${companyId(lead, ctx.settings)}`, body);
  const id = recordId(res);
  if (!id) throw new CrmError(`YCLIENTS answered without a record id: ${excerpt(res)}`, { permanent: false, httpStatus: res.status });
  return { crmId: id, httpStatus: res.status };
}

interface YcRecord {
  staff_id?: number;
  services?: { id: number }[];
  client?: { phone?: string; name?: string; email?: string };
  datetime?: string;
  seance_length?: number;
  comment?: string;
  attendance?: number;
}

async function addNote(lead: Lead, crmId: string, note: { title: string; message: string }, ctx: CrmContext) {
  const path = `/api/v1/record/${companyId(lead, ctx.settings)}/${encodeURIComponent(crmId)}`;
  const rec = ((await call(ctx, 'GET', path)).body as { data?: YcRecord } | null)?.data ?? {};
  const added = note.title ? `${note.title}: ${note.message}` : note.message;
  await call(ctx, 'PUT', path, {
    staff_id: rec.staff_id,
    services: (rec.services ?? []).map((s) => ({ id: s.id })),
    client: { phone: rec.client?.phone ?? '', name: rec.client?.name ?? '', email: rec.client?.email ?? '' },
    datetime: rec.datetime,
    seance_length: rec.seance_length,
    save_if_busy: true,
    send_sms: false,
    comment: [rec.comment, added].filter(Boolean).join('\n\n'),
    attendance: rec.attendance ?? 0,
  });
}

const STANDARD_FIELDS: CrmField[] = [
  { key: 'staff_id', label: 'Сотрудник (id), обязательно', type: 'number' },
  { key: 'company_id', label: 'Филиал (id)', type: 'number' },
  { key: 'services', label: 'Услуги (id через запятую)', type: 'list' },
  { key: 'datetime', label: 'Дата и время записи (ISO 8601)', type: 'datetime' },
  { key: 'seance_length', label: 'Длительность, секунд', type: 'number' },
];

interface YcCustomField {
  code?: string;
  title?: string;
  name?: string;
  type?: { code?: string } | string;
}

async function listFields(ctx: CrmContext): Promise<CrmField[]> {
  const res = await call(ctx, 'GET', `/api/v1/custom_fields/record/${companyId(null, ctx.settings)}`);
  const list = ((res.body as { data?: unknown } | null)?.data ?? []) as ({ custom_field?: YcCustomField } & YcCustomField)[];
  const own = list
    .map((item) => item.custom_field ?? item)
    .filter((f): f is YcCustomField & { code: string } => typeof f.code === 'string' && f.code !== '')
    .map((f): CrmField => ({ key: f.code, label: f.title ?? f.name ?? f.code, type: typeof f.type === 'string' ? f.type : (f.type?.code ?? 'text') }));
  return [...STANDARD_FIELDS, ...own];
}

function testConnection(ctx: CrmContext) {
  return checkConnection(async () => {
    const res = await call(ctx, 'GET', `/api/v1/company/${companyId(null, ctx.settings)}`);
    const title = (res.body as { data?: { title?: string } } | null)?.data?.title;
    return `Connected to YCLIENTS${title ? `: ${title}` : ''}`;
  });
}

export const yclients = defineAdapter({
  type: 'yclients',
  label: 'YCLIENTS',
  settings: z.looseObject({
    baseUrl: optionalUrl('The API address; empty: https://api.yclients.com.'),
    partnerToken: required('The partner token.'),
    userToken: required('The user token.'),
    companyId: required('The branch (company) id records are made in.'),
  }),
  secret: ['partnerToken', 'userToken'],
  // 200 a minute and 5 a second per IP: a bucket of 1 refilled 199 times a minute keeps any second
  // within 1 + 3.3 and any minute within 1 + 199 (a bucket lets `burst + rate × window` through).
  rateLimit: { count: 199, perMs: 60_000, burst: 1 },
  create,
  addNote,
  fields: listFields,
  test: testConnection,
});
