// RetailCRM (API v5): POST /api/v5/orders/create, form-encoded `site` + `order` (JSON), key in
// X-API-KEY. Our lead id is the order's externalId: RetailCRM refuses a second order with it, and
// the adapter then answers with the order already made. The name is split into firstName, lastName
// and patronymic; the client fields that are custom fields belong to the customer, so they go to the
// order's customer (customers/{id}/edit) rather than the order. A field RetailCRM refuses is dropped
// and kept in the order's manager comment (createKeepingLead).
import { z } from 'zod';
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { checkConnection, createKeepingLead, setting } from './adapter-kit.ts';
import { CrmError, type CrmContext, type CrmField, type CrmNote, type CrmResult } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optional, required, httpUrl } from './setting-schemas.ts';
import { type FieldSources, retailOrder } from './retailcrm-mapping.ts';
import { call, siteParams } from './retailcrm-api.ts';

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
