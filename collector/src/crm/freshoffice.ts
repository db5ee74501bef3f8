// FreshOffice (API 2.0, apidoc.myfreshcloud.com): a lead becomes a counterparty (контрагент) and a deal.
//   auth:    `Authorization: Bearer {token}` (a token made in FreshOffice → Администрирование → API),
//            `Content-Type: application/json`. Answers are the "standard object"
//            {status:"success"|…, error, code, rows, pages, page, value}; `value` is the new id or the list.
//   create:  POST {baseUrl}/company/insert {name, phone, email, …clientFields}       → value = company id
//            POST {baseUrl}/deal/insert {name, company_id, type_id, status_id, user_id, sum, date_start,
//                                        date_finish, note, …}                         → value = deal id
//   fields:  GET {baseUrl}/users (the responsible-user picker)    test: GET {baseUrl}/users
// Documented: Bearer auth, POST /deal/insert with its fields (name, company_id, type_id, status_id, user_id
// are required, plus date_start and date_finish) and the standard answer object.
// Assumed (the API 2.0 pages for them were not in our sources): POST /company/insert with name/phone/email,
// GET /users returning the users in `value`, errors as the standard object with status "error" and the
// message in `error`, HTTP 401 for a bad token and 429 (with Retry-After) when limited.
// The API documents no comment or update method, so addNote fails with a permanent, explicit error.
// Mapping: name → company name, phone/email → company, clientFields → company (the article's `person`, the
// counterparty type, goes there too), title → deal name, comment → deal note. The article's API 1.0 field
// names are accepted: id_status_deal → status_id (default 1), summa → sum, id_manager → user_id (default: the
// account's first user), chance and any other key go onto the deal as they are. No idempotency field exists.
import type { Lead } from '../../../shared/schemas.ts';
import { checkConnection, firstValue, setting } from './adapter-kit.ts';
import { crmRequest, errorFromResponse, excerpt, joinUrl, type CrmResponse } from './http.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmField } from './types.ts';

const DEFAULT_BASE_URL = 'https://do.myfreshcloud.com';
/** The reference article's FreshOffice field names (API 1.0) and their API 2.0 names. */
const ALIASES: Record<string, string> = { id_status_deal: 'status_id', summa: 'sum', id_manager: 'user_id' };
/** Counterparty attributes among the extra fields. */
const COMPANY_KEYS = new Set(['person']);

interface StandardAnswer {
  /** The HTTP status (ours, not FreshOffice's field). */
  httpStatus?: number;
  status?: string;
  error?: string | null;
  code?: string;
  value?: unknown;
}

function headers(settings: Record<string, string>): Record<string, string> {
  if (!settings.token) throw new CrmError('FreshOffice: token is not set', { permanent: true });
  return { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json', accept: 'application/json' };
}

async function call(ctx: CrmContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<StandardAnswer> {
  const res = await crmRequest(ctx, joinUrl(setting(ctx, 'baseUrl', DEFAULT_BASE_URL), path), {
    method,
    headers: headers(ctx.settings),
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const answer = (typeof res.body === 'object' && res.body !== null ? res.body : {}) as StandardAnswer;
  if (res.status >= 200 && res.status < 300 && answer.status === 'success') return { ...answer, httpStatus: res.status };
  const message = answer.error || excerpt(res);
  // A 2xx with status "error" is a refusal of this request (validation): retrying cannot fix it.
  const failed: CrmResponse = res.status < 400 ? { ...res, status: 422 } : res;
  throw errorFromResponse(failed, message);
}

function numeric(v: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v;
}

function day(iso: string, plusDays = 0): string {
  const d = new Date(iso);
  const t = Number.isNaN(d.getTime()) ? Date.now() : d.getTime();
  return new Date(t + plusDays * 86_400_000).toISOString().slice(0, 10);
}

/** The counterparty the lead becomes. */
export function freshofficeCompanyBody(lead: Lead): Record<string, unknown> {
  const body: Record<string, unknown> = { name: lead.name || lead.phone || lead.email || lead.title || 'Заявка с сайта' };
  if (lead.phone) body.phone = lead.phone;
  if (lead.email) body.email = lead.email;
  for (const [k, v] of Object.entries(lead.fields)) if (COMPANY_KEYS.has(k)) body[k] = Array.isArray(v) ? v : numeric(v);
  for (const [k, v] of Object.entries(lead.clientFields)) body[k] = v;
  return body;
}

/** The deal; `userId` is the responsible user when the lead's fields name none. */
export function freshofficeDealBody(lead: Lead, companyId: number | string, userId: number | string | null): Record<string, unknown> {
  const deal: Record<string, unknown> = {
    name: lead.title || 'Заявка с сайта',
    company_id: companyId,
    type_id: 1,
    status_id: 1,
    date_start: day(lead.createdAt),
    date_finish: day(lead.createdAt, 1),
  };
  if (userId !== null) deal.user_id = userId;
  if (lead.comment) deal.note = lead.comment;
  for (const [key, value] of Object.entries(lead.fields)) {
    if (COMPANY_KEYS.has(key)) continue;
    deal[ALIASES[key] ?? key] = Array.isArray(value) ? value : numeric(value);
  }
  return deal;
}

interface FoUser {
  id?: number | string;
  name?: string;
  fio?: string;
}

async function users(ctx: CrmContext): Promise<FoUser[]> {
  const answer = await call(ctx, 'GET', '/users');
  return Array.isArray(answer.value) ? (answer.value as FoUser[]) : [];
}

function newId(answer: StandardAnswer, what: string): string {
  const v = answer.value;
  if (typeof v !== 'string' && typeof v !== 'number') throw new CrmError(`FreshOffice answered without a ${what} id`, { permanent: false });
  return String(v);
}

async function create(lead: Lead, ctx: CrmContext) {
  const companyId = newId(await call(ctx, 'POST', '/company/insert', freshofficeCompanyBody(lead)), 'company');
  const named = firstValue(lead.fields.user_id) ?? firstValue(lead.fields.id_manager);
  let userId: number | string | null = null;
  if (!named) {
    const first = (await users(ctx))[0];
    if (first?.id === undefined) throw new CrmError('FreshOffice: no user to make responsible; set the id_manager field', { permanent: true });
    userId = first.id;
  }
  const answer = await call(ctx, 'POST', '/deal/insert', freshofficeDealBody(lead, numeric(companyId), userId));
  return { crmId: newId(answer, 'deal'), httpStatus: answer.httpStatus ?? null };
}

async function addNote(): Promise<void> {
  throw new CrmError('FreshOffice API 2.0 has no method to add a comment to a deal; the comment stays in leadrelay', {
    permanent: true,
  });
}

async function listFields(ctx: CrmContext): Promise<CrmField[]> {
  const people = await users(ctx);
  return [
    { key: 'id_status_deal', label: 'Статус сделки (id), по умолчанию 1', type: 'number' },
    { key: 'type_id', label: 'Тип сделки (id), по умолчанию 1', type: 'number' },
    { key: 'summa', label: 'Сумма сделки', type: 'number' },
    { key: 'chance', label: 'Вероятность, %', type: 'number' },
    {
      key: 'id_manager',
      label: 'Ответственный менеджер',
      type: 'list',
      options: people.filter((u) => u.id !== undefined).map((u) => ({ value: String(u.id), label: u.name ?? u.fio ?? String(u.id) })),
    },
    {
      key: 'person',
      label: 'Тип контрагента',
      type: 'list',
      options: [
        { value: '1', label: 'Юридическое лицо' },
        { value: '2', label: 'Физическое лицо' },
      ],
    },
  ];
}

function testConnection(ctx: CrmContext) {
  return checkConnection(async () => `Connected to FreshOffice: ${(await users(ctx)).length} user(s)`);
}

export const freshoffice: CrmAdapter = {
  type: 'freshoffice',
  label: 'FreshOffice',
  settings: ['baseUrl', 'token'],
  requiredSettings: ['token'],
  secretSettings: ['token'],
  // FreshOffice publishes no limit. A lead costs two or three requests; two a second is gentle on
  // a small account's server and still clears hundreds of leads an hour.
  rateLimit: { count: 2, perMs: 1000 },
  create,
  addNote,
  listFields,
  testConnection,
};
