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
// The tokens and remembered cards are a dependency (`MegaplanMemory`): each app builds its own adapter
// with `createMegaplan()`, so two app instances never share a token.
import { z } from 'zod';
import { createHash } from 'node:crypto';
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { checkConnection, firstValue } from './adapter-kit.ts';
import { crmRequest, errorFromResponse, excerpt, joinUrl, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { splitName } from './person-name.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmField } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optional, required, httpUrl } from './setting-schemas.ts';

/** Megaplan's 429 names no wait; its limits are per second and per hour. */
const RATE_LIMIT_WAIT_MS = 1000;

interface Token {
  access: string;
  refresh: string | null;
  /** When to renew it (ms since the epoch): a while before it expires; Infinity when Megaplan names no lifetime. */
  renewAt: number;
}

/** What the adapter keeps between calls, in memory. */
export interface MegaplanMemory {
  /** Access tokens by account+user+password hash: issuing one per lead would spend the hourly limit. */
  tokens: Map<string, Token>;
  /** Client cards made for leads whose deal is not made yet, by account and lead id. */
  contractorsMade: Map<string, string>;
}

export function newMegaplanMemory(): MegaplanMemory {
  return { tokens: new Map(), contractorsMade: new Map() };
}

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
async function issueToken(m: MegaplanMemory, ctx: CrmContext, previous: Token | undefined): Promise<Token> {
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
  m.tokens.set(tokenKey(ctx.settings), token);
  return token;
}

/** The cached token, renewed first when it is due. */
async function currentToken(m: MegaplanMemory, ctx: CrmContext): Promise<Token> {
  const cachedToken = m.tokens.get(tokenKey(ctx.settings));
  if (cachedToken && Date.now() < cachedToken.renewAt) return cachedToken;
  return issueToken(m, ctx, cachedToken);
}

/** API v3 calls with a given token; an expired or revoked one (401, 403) is left to `api` to renew. */
const call = jsonClient<Token>({
  base: (ctx) => baseUrl(ctx.settings),
  headers: (_ctx, token) => ({ authorization: `Bearer ${token?.access ?? ''}`, accept: 'application/json' }),
  ok: (res) => (res.status >= 200 && res.status < 300) || res.status === 401 || res.status === 403,
  error: (res) => toError(res),
});

/** One API v3 call with the cached token; a 401 or 403 (an expired or revoked token) gets a new token once. */
async function api(m: MegaplanMemory, ctx: CrmContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<CrmResponse> {
  let token = await currentToken(m, ctx);
  for (let attempt = 0; ; attempt++) {
    const res = await call(ctx, method, path, body, token);
    if ((res.status === 401 || res.status === 403) && attempt === 0) {
      const now = m.tokens.get(tokenKey(ctx.settings));
      // Another attempt may have renewed it meanwhile; else this one takes a new token.
      token = now && now.access !== token.access ? now : await issueToken(m, ctx, token);
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

async function firstProgramId(m: MegaplanMemory, ctx: CrmContext): Promise<string> {
  const programs = dataOf<{ id: string | number }[]>(await api(m, ctx, 'GET', '/api/v3/program')) ?? [];
  const first = programs[0];
  if (!first) throw new CrmError('Megaplan: the account has no deal program; create one or set the `program` field', { permanent: true });
  return String(first.id);
}

async function create(m: MegaplanMemory, lead: Lead, ctx: CrmContext) {
  const currency = currencyOf(ctx.settings);
  const contractorBody = megaplanContractorBody(lead);
  const madeKey = `${baseUrl(ctx.settings)}\n${lead.id}`;
  let contractor: Ref | null = null;
  if (contractorBody) {
    let id = m.contractorsMade.get(madeKey);
    if (id === undefined) {
      const made = dataOf<{ id?: string | number }>(await api(m, ctx, 'POST', '/api/v3/contractorHuman', contractorBody));
      if (made?.id === undefined) throw new CrmError('Megaplan: the client answer has no id', { permanent: false });
      id = String(made.id);
      if (m.contractorsMade.size >= CONTRACTORS_REMEMBERED) m.contractorsMade.delete(m.contractorsMade.keys().next().value!);
      m.contractorsMade.set(madeKey, id);
    }
    contractor = { contentType: 'ContractorHuman', id };
  }
  const programField = lead.fields.program;
  const programId = programField ? single(programField) : await firstProgramId(m, ctx);
  const res = await api(m, ctx, 'POST', '/api/v3/deal', megaplanDealBody(lead, { contentType: 'Program', id: programId }, contractor, currency));
  m.contractorsMade.delete(madeKey);
  const id = dataOf<{ id?: string | number }>(res)?.id;
  if (id === undefined) throw new CrmError(`Megaplan answered without a deal id: ${excerpt(res)}`, { permanent: false, httpStatus: res.status });
  return { crmId: String(id), httpStatus: res.status };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

async function addNote(m: MegaplanMemory, crmId: string, note: { title: string; message: string }, ctx: CrmContext) {
  // Comments are HTML: the visitor's text is escaped, line breaks kept.
  const text = escapeHtml(note.message).replace(/\n/g, '<br>');
  const content = note.title ? `<b>${escapeHtml(note.title)}</b><br>${text}` : text;
  await api(m, ctx, 'POST', `/api/v3/deal/${encodeURIComponent(crmId)}/comments`, { contentType: 'Comment', content });
}

interface MegaplanField {
  name?: string;
  hrName?: string;
  type?: string;
  enumValues?: string[];
}

async function listFields(m: MegaplanMemory, ctx: CrmContext): Promise<CrmField[]> {
  const programs = dataOf<{ id: string | number; name?: string }[]>(await api(m, ctx, 'GET', '/api/v3/program')) ?? [];
  const fields: CrmField[] = [
    { key: 'program', label: 'Схема сделки', type: 'ref', options: programs.map((p) => ({ value: String(p.id), label: p.name ?? String(p.id) })) },
    { key: 'Cost', label: 'Сумма', type: 'money' },
    { key: 'manager', label: 'Ответственный (id сотрудника)', type: 'ref' },
  ];
  const seen = new Set(fields.map((f) => f.key));
  for (const program of programs) {
    const list = dataOf<MegaplanField[]>(await api(m, ctx, 'GET', `/api/v3/program/${encodeURIComponent(String(program.id))}/fields`)) ?? [];
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

function testConnection(m: MegaplanMemory, ctx: CrmContext) {
  return checkConnection(async () => {
    const programs = dataOf<unknown[]>(await api(m, ctx, 'GET', '/api/v3/program')) ?? [];
    return `Connected to Megaplan: ${programs.length} deal program(s)`;
  });
}

/** A Megaplan adapter keeping its tokens and remembered client cards in `memory` (one per app). */
export function createMegaplan(memory: MegaplanMemory = newMegaplanMemory()): CrmAdapter {
  return defineAdapter({
    type: 'megaplan',
    label: 'Мегаплан',
    settings: z.looseObject({
      baseUrl: httpUrl('The account address, https://ACCOUNT.megaplan.ru.'),
      username: required('The API user\'s login.'),
      password: required('The API user\'s password.'),
      currency: optional('The deal amount\'s ISO 4217 code; empty: RUB.'),
    }),
    secret: ['password'],
    // Megaplan allows an account about 5 requests a second and 1000 an hour. A lead costs up to three
    // (client, program list, deal), so 300 leads an hour with bursts of 5 stays inside both.
    rateLimit: { count: 300, perMs: 60 * 60 * 1000, burst: 5 },
    create: (lead, ctx) => create(memory, lead, ctx),
    addNote: (_lead, crmId, note, ctx) => addNote(memory, crmId, note, ctx),
    fields: (ctx) => listFields(memory, ctx),
    test: (ctx) => testConnection(memory, ctx),
  });
}

/** The registry's default instance (crm/index.ts); an app makes its own with `createMegaplan()`. */
const defaultMemory = newMegaplanMemory();
export const megaplan = createMegaplan(defaultMemory);

/** Forgets the default instance's tokens and remembered client cards (tests). */
export function clearMegaplanTokens(): void {
  defaultMemory.tokens.clear();
  defaultMemory.contractorsMade.clear();
}
