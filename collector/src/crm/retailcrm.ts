// RetailCRM (API v5): POST /api/v5/orders/create, form-encoded `site` + `order` (JSON), key in
// X-API-KEY. Our lead id is the order's externalId: RetailCRM refuses a second order with it, and
// the adapter then answers with the order already made. The name is split into firstName, lastName
// and patronymic; the client fields that are custom fields belong to the customer, so they go to the
// order's customer (customers/{id}/edit) rather than the order. A field RetailCRM refuses is dropped
// and kept in the order's manager comment (createKeepingLead).
import { z } from 'zod';
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { asInteger, asNumber, asText, checkConnection, convertField, createKeepingLead, looksLikeEmail, setting } from './adapter-kit.ts';
import { errorFromResponse, excerpt, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { splitName } from './person-name.ts';
import { CrmError, type CrmContext, type CrmField, type CrmNote, type CrmResult, type RefusedField } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optional, required, httpUrl } from './setting-schemas.ts';

/** Order properties the form may set directly (the rest of `fields` are custom fields by code). */
const ORDER_TEXT_PROPS = new Set([
  'number', 'orderType', 'orderMethod', 'privilegeType', 'countryIso', 'status', 'statusComment', 'managerComment',
  'customerComment', 'firstName', 'lastName', 'patronymic', 'phone', 'additionalPhone', 'email', 'shipmentStore', 'shipmentDate',
]);
const ORDER_INT_PROPS = new Set(['managerId']);
const ORDER_NUMBER_PROPS = new Set(['discountManualAmount', 'discountManualPercent', 'weight', 'length', 'width', 'height']);
const ORDER_FLAG_PROPS = new Set(['call', 'expired', 'shipped']);

function toProp(key: string, v: FieldValue): unknown {
  if (ORDER_INT_PROPS.has(key)) return asInteger(key, v);
  if (ORDER_NUMBER_PROPS.has(key)) return asNumber(key, v);
  if (ORDER_FLAG_PROPS.has(key)) return asText(v) === '1' || asText(v).toLowerCase() === 'true';
  return asText(v);
}

const isOrderProp = (k: string) => ORDER_TEXT_PROPS.has(k) || ORDER_INT_PROPS.has(k) || ORDER_NUMBER_PROPS.has(k) || ORDER_FLAG_PROPS.has(k);

/** Where each refusable part of a request came from in the lead: RetailCRM's error key → the form key. */
type FieldSources = Map<string, { key: string; in: 'fields' | 'clientFields' }>;

/** The `order` object of orders/create for a lead, and the customer's custom fields (client fields). */
export function retailOrder(lead: Lead): { order: Record<string, unknown>; sources: FieldSources; customerFields: Record<string, FieldValue> } {
  const order: Record<string, unknown> = { externalId: lead.id };
  const sources: FieldSources = new Map();
  const name = splitName(lead.name);
  if (name.first) order.firstName = name.first;
  if (name.last) order.lastName = name.last;
  if (name.middle) order.patronymic = name.middle;
  if (lead.phone) order.phone = lead.phone;
  const badEmail = lead.email && !looksLikeEmail(lead.email) ? `Email (not a valid address): ${lead.email}` : '';
  if (lead.email && !badEmail) order.email = lead.email.trim();
  // An order has no title: the form's title leads the client's comment so the manager sees it.
  const comment = [lead.title, lead.comment, badEmail].filter((s) => s.trim()).join('\n');
  if (comment) order.customerComment = comment;
  const source = { source: lead.utm.source, medium: lead.utm.medium, campaign: lead.utm.campaign, keyword: lead.utm.term, content: lead.utm.content };
  const utm = Object.fromEntries(Object.entries(source).filter(([, v]) => v));
  if (Object.keys(utm).length) order.source = utm;

  const customFields: Record<string, FieldValue> = {};
  const customerFields: Record<string, FieldValue> = {};
  // The client's own order properties (lastName, patronymic…) go first, so a deal field of the same
  // name (the form's explicit choice) wins; other client fields are the customer's custom fields.
  for (const [k, v] of Object.entries(lead.clientFields)) {
    if (isOrderProp(k)) {
      order[k] = convertField(k, 'clientFields', () => toProp(k, v));
      sources.set(k, { key: k, in: 'clientFields' });
    } else {
      customerFields[k] = v;
    }
  }
  for (const [k, v] of Object.entries(lead.fields)) {
    if (isOrderProp(k)) {
      order[k] = convertField(k, 'fields', () => toProp(k, v));
      sources.set(k, { key: k, in: 'fields' });
    } else {
      customFields[k] = v;
      sources.set(`customFields[${k}]`, { key: k, in: 'fields' });
    }
  }
  if (Object.keys(customFields).length) order.customFields = customFields;
  return { order, sources, customerFields };
}

function retailError(res: CrmResponse, sources?: FieldSources): CrmError {
  const b = res.body as { errorMsg?: unknown; errors?: unknown } | string;
  let message = excerpt(res);
  const refused: RefusedField[] = [];
  if (typeof b === 'object' && typeof b.errorMsg === 'string') {
    message = b.errorMsg;
    if (b.errors && typeof b.errors === 'object') {
      const entries = Array.isArray(b.errors) ? b.errors.map((v) => ['', v] as const) : Object.entries(b.errors);
      const list = entries.map(([k, v]) => (k ? `${k}: ${String(v)}` : String(v)));
      if (list.length) message += ` (${list.join('; ')})`;
      // Entity format errors are keyed by the refused property: "orderMethod", "customFields[code]".
      for (const [k, v] of entries) {
        const source = k && res.status === 400 ? sources?.get(k) : undefined;
        if (source) refused.push({ ...source, reason: String(v) });
      }
    }
  }
  // RetailCRM's per-second limit answers without Retry-After; one second clears it.
  const retry = res.status === 429 || res.status === 503 ? 1000 : null;
  const err = errorFromResponse(res, message, retry);
  return refused.length ? new CrmError(err.message, { permanent: err.permanent, httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs, refused }) : err;
}

/** API v5 calls (form-encoded bodies); `sources` names the lead's fields a validation error may refuse. */
const call = jsonClient<FieldSources>({
  base: (ctx) => setting(ctx, 'baseUrl'),
  headers: (ctx) => ({ 'x-api-key': setting(ctx, 'apiKey'), accept: 'application/json' }),
  encoding: 'form',
  // RetailCRM says success: true on every answer it accepted.
  ok: (res) => res.status >= 200 && res.status <= 299 && (res.body as { success?: unknown } | null)?.success === true,
  error: (res, sources) => retailError(res, sources),
});

function siteParams(ctx: CrmContext): Record<string, string> {
  const site = setting(ctx, 'site', '');
  return site ? { site } : {};
}

interface MadeOrder {
  id: string;
  /** The customer RetailCRM found or made for the order. */
  customerId: string | null;
}

function madeOrder(order: { id?: unknown; customer?: { id?: unknown } } | undefined): MadeOrder | null {
  if (order?.id === undefined) return null;
  return { id: String(order.id), customerId: order.customer?.id === undefined ? null : String(order.customer.id) };
}

async function findByExternalId(ctx: CrmContext, externalId: string): Promise<MadeOrder | null> {
  const q = new URLSearchParams({ by: 'externalId', ...siteParams(ctx) });
  try {
    const res = await call(ctx, 'GET', `/api/v5/orders/${encodeURIComponent(externalId)}?${q}`);
    return madeOrder((res.body as { order?: { id?: unknown; customer?: { id?: unknown } } }).order);
  } catch (err) {
    if (err instanceof CrmError && err.httpStatus === 404) return null;
    throw err;
  }
}

/** Creates the order, or finds the one an earlier attempt made (its answer lost): never a second one. */
async function createOrder(ctx: CrmContext, lead: Lead, order: Record<string, unknown>, sources: FieldSources): Promise<MadeOrder & { httpStatus: number }> {
  try {
    const res = await call(ctx, 'POST', '/api/v5/orders/create', { ...siteParams(ctx), order: JSON.stringify(order) }, sources);
    const body = res.body as { id: unknown; order?: { id?: unknown; customer?: { id?: unknown } } };
    return { ...(madeOrder(body.order) ?? { id: String(body.id), customerId: null }), httpStatus: res.status };
  } catch (err) {
    const errors = err instanceof CrmError && err.httpStatus === 400 ? err.message : '';
    if (errors.includes('externalId')) {
      const found = await findByExternalId(ctx, lead.id);
      if (found) return { ...found, httpStatus: 200 };
    }
    throw err;
  }
}

/**
 * Custom fields of the client belong to the customer, not the order (custom fields have an entity:
 * GET /api/v5/custom-fields?filter[entity]=customer): set them on the order's customer.
 */
async function setCustomerFields(ctx: CrmContext, customerId: string, fields: Record<string, FieldValue>): Promise<void> {
  const sources: FieldSources = new Map(Object.keys(fields).map((k) => [`customFields[${k}]`, { key: k, in: 'clientFields' as const }]));
  await call(ctx, 'POST', `/api/v5/customers/${encodeURIComponent(customerId)}/edit`, {
    by: 'id',
    ...siteParams(ctx),
    customer: JSON.stringify({ customFields: fields }),
  }, sources);
}

async function sendOrder(ctx: CrmContext, lead: Lead): Promise<CrmResult> {
  const { order, sources, customerFields } = retailOrder(lead);
  const made = await createOrder(ctx, lead, order, sources);
  if (Object.keys(customerFields).length) {
    if (!made.customerId) throw new CrmError(`RetailCRM made order ${made.id} without a customer for the client fields`, { permanent: false });
    await setCustomerFields(ctx, made.customerId, customerFields);
  }
  return { crmId: made.id, httpStatus: made.httpStatus };
}

/** Orders have no notes API: a note is appended to the manager's comment of the order. */
async function appendNote(ctx: CrmContext, crmId: string, note: CrmNote): Promise<void> {
  const q = new URLSearchParams({ by: 'id', ...siteParams(ctx) });
  const res = await call(ctx, 'GET', `/api/v5/orders/${encodeURIComponent(crmId)}?${q}`);
  const old = (res.body as { order?: { managerComment?: unknown } }).order?.managerComment;
  const text = note.title ? `${note.title}\n${note.message}` : note.message;
  const managerComment = typeof old === 'string' && old ? `${old}\n\n${text}` : text;
  await call(ctx, 'POST', `/api/v5/orders/${encodeURIComponent(crmId)}/edit`, {
    by: 'id',
    ...siteParams(ctx),
    order: JSON.stringify({ managerComment }),
  });
}

interface RetailCustomField {
  name: string;
  code: string;
  type: string;
  dictionary?: string;
}

export const retailcrm = defineAdapter({
  type: 'retailcrm',
  label: 'RetailCRM',
  settings: z.looseObject({
    baseUrl: httpUrl('The account address, https://ACCOUNT.retailcrm.ru.'),
    apiKey: required('An API key.'),
    site: optional('The store code orders go to; empty: the key\'s only store.'),
  }),
  secret: ['apiKey'],
  // RetailCRM: 10 requests per second per account for most methods.
  rateLimit: { count: 10, perMs: 1000 },

  create(lead, ctx) {
    return createKeepingLead(lead, (l) => sendOrder(ctx, l), (crmId, note) => appendNote(ctx, crmId, note));
  },

  async addNote(_lead, crmId, note, ctx) {
    await appendNote(ctx, crmId, note);
  },

  async fields(ctx) {
    const fields: CrmField[] = [
      { key: 'managerComment', label: 'Manager comment', type: 'text' },
      { key: 'orderMethod', label: 'Order method (code)', type: 'string' },
      { key: 'managerId', label: 'Manager id', type: 'integer' },
      { key: 'status', label: 'Status (code)', type: 'string' },
      { key: 'orderType', label: 'Order type (code)', type: 'string' },
    ];
    const custom: RetailCustomField[] = [];
    for (let page = 1; page <= 20; page++) {
      const res = await call(ctx, 'GET', `/api/v5/custom-fields?filter[entity]=order&limit=100&page=${page}`);
      const body = res.body as { customFields?: RetailCustomField[]; pagination?: { totalPageCount?: number } };
      custom.push(...(body.customFields ?? []));
      if (page >= (body.pagination?.totalPageCount ?? 1)) break;
    }
    const dictionaries = new Map<string, { name: string; code: string }[]>();
    if (custom.some((f) => f.dictionary)) {
      for (let page = 1; page <= 20; page++) {
        const res = await call(ctx, 'GET', `/api/v5/custom-fields/dictionaries?limit=100&page=${page}`);
        const body = res.body as { customDictionaries?: { code: string; elements?: { name: string; code: string }[] }[]; pagination?: { totalPageCount?: number } };
        for (const d of body.customDictionaries ?? []) dictionaries.set(d.code, d.elements ?? []);
        if (page >= (body.pagination?.totalPageCount ?? 1)) break;
      }
    }
    for (const f of custom) {
      const options = f.dictionary ? dictionaries.get(f.dictionary) : undefined;
      fields.push({
        key: f.code,
        label: f.name,
        type: f.type,
        ...(options?.length ? { options: options.map((o) => ({ value: o.code, label: o.name })) } : {}),
      });
    }
    return fields;
  },

  test(ctx) {
    return checkConnection(async () => {
      const res = await call(ctx, 'GET', '/api/credentials');
      const body = res.body as { siteAccess?: string; sitesAvailable?: string[] };
      const site = setting(ctx, 'site', '');
      if (site && body.siteAccess === 'access_selective' && !body.sitesAvailable?.includes(site)) {
        throw new Error(`the API key has no access to the site "${site}"`);
      }
      return site ? `connected to RetailCRM, site "${site}"` : 'connected to RetailCRM';
    });
  },
});
