// U-ON.Travel: a lead becomes a U-ON lead ("обращение").
//   create:  POST {baseUrl}/{apiKey}/lead/create.json     (form-urlencoded; answer {"result":200,"id":"123"})
//   addNote: POST {baseUrl}/{apiKey}/request-action/create.json {r_id, type_id=0 (comment), datetime, text}
//   fields:  GET  {baseUrl}/{apiKey}/extended_field/1.json   test: GET {baseUrl}/{apiKey}/countries.json
// The key travels in the URL (https only in production); there is no auth header.
// Mapping: name → u_name, phone → u_phone, email → u_email, title → source, comment → note,
// our lead id → r_id_internal (U-ON keeps it but does not reject a second lead with the same value, so
// U-ON has no real idempotency key). Extra fields from the article (price, bedroom_count, …) and
// clientFields (u_surname, u_birthday, …) are sent under their own names; a numeric key is an extended
// field id and goes as extended_fields[ID]. Array values go as key[]=a&key[]=b.
// Times: U-ON reads a datetime as the account's local time, so a comment's time is written in the
// `timeZone` setting (an IANA zone, default Europe/Moscow), not in UTC.
// Assumed (public docs at api.u-on.ru/doc were not in our sources): the error body {"result":N,"message"},
// a wrong key answered with 403, validation errors answered with 404 "Parameter X is wrong" (seen for
// payment/create), the extended_field list shape, and a 429 without Retry-After at 10 requests a second.
import { z } from 'zod';
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { checkConnection, setting } from './adapter-kit.ts';
import { crmRequest, errorFromResponse, excerpt, joinUrl, parseRetryAfter, type CrmResponse } from './http.ts';
import { CrmError, type CrmContext, type CrmField } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optional, optionalUrl, required } from './setting-schemas.ts';

const DEFAULT_BASE_URL = 'https://api.u-on.ru';
/** U-ON's limit is per second and its 429 carries no Retry-After: one second is enough. */
const RATE_LIMIT_WAIT_MS = 1000;

function url(ctx: CrmContext, method: string): string {
  const key = ctx.settings.apiKey?.trim();
  if (!key) throw new CrmError('U-ON: apiKey is not set', { permanent: true });
  return joinUrl(setting(ctx, 'baseUrl', DEFAULT_BASE_URL), `/${encodeURIComponent(key)}/${method}.json`);
}

function appendValue(form: URLSearchParams, key: string, value: FieldValue): void {
  if (Array.isArray(value)) for (const v of value) form.append(`${key}[]`, v);
  else form.append(key, value);
}

/** The form U-ON's lead/create receives. */
export function uonLeadForm(lead: Lead): URLSearchParams {
  const form = new URLSearchParams();
  if (lead.name) form.append('u_name', lead.name);
  if (lead.phone) form.append('u_phone', lead.phone);
  if (lead.email) form.append('u_email', lead.email);
  if (lead.title) form.append('source', lead.title);
  if (lead.comment) form.append('note', lead.comment);
  form.append('r_id_internal', lead.id);
  for (const [key, value] of Object.entries({ ...lead.clientFields, ...lead.fields })) {
    appendValue(form, /^\d+$/.test(key) ? `extended_fields[${key}]` : key, value);
  }
  return form;
}

function uonMessage(res: CrmResponse): string {
  const body = res.body as { message?: unknown } | null;
  return typeof body?.message === 'string' ? body.message : excerpt(res);
}

/** U-ON reports failures by HTTP status and repeats it in `result`; either one may signal an error. */
function check(res: CrmResponse): void {
  const result = Number((res.body as { result?: unknown } | null)?.result ?? res.status);
  const status = res.status >= 400 ? res.status : result >= 400 ? result : 0;
  if (!status) return;
  const err = errorFromResponse({ ...res, status }, uonMessage(res));
  if (status === 429) {
    throw new CrmError(err.message, {
      permanent: false,
      httpStatus: status,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) ?? RATE_LIMIT_WAIT_MS,
    });
  }
  throw err;
}

async function post(ctx: CrmContext, method: string, form: URLSearchParams): Promise<CrmResponse> {
  const res = await crmRequest(ctx, url(ctx, method), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8', accept: 'application/json' },
    body: form.toString(),
  });
  check(res);
  return res;
}

async function create(lead: Lead, ctx: CrmContext) {
  const res = await post(ctx, 'lead/create', uonLeadForm(lead));
  const id = (res.body as { id?: unknown } | null)?.id;
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new CrmError(`U-ON answered without a lead id: ${excerpt(res)}`, { permanent: false, httpStatus: res.status });
  }
  return { crmId: String(id), httpStatus: res.status };
}

const DEFAULT_TIME_ZONE = 'Europe/Moscow';

/** U-ON's datetime format, Y-m-d H:i:s, as the wall-clock time in `timeZone`. */
export function uonDateTime(d: Date, timeZone: string): string {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
  } catch {
    throw new CrmError(`U-ON: the timeZone setting "${timeZone}" is not a time zone (e.g. Europe/Moscow, Asia/Yekaterinburg)`, { permanent: true });
  }
  const p = Object.fromEntries(format.formatToParts(d).map((x) => [x.type, x.value]));
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
}

async function addNote(_lead: Lead, crmId: string, note: { title: string; message: string }, ctx: CrmContext) {
  const form = new URLSearchParams({
    r_id: crmId,
    type_id: '0',
    datetime: uonDateTime(new Date(), setting(ctx, 'timeZone', DEFAULT_TIME_ZONE)),
    text: note.title ? `${note.title}\n${note.message}` : note.message,
  });
  await post(ctx, 'request-action/create', form);
}

/** Fields the article and U-ON's lead/create document, offered before the account's own extended fields. */
const STANDARD_FIELDS: CrmField[] = [
  { key: 'u_surname', label: 'Фамилия клиента', type: 'string' },
  { key: 'u_sname', label: 'Отчество клиента', type: 'string' },
  { key: 'u_birthday', label: 'Дата рождения клиента (Y-m-d)', type: 'date' },
  { key: 'source_id', label: 'Источник (id)', type: 'number' },
  { key: 'price', label: 'Цена за 1 день', type: 'number' },
  { key: 'bedroom_count', label: 'Количество спален', type: 'number' },
];

interface UonExtendedField {
  id?: number | string;
  name?: string;
  type?: number | string;
  section?: number | string;
}

async function listFields(ctx: CrmContext): Promise<CrmField[]> {
  const res = await crmRequest(ctx, url(ctx, 'extended_field/1'), { method: 'GET', headers: { accept: 'application/json' } });
  // U-ON answers an empty list with 404.
  if (res.status === 404) return STANDARD_FIELDS;
  check(res);
  const body = res.body as Record<string, unknown> | null;
  const list = (body && Object.values(body).find(Array.isArray)) as UonExtendedField[] | undefined;
  // Section 2 is "Обращение", the lead card.
  const own = (list ?? [])
    .filter((f) => f.id !== undefined && (f.section === undefined || String(f.section) === '2'))
    .map((f): CrmField => ({ key: String(f.id), label: f.name ?? String(f.id), type: String(f.type ?? 'string') }));
  return [...STANDARD_FIELDS, ...own];
}

function testConnection(ctx: CrmContext) {
  return checkConnection(async () => {
    const res = await crmRequest(ctx, url(ctx, 'countries'), { method: 'GET', headers: { accept: 'application/json' } });
    check(res);
    return 'Connected to U-ON.Travel';
  });
}

export const uon = defineAdapter({
  type: 'uon',
  label: 'U-ON.Travel',
  settings: z.looseObject({
    baseUrl: optionalUrl('The API address; empty: https://api.u-on.ru.'),
    apiKey: required('The API key.'),
    timeZone: optional('The account\'s IANA time zone; empty: Europe/Moscow.'),
  }),
  secret: ['apiKey'],
  // U-ON allows 10 requests a second per key; half of it leaves room for the agency's other integrations.
  rateLimit: { count: 5, perMs: 1000 },
  create,
  addNote,
  fields: listFields,
  test: testConnection,
});
