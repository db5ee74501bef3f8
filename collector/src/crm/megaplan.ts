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
import type { Lead } from '../../../shared/schemas.ts';
import { checkConnection } from './adapter-kit.ts';
import { excerpt } from './http.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmField } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optional, required, httpUrl } from './setting-schemas.ts';
import { type MegaplanMemory, newMegaplanMemory, baseUrl, api, dataOf } from './megaplan-api.ts';
import { single, type Ref, megaplanContractorBody, currencyOf, megaplanDealBody, escapeHtml } from './megaplan-mapping.ts';

const CONTRACTORS_REMEMBERED = 10_000;

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
