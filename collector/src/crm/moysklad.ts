// MoySklad (JSON API 1.2): a customer order (/entity/customerorder) for the client's counterparty
// (found by phone/email, else created), with the organization and store from the settings, goods
// as positions, and our lead id as externalCode (looked up first, so a retry never makes two).
// Lookups go through MoySklad's `filter` (conditions joined by `;`, operators `=`, `!=`, `~`, `~=`, `=~`…):
// a visitor's phone or email holding one of those characters could change the query, so such a value is
// never put into a filter, and a found counterparty is used only when its phone or email really matches.
// Pace (github moysklad/api-remap-1.2-doc, md/_restrictions.md): 45 requests per 3 s for a solution token;
// a user token or login/password costs 4 units a request from 1 Dec 2026, i.e. 11 per 3 s. The
// `tokenKind` setting picks one; the default is the strict "user".
import { z } from 'zod';
import { checkConnection, setting } from './adapter-kit.ts';
import { excerpt } from './http.ts';
import { CrmError, type CrmField, type RateLimit } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optional, optionalUrl, required } from './setting-schemas.ts';
import { call, findRows, attributeDefs } from './moysklad-api.ts';
import { buildOrder } from './moysklad-order.ts';

// A bucket lets `burst + count` through in one window: these keep any 3 s within 11 and 45.
const USER_TOKEN_PACE: RateLimit = { count: 10, perMs: 3000, burst: 1, parallel: 5 };
const SOLUTION_TOKEN_PACE: RateLimit = { count: 40, perMs: 3000, burst: 5, parallel: 5 };

export const moysklad = defineAdapter({
  type: 'moysklad',
  label: 'MoySklad',
  settings: z.looseObject({
    baseUrl: optionalUrl('The JSON API address; empty: https://api.moysklad.ru/api/remap/1.2.'),
    token: required('An access token.'),
    organizationId: required('The organization orders are made for.'),
    storeId: optional('The warehouse; empty: none.'),
    tokenKind: optional('user (default) or solution: which request limits apply.'),
  }),
  secret: ['token'],
  // The strict pace (a user token or login/password) unless the token is a solution's: see the top.
  rateLimit: USER_TOKEN_PACE,
  rateLimitFor: (settings) => (settings.tokenKind?.trim().toLowerCase() === 'solution' ? SOLUTION_TOKEN_PACE : USER_TOKEN_PACE),

  async create(lead, ctx) {
    const existing = await findRows<{ id: string; externalCode?: unknown }>(ctx, 'customerorder', 'externalCode', lead.id, (r) => r.externalCode === lead.id);
    if (existing) return { crmId: existing.id, httpStatus: 200 };
    const res = await call(ctx, 'POST', '/entity/customerorder', await buildOrder(lead, ctx));
    const id = (res.body as { id?: unknown }).id;
    if (typeof id !== 'string') throw new CrmError(`MoySklad answered without an order id: ${excerpt(res)}`, { permanent: false, httpStatus: res.status });
    return { crmId: id, httpStatus: res.status };
  },

  async addNote(_lead, crmId, note, ctx) {
    // Customer orders have no notes: the note is appended to the order's description.
    const path = `/entity/customerorder/${encodeURIComponent(crmId)}`;
    const old = (await call(ctx, 'GET', path)).body as { description?: unknown };
    const text = note.title ? `${note.title}\n${note.message}` : note.message;
    const description = typeof old.description === 'string' && old.description ? `${old.description}\n\n${text}` : text;
    await call(ctx, 'PUT', path, { description });
  },

  async fields(ctx) {
    const metadata = (await call(ctx, 'GET', '/entity/customerorder/metadata')).body as { states?: { id: string; name: string }[] };
    const fields: CrmField[] = [
      { key: 'state', label: 'Order status (its id or name)', type: 'state', options: (metadata.states ?? []).map((s) => ({ value: s.id, label: s.name })) },
      { key: 'existing_good_uuid', label: 'Product id: one, a list, or [uuid => …, count => …] per good', type: 'uuid' },
      { key: 'count', label: 'Quantity (default 1)', type: 'double' },
      { key: 'sum', label: "Price per item, roubles (default: the product's)", type: 'double' },
      { key: 'discount', label: 'Discount, %', type: 'double' },
      { key: 'vat', label: "VAT, % (default: the product's)", type: 'long' },
      { key: 'existing_counterparty_uuid', label: 'Counterparty id', type: 'uuid' },
      { key: 'existing_organization_uuid', label: 'Organization id (overrides the setting)', type: 'uuid' },
      { key: 'existing_store_uuid', label: 'Store id (overrides the setting)', type: 'uuid' },
      { key: 'currency_uuid', label: 'Currency id', type: 'uuid' },
      { key: 'project_uuid', label: 'Project id', type: 'uuid' },
      { key: 'contract_uuid', label: 'Contract id', type: 'uuid' },
      { key: 'owner_uid', label: 'Responsible employee login', type: 'string' },
    ];
    for (const a of await attributeDefs(ctx, 'customerorder')) fields.push({ key: a.id, label: a.name, type: a.type });
    return fields;
  },

  test(ctx) {
    return checkConnection(async () => {
      const me = (await call(ctx, 'GET', '/context/employee')).body as { name?: string };
      const org = (await call(ctx, 'GET', `/entity/organization/${encodeURIComponent(setting(ctx, 'organizationId'))}`)).body as { name?: string };
      return `connected to MoySklad as ${me.name ?? '?'}, organization "${org.name ?? '?'}"`;
    });
  },
});
