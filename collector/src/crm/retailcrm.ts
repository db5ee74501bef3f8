// RetailCRM (API v5): POST /api/v5/orders/create, form-encoded `site` + `order` (JSON), key in
// X-API-KEY. Our lead id is the order's externalId: RetailCRM refuses a second order with it, and
// the adapter then answers with the order already made.
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { asInteger, asNumber, asText, checkConnection, setting } from './adapter-kit.ts';
import { crmRequest, errorFromResponse, excerpt, joinUrl, type CrmResponse } from './http.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmField } from './types.ts';

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

/** The `order` object of orders/create for a lead. */
export function retailOrder(lead: Lead): Record<string, unknown> {
  const order: Record<string, unknown> = { externalId: lead.id };
  if (lead.name) order.firstName = lead.name;
  if (lead.phone) order.phone = lead.phone;
  if (lead.email) order.email = lead.email;
  // An order has no title: the form's title leads the client's comment so the manager sees it.
  const comment = [lead.title, lead.comment].filter((s) => s.trim()).join('\n');
  if (comment) order.customerComment = comment;
  const source = { source: lead.utm.source, medium: lead.utm.medium, campaign: lead.utm.campaign, keyword: lead.utm.term, content: lead.utm.content };
  const utm = Object.fromEntries(Object.entries(source).filter(([, v]) => v));
  if (Object.keys(utm).length) order.source = utm;

  const customFields: Record<string, FieldValue> = {};
  // Contact fields first, so a deal field of the same name (the form's explicit choice) wins.
  for (const [k, v] of [...Object.entries(lead.clientFields), ...Object.entries(lead.fields)]) {
    if (isOrderProp(k)) order[k] = toProp(k, v);
    else customFields[k] = v;
  }
  if (Object.keys(customFields).length) order.customFields = customFields;
  return order;
}

function retailError(res: CrmResponse): CrmError {
  const b = res.body as { errorMsg?: unknown; errors?: unknown } | string;
  let message = excerpt(res);
  if (typeof b === 'object' && typeof b.errorMsg === 'string') {
    message = b.errorMsg;
    if (b.errors && typeof b.errors === 'object') {
      const list = Array.isArray(b.errors) ? b.errors.map(String) : Object.entries(b.errors).map(([k, v]) => `${k}: ${String(v)}`);
      if (list.length) message += ` (${list.join('; ')})`;
    }
  }
  // RetailCRM's per-second limit answers without Retry-After; one second clears it.
  const retry = res.status === 429 || res.status === 503 ? 1000 : null;
  return errorFromResponse(res, message, retry);
}

async function call(ctx: CrmContext, method: 'GET' | 'POST', path: string, form?: Record<string, string>): Promise<CrmResponse> {
  const res = await crmRequest(ctx, joinUrl(setting(ctx, 'baseUrl'), path), {
    method,
    headers: {
      'x-api-key': setting(ctx, 'apiKey'),
      accept: 'application/json',
      ...(form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
    },
    ...(form ? { body: new URLSearchParams(form).toString() } : {}),
  });
  const ok = typeof res.body === 'object' && res.body !== null && (res.body as { success?: unknown }).success === true;
  if (res.status < 200 || res.status > 299 || !ok) throw retailError(res);
  return res;
}

function siteParams(ctx: CrmContext): Record<string, string> {
  const site = setting(ctx, 'site', '');
  return site ? { site } : {};
}

async function findByExternalId(ctx: CrmContext, externalId: string): Promise<string | null> {
  const q = new URLSearchParams({ by: 'externalId', ...siteParams(ctx) });
  try {
    const res = await call(ctx, 'GET', `/api/v5/orders/${encodeURIComponent(externalId)}?${q}`);
    const id = (res.body as { order?: { id?: unknown } }).order?.id;
    return id === undefined ? null : String(id);
  } catch (err) {
    if (err instanceof CrmError && err.httpStatus === 404) return null;
    throw err;
  }
}

interface RetailCustomField {
  name: string;
  code: string;
  type: string;
  dictionary?: string;
}

export const retailcrm: CrmAdapter = {
  type: 'retailcrm',
  label: 'RetailCRM',
  settings: ['baseUrl', 'apiKey', 'site'],
  requiredSettings: ['baseUrl', 'apiKey'],
  secretSettings: ['apiKey'],
  // RetailCRM: 10 requests per second per account for most methods.
  rateLimit: { count: 10, perMs: 1000 },

  async create(lead, ctx) {
    const order = retailOrder(lead);
    try {
      const res = await call(ctx, 'POST', '/api/v5/orders/create', { ...siteParams(ctx), order: JSON.stringify(order) });
      return { crmId: String((res.body as { id: unknown }).id), httpStatus: res.status };
    } catch (err) {
      // The order was made on an earlier attempt whose answer we lost: use it, never make a second.
      const errors = err instanceof CrmError && err.httpStatus === 400 ? err.message : '';
      if (errors.includes('externalId')) {
        const id = await findByExternalId(ctx, lead.id);
        if (id) return { crmId: id, httpStatus: 200 };
      }
      throw err;
    }
  },

  async addNote(_lead, crmId, note, ctx) {
    // Orders have no notes API: the note is appended to the manager's comment of the order.
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
  },

  async listFields(ctx) {
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

  testConnection(ctx) {
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
};
