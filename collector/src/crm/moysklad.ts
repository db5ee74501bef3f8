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
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { asInteger, asList, asNumber, asText, checkConnection, setting } from './adapter-kit.ts';
import { errorFromResponse, excerpt, joinUrl, parseRetryAfter, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { CrmError, type CrmContext, type CrmField, type RateLimit } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optional, optionalUrl, required } from './setting-schemas.ts';

const DEFAULT_BASE = 'https://api.moysklad.ru/api/remap/1.2';
// A bucket lets `burst + count` through in one window: these keep any 3 s within 11 and 45.
const USER_TOKEN_PACE: RateLimit = { count: 10, perMs: 3000, burst: 1, parallel: 5 };
const SOLUTION_TOKEN_PACE: RateLimit = { count: 40, perMs: 3000, burst: 5, parallel: 5 };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Characters that are filter syntax (condition separator, operators, escape): never sent inside a value. */
const FILTER_SYNTAX = /[;~=<>!\\]/;

/** The reference article's keys for MoySklad; any other key is a custom attribute (by id or name). */
const KNOWN_KEYS = new Set([
  'state', 'currency_uuid', 'project_uuid', 'contract_uuid', 'owner_uid', 'existing_store_uuid', 'existing_organization_uuid',
  'existing_counterparty_uuid', 'existing_good_uuid', 'uuid', 'count', 'discount', 'vat', 'sum',
]);
const COUNTERPARTY_PROPS = new Set(['name', 'legalTitle', 'legalAddress', 'actualAddress', 'inn', 'kpp', 'ogrn', 'description', 'companyType', 'code']);

interface Meta {
  meta: { href: string; type: string; mediaType: 'application/json' };
}

const base = (ctx: CrmContext) => setting(ctx, 'baseUrl', DEFAULT_BASE);

/** A reference to another object, the way MoySklad links them. */
function meta(ctx: CrmContext, path: string, type: string): Meta {
  return { meta: { href: joinUrl(base(ctx), path), type, mediaType: 'application/json' } };
}

function moyskladError(res: CrmResponse): CrmError {
  const b = res.body as { errors?: { error?: string; code?: number }[] } | string;
  const list = typeof b === 'object' && Array.isArray(b.errors) ? b.errors : [];
  const message = list.length ? list.map((e) => (e.code ? `${e.error ?? ''} (code ${e.code})` : e.error ?? '')).join('; ') : excerpt(res);
  // On 429 MoySklad names the wait in milliseconds in X-Lognex-Retry-After.
  const lognex = Number(res.headers.get('x-lognex-retry-after'));
  const retry = parseRetryAfter(res.headers.get('retry-after')) ?? (Number.isFinite(lognex) && lognex > 0 ? lognex : res.status === 429 ? 3000 : null);
  return errorFromResponse(res, message, retry);
}

const call = jsonClient({
  base,
  headers: (ctx) => ({
    authorization: `Bearer ${setting(ctx, 'token')}`,
    accept: 'application/json;charset=utf-8',
    // MoySklad refuses requests that do not accept compressed answers.
    'accept-encoding': 'gzip',
  }),
  error: (res) => moyskladError(res),
});

/**
 * Rows where `prop` equals `value` exactly. A value holding filter syntax is refused (null: "cannot look
 * it up"), and rows are re-checked with `same`, so a crafted value never selects someone else's record.
 */
async function findRows<T extends { id: string }>(
  ctx: CrmContext,
  entity: string,
  prop: string,
  value: string,
  same: (row: T) => boolean,
): Promise<T | null> {
  if (!value || FILTER_SYNTAX.test(value) || /^\s|\s$/.test(value)) return null;
  const res = await call(ctx, 'GET', `/entity/${entity}?filter=${encodeURIComponent(`${prop}=${value}`)}&limit=10`);
  const rows = (res.body as { rows?: T[] }).rows ?? [];
  return rows.find(same) ?? null;
}

const digits = (s: unknown) => (typeof s === 'string' ? s.replace(/\D/g, '') : '');

interface AttributeDef {
  id: string;
  name: string;
  type: string;
  meta: Meta['meta'];
}

async function attributeDefs(ctx: CrmContext, entity: string): Promise<AttributeDef[]> {
  const res = await call(ctx, 'GET', `/entity/${entity}/metadata/attributes`);
  return (res.body as { rows?: AttributeDef[] }).rows ?? [];
}

/** Custom attributes by id or name, their values typed as MoySklad wants them. */
async function attributes(ctx: CrmContext, entity: string, entries: [string, FieldValue][]): Promise<{ meta: Meta['meta']; value: unknown }[]> {
  if (!entries.length) return [];
  const defs = await attributeDefs(ctx, entity);
  return entries.map(([key, v]) => {
    const def = defs.find((d) => d.id === key) ?? defs.find((d) => d.name.toLowerCase() === key.toLowerCase());
    if (!def) throw new CrmError(`MoySklad has no ${entity} attribute "${key}"`, { permanent: true });
    let value: unknown = asText(v);
    if (def.type === 'long') value = asInteger(key, v);
    else if (def.type === 'double') value = asNumber(key, v);
    else if (def.type === 'boolean') value = ['1', 'true', 'y', 'yes'].includes(asText(v).trim().toLowerCase());
    return { meta: def.meta, value };
  });
}

async function counterparty(ctx: CrmContext, lead: Lead): Promise<Meta> {
  type Row = { id: string; phone?: unknown; email?: unknown };
  const phone = lead.phone.trim();
  const email = lead.email.trim();
  const found =
    (phone && digits(phone).length >= 5
      ? await findRows<Row>(ctx, 'counterparty', 'phone', phone, (r) => digits(r.phone) === digits(phone))
      : null) ??
    (email ? await findRows<Row>(ctx, 'counterparty', 'email', email, (r) => typeof r.email === 'string' && r.email.toLowerCase() === email.toLowerCase()) : null);
  if (found) return meta(ctx, `/entity/counterparty/${found.id}`, 'counterparty');
  const body: Record<string, unknown> = {
    name: lead.name || lead.phone || lead.email || 'Website client',
    companyType: 'individual',
    ...(lead.phone ? { phone: lead.phone } : {}),
    ...(lead.email ? { email: lead.email } : {}),
  };
  const custom: [string, FieldValue][] = [];
  for (const [k, v] of Object.entries(lead.clientFields)) {
    if (COUNTERPARTY_PROPS.has(k)) body[k] = asText(v);
    else custom.push([k, v]);
  }
  const attrs = await attributes(ctx, 'counterparty', custom);
  if (attrs.length) body.attributes = attrs;
  const res = await call(ctx, 'POST', '/entity/counterparty', body);
  return meta(ctx, `/entity/counterparty/${(res.body as { id: string }).id}`, 'counterparty');
}

interface Good {
  uuid: string;
  count?: string | undefined;
  discount?: string | undefined;
  vat?: string | undefined;
  sum?: string | undefined;
}

/** A good as the form gives it: an id, or the article's `['uuid' => …, 'count' => …]` (JSON text here). */
function goodsOf(v: FieldValue | undefined): Good[] {
  if (v === undefined) return [];
  const out: Good[] = [];
  const add = (item: unknown): void => {
    if (typeof item === 'string' || typeof item === 'number') {
      const text = String(item).trim();
      if (text.startsWith('{') || text.startsWith('[')) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(text);
        } catch {
          throw new CrmError(`field "existing_good_uuid" is not a good id or a list of goods: "${text.slice(0, 80)}"`, { permanent: true });
        }
        add(parsed);
      } else if (text) out.push({ uuid: text });
    } else if (Array.isArray(item)) {
      for (const x of item) add(x);
    } else if (typeof item === 'object' && item !== null) {
      const o = item as Record<string, unknown>;
      if ('uuid' in o) {
        const text = (k: string) => (o[k] === undefined || o[k] === null || o[k] === '' ? undefined : String(o[k]));
        out.push({ uuid: String(o.uuid).trim(), count: text('count'), discount: text('discount'), vat: text('vat'), sum: text('sum') });
      } else for (const x of Object.values(o)) add(x); // PHP's list as {"0": {...}, "1": {...}}
    }
  };
  for (const item of asList(v)) add(item);
  return out;
}

/**
 * Positions from existing_good_uuid (an id, a list, or the article's uuid/count/discount/vat/sum arrays) and
 * `uuid`. Count, discount, VAT and price (roubles) come from the good's own entry, else the lead's fields;
 * VAT and price the form does not give are left out, so the good's own values apply.
 */
function positions(ctx: CrmContext, f: Record<string, FieldValue>): Record<string, unknown>[] {
  const goods = [...goodsOf(f.existing_good_uuid), ...goodsOf(f.uuid)];
  const top = (k: 'count' | 'discount' | 'vat' | 'sum') => (f[k] === undefined ? undefined : asText(f[k]).trim() || undefined);
  return goods.map((g) => {
    if (!UUID.test(g.uuid)) throw new CrmError(`"${g.uuid.slice(0, 80)}" is not a MoySklad good id (a UUID)`, { permanent: true });
    const count = g.count ?? top('count');
    const discount = g.discount ?? top('discount');
    const vat = g.vat ?? top('vat');
    const sum = g.sum ?? top('sum');
    const position: Record<string, unknown> = { quantity: count ? asNumber('count', count) : 1 };
    // MoySklad keeps money in kopecks.
    if (sum) position.price = Math.round(asNumber('sum', sum) * 100);
    if (discount) position.discount = asNumber('discount', discount);
    if (vat) {
      position.vat = asInteger('vat', vat);
      position.vatEnabled = true;
    }
    position.assortment = meta(ctx, `/entity/product/${g.uuid}`, 'product');
    return position;
  });
}

interface OrderState {
  id: string;
  name: string;
}

/** `state` as a status UUID or a status name (the account's order statuses). */
async function orderState(ctx: CrmContext, value: string): Promise<Meta> {
  if (UUID.test(value)) return meta(ctx, `/entity/customerorder/metadata/states/${value}`, 'state');
  const states = ((await call(ctx, 'GET', '/entity/customerorder/metadata')).body as { states?: OrderState[] }).states ?? [];
  const wanted = value.trim().toLowerCase();
  const found = states.find((st) => st.name.trim().toLowerCase() === wanted);
  if (!found) {
    const names = states.map((st) => `"${st.name}"`).join(', ');
    throw new CrmError(`MoySklad has no order status "${value.slice(0, 80)}" (statuses: ${names})`, { permanent: true });
  }
  return meta(ctx, `/entity/customerorder/metadata/states/${found.id}`, 'state');
}

async function buildOrder(lead: Lead, ctx: CrmContext): Promise<Record<string, unknown>> {
  const f = lead.fields;
  const organizationId = f.existing_organization_uuid ? asText(f.existing_organization_uuid) : setting(ctx, 'organizationId');
  const storeId = f.existing_store_uuid ? asText(f.existing_store_uuid) : setting(ctx, 'storeId', '');
  const order: Record<string, unknown> = {
    externalCode: lead.id,
    organization: meta(ctx, `/entity/organization/${organizationId}`, 'organization'),
    agent: f.existing_counterparty_uuid
      ? meta(ctx, `/entity/counterparty/${asText(f.existing_counterparty_uuid)}`, 'counterparty')
      : await counterparty(ctx, lead),
  };
  if (storeId) order.store = meta(ctx, `/entity/store/${storeId}`, 'store');
  const description = [lead.title, lead.comment].filter((s) => s.trim()).join('\n');
  if (description) order.description = description;
  if (f.state && asText(f.state).trim()) order.state = await orderState(ctx, asText(f.state).trim());
  if (f.currency_uuid) order.rate = { currency: meta(ctx, `/entity/currency/${asText(f.currency_uuid)}`, 'currency') };
  if (f.project_uuid) order.project = meta(ctx, `/entity/project/${asText(f.project_uuid)}`, 'project');
  if (f.contract_uuid) order.contract = meta(ctx, `/entity/contract/${asText(f.contract_uuid)}`, 'contract');
  if (f.owner_uid) {
    const uid = asText(f.owner_uid).trim();
    const employee = await findRows<{ id: string; uid?: unknown }>(ctx, 'employee', 'uid', uid, (r) => r.uid === uid);
    if (!employee) throw new CrmError(`MoySklad has no employee with login "${asText(f.owner_uid)}"`, { permanent: true });
    order.owner = meta(ctx, `/entity/employee/${employee.id}`, 'employee');
  }
  const pos = positions(ctx, f);
  if (pos.length) order.positions = pos;
  const attrs = await attributes(ctx, 'customerorder', Object.entries(f).filter(([k]) => !KNOWN_KEYS.has(k)));
  if (attrs.length) order.attributes = attrs;
  return order;
}

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
