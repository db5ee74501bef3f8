// FreshOffice (API 2.0, apidoc.myfreshcloud.com): a lead becomes a counterparty (контрагент) and a deal.
//   auth:    `Authorization: Bearer {token}` (a token made in FreshOffice → Администрирование → API),
//            `Content-Type: application/json`. Answers are the "standard object"
//            {status:"success"|…, error, code, rows, pages, page, value}; `value` is the new id, or a list
//            as JSON-encoded text (reference/users, reference/directory/directories-deal).
//   create:  POST {baseUrl}/company/insert {name, phone, email, …clientFields}       → value = company id
//            POST {baseUrl}/deal/insert {name, company_id, type_id, status_id, user_id, sum, date_start,
//                                        date_finish, note}                            → value = deal id
//   lists:   GET {baseUrl}/users/list (active users), GET {baseUrl}/directory/32 (deal types),
//            GET {baseUrl}/directory/31 (deal statuses: each belongs to a type, ID_TYPE_OF_DEAL, or is a
//            closing one common to all, IS_FINAL). Kept for 10 minutes per account.
//   test:    GET {baseUrl}/users/list
// Documented: Bearer auth, the deal's parameters (name, company_id, type_id, status_id, user_id, date_start
// and date_finish required; sum, note, Goods optional — the full list), the users list and the directories.
// Assumed (the API 2.0 pages for them were not in our sources): POST /company/insert with name/phone/email,
// errors as the standard object with status "error" and the message in `error`, HTTP 401 for a bad token
// and 429 (with Retry-After) when limited.
// The API documents no comment or update method, so addNote fails with a permanent, explicit error.
// Mapping: name → company name, phone/email → company, clientFields → company (the article's `person`, the
// counterparty type, goes there too), title → deal name, comment → deal note. The article's API 1.0 field
// names are accepted: id_status_deal → status_id, summa → sum, id_manager → user_id (default: the account's
// first user). Without a type the deal gets the first deal type; without a status, that type's first open
// status; a status alone brings its own type. `chance` and any other key deal/insert does not take are
// written into the deal's note as "key: value" lines, so nothing is lost. No idempotency field exists.
import { z } from 'zod';
import type { Lead } from '../../../shared/schemas.ts';
import { checkConnection, firstValue } from './adapter-kit.ts';
import { CrmError, type CrmContext, type CrmField } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optionalUrl, required } from './setting-schemas.ts';
import { type StandardAnswer, call, cached, users, dealTypes, dealStatuses } from './freshoffice-api.ts';
import { numeric, freshofficeCompanyBody, type DealKind, freshofficeDealBody } from './freshoffice-mapping.ts';

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 'true';
const same = (a: unknown, b: unknown) => a !== undefined && a !== null && String(a) === String(b);

/** The deal's type and status: given ones checked against the account's directories, missing ones filled. */
async function dealKind(ctx: CrmContext, lead: Lead): Promise<DealKind> {
  const typeGiven = firstValue(lead.fields.type_id)?.trim() || undefined;
  const statusGiven = (firstValue(lead.fields.status_id) ?? firstValue(lead.fields.id_status_deal))?.trim() || undefined;
  const [types, statuses] = [await dealTypes(ctx), await dealStatuses(ctx)];
  let status = statusGiven === undefined ? undefined : statuses.find((st) => same(st.ID, statusGiven));
  if (statusGiven !== undefined && !status) {
    throw new CrmError(`FreshOffice has no deal status ${statusGiven}; statuses: ${statuses.map((st) => `${st.ID} ${st.NAME ?? ''}`.trim()).join(', ')}`, { permanent: true });
  }
  let typeId: unknown = typeGiven;
  if (typeId === undefined) typeId = status && !truthy(status.IS_FINAL) ? status.ID_TYPE_OF_DEAL : types[0]?.ID;
  if (typeId === undefined || typeId === null || !types.some((t) => same(t.ID, typeId))) {
    throw new CrmError(typeGiven === undefined ? 'FreshOffice has no deal type; create one' : `FreshOffice has no deal type ${typeGiven}`, { permanent: true });
  }
  if (status && !truthy(status.IS_FINAL) && !same(status.ID_TYPE_OF_DEAL, typeId)) {
    throw new CrmError(`FreshOffice deal status ${String(status.ID)} belongs to deal type ${String(status.ID_TYPE_OF_DEAL)}, not ${String(typeId)}`, { permanent: true });
  }
  status ??= statuses.find((st) => same(st.ID_TYPE_OF_DEAL, typeId) && !truthy(st.IS_FINAL));
  if (!status || status.ID === undefined) throw new CrmError(`FreshOffice deal type ${String(typeId)} has no open status`, { permanent: true });
  return { typeId: numeric(String(typeId)), statusId: numeric(String(status.ID)) };
}

function newId(answer: StandardAnswer, what: string): string {
  const v = answer.value;
  if (typeof v !== 'string' && typeof v !== 'number') throw new CrmError(`FreshOffice answered without a ${what} id`, { permanent: false });
  return String(v);
}

async function create(lead: Lead, ctx: CrmContext) {
  const kind = await dealKind(ctx, lead);
  const companyId = newId(await call(ctx, 'POST', '/company/insert', freshofficeCompanyBody(lead)), 'company');
  const named = firstValue(lead.fields.user_id) ?? firstValue(lead.fields.id_manager);
  let userId: number | string | null = null;
  if (!named) {
    const first = (await cached(ctx, 'users', () => users(ctx)))[0];
    if (first?.id === undefined) throw new CrmError('FreshOffice: no user to make responsible; set the id_manager field', { permanent: true });
    userId = first.id;
  }
  const answer = await call(ctx, 'POST', '/deal/insert', freshofficeDealBody(lead, numeric(companyId), userId, kind));
  return { crmId: newId(answer, 'deal'), httpStatus: answer.httpStatus ?? null };
}

async function addNote(): Promise<void> {
  throw new CrmError('FreshOffice API 2.0 has no method to add a comment to a deal; the comment stays in leadrelay', {
    permanent: true,
  });
}

async function listFields(ctx: CrmContext): Promise<CrmField[]> {
  const people = await users(ctx);
  const types = await dealTypes(ctx);
  const statuses = await dealStatuses(ctx);
  const typeName = (id: unknown) => types.find((t) => same(t.ID, id))?.NAME ?? String(id);
  return [
    {
      key: 'id_status_deal',
      label: 'Статус сделки (по умолчанию первый открытый статус типа)',
      type: 'list',
      options: statuses
        .filter((st) => st.ID !== undefined)
        .map((st) => ({ value: String(st.ID), label: truthy(st.IS_FINAL) ? `${st.NAME ?? st.ID}` : `${typeName(st.ID_TYPE_OF_DEAL)}: ${st.NAME ?? st.ID}` })),
    },
    {
      key: 'type_id',
      label: 'Тип сделки (по умолчанию первый)',
      type: 'list',
      options: types.filter((t) => t.ID !== undefined).map((t) => ({ value: String(t.ID), label: t.NAME ?? String(t.ID) })),
    },
    { key: 'summa', label: 'Сумма сделки', type: 'number' },
    { key: 'chance', label: 'Вероятность, % (в примечание сделки)', type: 'number' },
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

export const freshoffice = defineAdapter({
  type: 'freshoffice',
  label: 'FreshOffice',
  settings: z.looseObject({
    baseUrl: optionalUrl('The API address; empty: https://do.myfreshcloud.com.'),
    token: required('An API token.'),
  }),
  secret: ['token'],
  // FreshOffice publishes no limit. A lead costs two or three requests; two a second is gentle on
  // a small account's server and still clears hundreds of leads an hour.
  rateLimit: { count: 2, perMs: 1000 },
  create,
  addNote,
  fields: listFields,
  test: testConnection,
});
