// Megaplan (API v3): a lead becomes a client (ContractorHuman) and a Deal linked to it.
//   auth:    POST {baseUrl}/api/v3/auth/access_token   (form: username, password, grant_type=password)
//            → {access_token, expires_in (172800 s), refresh_token}; then `Authorization: Bearer …`.
//            The token is cached per account and renewed with grant_type=refresh_token before it expires
//            (the password grant again if the refresh token is refused). A 401 or 403 on an API call means
//            the token expired or was revoked: a new token is taken and the call made once more.
//   create:  POST /api/v3/contractorHuman {contentType:"ContractorHuman", firstName, contactInfo[]}
//            POST /api/v3/deal {contentType:"Deal", program, contractor, name, description, price, …}
//            A deal needs a program (scheme): the extra field `program` (its id) or else the account's first
//            program from GET /api/v3/program.
//   addNote: POST /api/v3/deal/{id}/comments {contentType:"Comment", content (HTML)}
//   fields:  GET /api/v3/program, GET /api/v3/program/{id}/fields     test: GET /api/v3/program
// Answers are {meta:{status, errors:[{field, message}]}, data}; auth errors are OAuth {error, error_description}.
// Mapping: name → client firstName/lastName/middleName (split by person-name.ts: "Имя Фамилия" or
// "Фамилия Имя Отчество"), phone/email → client contactInfo, clientFields → the client card,
// title → deal name, comment → deal description; the article's extra fields go onto the deal:
// `Cost` → price (Money in the `currency` setting, default RUB), `manager` → the responsible Employee id,
// `Category…CustomField…` as they are (list values as arrays). Megaplan has no external-id/idempotency field
// for deals. The client card made for a lead is remembered (in memory) until its deal is made, so a retry
// after a failed deal call (a 429, a timeout) links the same card instead of making a second one.
import { createHash } from 'node:crypto';
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { checkConnection, firstValue } from './adapter-kit.ts';
import { crmRequest, errorFromResponse, excerpt, joinUrl, type CrmResponse } from './http.ts';
import { splitName } from './person-name.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmField } from './types.ts';

/** Megaplan's 429 names no wait; its limits are per second and per hour. */
const RATE_LIMIT_WAIT_MS = 1000;

interface Token {
  access: string;
  refresh: string | null;
  /** When to renew it (ms since the epoch): a while before it expires; Infinity when Megaplan names no lifetime. */
  renewAt: number;
}

/** Access tokens by account+user+password hash: issuing one per lead would spend the hourly limit. */
const tokens = new Map<string, Token>();
/** Client cards made for leads whose deal is not made yet, by account and lead id. */
const contractorsMade = new Map<string, string>();
const CONTRACTORS_REMEMBERED = 10_000;

function baseUrl(settings: Record<string, string>): string {
  const url = settings.baseUrl?.trim();
  if (!url) throw new CrmError('Megaplan: baseUrl (https://ACCOUNT.megaplan.ru) is not set', { permanent: true });
  return url;
}

function tokenKey(settings: Record<string, string>): string {
  const pw = createHash('sha256').update(settings.password ?? '').digest('hex');
  return `${baseUrl(settings)}\n${settings.username ?? ''}\n${pw}`;
}

function apiMessage(res: CrmResponse): string {
  const body = res.body as { meta?: { errors?: { field?: string | null; message?: string }[] }; error?: string; error_description?: string } | null;
  const errors = body?.meta?.errors ?? [];
  if (errors.length) return errors.map((e) => (e.field ? `${e.field}: ${e.message ?? ''}` : (e.message ?? ''))).join('; ');
  if (body?.error) return `${body.error_description ?? ''} (${body.error})`.trim();
  return excerpt(res);
}

function toError(res: CrmResponse): CrmError {
  const err = errorFromResponse(res, apiMessage(res));
  if (res.status !== 429 || err.retryAfterMs !== null) return err;
  return new CrmError(err.message, { permanent: false, httpStatus: 429, retryAfterMs: RATE_LIMIT_WAIT_MS });
}

/** Renew a token an hour before it expires, or at 90% of a shorter life. */
function renewAt(expiresIn: unknown, now: number): number {
  const seconds = Number(expiresIn);
  if (!Number.isFinite(seconds) || seconds <= 0) return Infinity;
  return now + Math.max(seconds * 1000 - 3_600_000, seconds * 900);
}

async function tokenRequest(ctx: CrmContext, form: Record<string, string>) {
  return crmRequest(ctx, joinUrl(baseUrl(ctx.settings), '/api/v3/auth/access_token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
}

/** A new token: by the refresh token when there is one (a refused one falls back to the password). */
async function issueToken(ctx: CrmContext, previous: Token | undefined): Promise<Token> {
  const { username, password } = ctx.settings;
  if (!username || !password) throw new CrmError('Megaplan: username and password are required', { permanent: true });
  let res: CrmResponse | null = null;
  if (previous?.refresh) {
    res = await tokenRequest(ctx, { grant_type: 'refresh_token', refresh_token: previous.refresh });
    if (res.status === 429 || res.status >= 500) throw toError(res);
    if (res.status !== 200) res = null; // invalid_grant: the refresh token is spent or revoked
  }
  res ??= await tokenRequest(ctx, { username, password, grant_type: 'password' });
  if (res.status !== 200) throw toError(res);
  const body = res.body as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown } | null;
  if (typeof body?.access_token !== 'string' || !body.access_token) {
    throw new CrmError('Megaplan: the token answer has no access_token', { permanent: false, httpStatus: 200 });
  }
  const token: Token = {
    access: body.access_token,
    refresh: typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : null,
    renewAt: renewAt(body.expires_in, Date.now()),
  };
  tokens.set(tokenKey(ctx.settings), token);
  return token;
}

/** The cached token, renewed first when it is due. */
async function currentToken(ctx: CrmContext): Promise<Token> {
  const cachedToken = tokens.get(tokenKey(ctx.settings));
  if (cachedToken && Date.now() < cachedToken.renewAt) return cachedToken;
  return issueToken(ctx, cachedToken);
}

/** One API v3 call with the cached token; a 401 or 403 (an expired or revoked token) gets a new token once. */
async function api(ctx: CrmContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<CrmResponse> {
  let token = await currentToken(ctx);
  for (let attempt = 0; ; attempt++) {
    const headers: Record<string, string> = { authorization: `Bearer ${token.access}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await crmRequest(ctx, joinUrl(baseUrl(ctx.settings), path), {
      method,
      headers,
      body: body === undefined ? null : JSON.stringify(body),
    });
    if ((res.status === 401 || res.status === 403) && attempt === 0) {
      const key = tokenKey(ctx.settings);
      const now = tokens.get(key);
      // Another attempt may have renewed it meanwhile; else this one takes a new token.
      token = now && now.access !== token.access ? now : await issueToken(ctx, token);
      continue;
    }
    if (res.status < 200 || res.status >= 300) throw toError(res);
    return res;
  }
}

function dataOf<T>(res: CrmResponse): T | undefined {
  return (res.body as { data?: T } | null)?.data;
}

function single(v: FieldValue): string {
  return firstValue(v) ?? '';
}

interface Ref {
  contentType: string;
  id: string;
}

/** The client card made for the lead, or null when the lead names nobody. */
export function megaplanContractorBody(lead: Lead): Record<string, unknown> | null {
  const contactInfo: Record<string, unknown>[] = [];
  if (lead.phone) contactInfo.push({ contentType: 'ContactInfo', type: 'phone', value: lead.phone, isMain: true });
  if (lead.email) contactInfo.push({ contentType: 'ContactInfo', type: 'email', value: lead.email, isMain: !lead.phone });
  if (!lead.name && !contactInfo.length && !Object.keys(lead.clientFields).length) return null;
  const name = splitName(lead.name);
  const parts: Record<string, string> = { firstName: name.first || lead.phone || lead.email };
  if (name.last) parts.lastName = name.last;
  if (name.middle) parts.middleName = name.middle;
  return { contentType: 'ContractorHuman', ...parts, contactInfo, ...lead.clientFields };
}

/** The deal's currency: an ISO 4217 code from the `currency` setting, RUB by default. */
function currencyOf(settings: Record<string, string>): string {
  const code = (settings.currency?.trim() || 'RUB').toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new CrmError(`Megaplan: the currency setting "${settings.currency}" is not a 3-letter ISO code (RUB, USD, KZT…)`, { permanent: true });
  return code;
}

/** The deal body; `program` and `contractor` are resolved by the caller. */
export function megaplanDealBody(lead: Lead, program: Ref, contractor: Ref | null, currency = 'RUB'): Record<string, unknown> {
  const deal: Record<string, unknown> = { contentType: 'Deal', program };
  if (contractor) deal.contractor = contractor;
  if (lead.title) deal.name = lead.title;
  if (lead.comment) deal.description = lead.comment;
  for (const [key, value] of Object.entries(lead.fields)) {
    if (key === 'program') continue;
    if (key === 'Cost' || key === 'price') {
      const amount = Number(single(value).replace(',', '.'));
      if (!Number.isFinite(amount)) throw new CrmError(`Megaplan: ${key} "${single(value)}" is not a number`, { permanent: true });
      deal.price = { contentType: 'Money', value: amount, currency };
    } else if (key === 'manager') {
      deal.manager = { contentType: 'Employee', id: single(value) };
    } else {
      deal[key] = value;
    }
  }
  return deal;
}

async function firstProgramId(ctx: CrmContext): Promise<string> {
  const programs = dataOf<{ id: string | number }[]>(await api(ctx, 'GET', '/api/v3/program')) ?? [];
  const first = programs[0];
  if (!first) throw new CrmError('Megaplan: the account has no deal program; create one or set the `program` field', { permanent: true });
  return String(first.id);
}

async function create(lead: Lead, ctx: CrmContext) {
  const currency = currencyOf(ctx.settings);
  const contractorBody = megaplanContractorBody(lead);
  const madeKey = `${baseUrl(ctx.settings)}\n${lead.id}`;
  let contractor: Ref | null = null;
  if (contractorBody) {
    let id = contractorsMade.get(madeKey);
    if (id === undefined) {
      const made = dataOf<{ id?: string | number }>(await api(ctx, 'POST', '/api/v3/contractorHuman', contractorBody));
      if (made?.id === undefined) throw new CrmError('Megaplan: the client answer has no id', { permanent: false });
      id = String(made.id);
      if (contractorsMade.size >= CONTRACTORS_REMEMBERED) contractorsMade.delete(contractorsMade.keys().next().value!);
      contractorsMade.set(madeKey, id);
    }
    contractor = { contentType: 'ContractorHuman', id };
  }
  const programField = lead.fields.program;
  const programId = programField ? single(programField) : await firstProgramId(ctx);
  const res = await api(ctx, 'POST', '/api/v3/deal', megaplanDealBody(lead, { contentType: 'Program', id: programId }, contractor, currency));
  contractorsMade.delete(madeKey);
  const id = dataOf<{ id?: string | number }>(res)?.id;
  if (id === undefined) throw new CrmError(`Megaplan answered without a deal id: ${excerpt(res)}`, { permanent: false, httpStatus: res.status });
  return { crmId: String(id), httpStatus: res.status };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

async function addNote(_lead: Lead, crmId: string, note: { title: string; message: string }, ctx: CrmContext) {
  // Comments are HTML: the visitor's text is escaped, line breaks kept.
  const text = escapeHtml(note.message).replace(/\n/g, '<br>');
  const content = note.title ? `<b>${escapeHtml(note.title)}</b><br>${text}` : text;
  await api(ctx, 'POST', `/api/v3/deal/${encodeURIComponent(crmId)}/comments`, { contentType: 'Comment', content });
}

interface MegaplanField {
  name?: string;
  hrName?: string;
  type?: string;
  enumValues?: string[];
}

async function listFields(ctx: CrmContext): Promise<CrmField[]> {
  const programs = dataOf<{ id: string | number; name?: string }[]>(await api(ctx, 'GET', '/api/v3/program')) ?? [];
  const fields: CrmField[] = [
    { key: 'program', label: 'Схема сделки', type: 'ref', options: programs.map((p) => ({ value: String(p.id), label: p.name ?? String(p.id) })) },
    { key: 'Cost', label: 'Сумма', type: 'money' },
    { key: 'manager', label: 'Ответственный (id сотрудника)', type: 'ref' },
  ];
  const seen = new Set(fields.map((f) => f.key));
  for (const program of programs) {
    const list = dataOf<MegaplanField[]>(await api(ctx, 'GET', `/api/v3/program/${encodeURIComponent(String(program.id))}/fields`)) ?? [];
    for (const f of list) {
      if (!f.name || seen.has(f.name)) continue;
      seen.add(f.name);
      const field: CrmField = { key: f.name, label: f.hrName ?? f.name, type: f.type ?? 'string' };
      if (f.enumValues?.length) field.options = f.enumValues.map((v) => ({ value: v, label: v }));
      fields.push(field);
    }
  }
  return fields;
}

function testConnection(ctx: CrmContext) {
  return checkConnection(async () => {
    const programs = dataOf<unknown[]>(await api(ctx, 'GET', '/api/v3/program')) ?? [];
    return `Connected to Megaplan: ${programs.length} deal program(s)`;
  });
}

export const megaplan: CrmAdapter = {
  type: 'megaplan',
  label: 'Мегаплан',
  settings: ['baseUrl', 'username', 'password', 'currency'],
  requiredSettings: ['baseUrl', 'username', 'password'],
  secretSettings: ['password'],
  // Megaplan allows an account about 5 requests a second and 1000 an hour. A lead costs up to three
  // (client, program list, deal), so 300 leads an hour with bursts of 5 stays inside both.
  rateLimit: { count: 300, perMs: 60 * 60 * 1000, burst: 5 },
  create,
  addNote,
  listFields,
  testConnection,
};

/** Forgets cached tokens and remembered client cards (tests, and after the password changes). */
export function clearMegaplanTokens(): void {
  tokens.clear();
  contractorsMade.clear();
}
