// MoySklad (JSON API 1.2): a customer order (/entity/customerorder) for the client's counterparty
// (found by phone/email, else created), with the organization and store from the settings, goods
// as positions, and our lead id as externalCode (looked up first, so a retry never makes two).
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { asInteger, asList, asNumber, asText, checkConnection, setting } from './adapter-kit.ts';
import { crmRequest, errorFromResponse, excerpt, joinUrl, parseRetryAfter, type CrmResponse } from './http.ts';
import { CrmError, type CrmAdapter, type CrmContext, type CrmField } from './types.ts';

const DEFAULT_BASE = 'https://api.moysklad.ru/api/remap/1.2';

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

async function call(ctx: CrmContext, method: string, path: string, body?: unknown): Promise<CrmResponse> {
  const res = await crmRequest(ctx, joinUrl(base(ctx), path), {
    method,
    headers: {
      authorization: `Bearer ${setting(ctx, 'token')}`,
      accept: 'application/json;charset=utf-8',
      // MoySklad refuses requests that do not accept compressed answers.
      'accept-encoding': 'gzip',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (res.status < 200 || res.status > 299) throw moyskladError(res);
  return res;
}

async function firstRow(ctx: CrmContext, entity: string, filter: string): Promise<{ id: string } | null> {
  const res = await call(ctx, 'GET', `/entity/${entity}?filter=${encodeURIComponent(filter)}&limit=1`);
  const rows = (res.body as { rows?: { id: string }[] }).rows ?? [];
  return rows[0] ?? null;
}

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
  for (const [prop, value] of [['phone', lead.phone], ['email', lead.email]] as const) {
    if (!value) continue;
    const found = await firstRow(ctx, 'counterparty', `${prop}=${value}`);
    if (found) return meta(ctx, `/entity/counterparty/${found.id}`, 'counterparty');
  }
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

/** Positions from existing_good_uuid (one id or a list) with count, discount, vat and sum (roubles). */
function positions(ctx: CrmContext, f: Record<string, FieldValue>): Record<string, unknown>[] {
  const goods = [...(f.existing_good_uuid ? asList(f.existing_good_uuid) : []), ...(f.uuid ? asList(f.uuid) : [])].filter(Boolean);
  return goods.map((id) => ({
    quantity: f.count ? asNumber('count', f.count) : 1,
    // MoySklad keeps money in kopecks.
    price: f.sum ? Math.round(asNumber('sum', f.sum) * 100) : 0,
    discount: f.discount ? asNumber('discount', f.discount) : 0,
    vat: f.vat ? asInteger('vat', f.vat) : 0,
    assortment: meta(ctx, `/entity/product/${id}`, 'product'),
  }));
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
  if (f.state) order.state = meta(ctx, `/entity/customerorder/metadata/states/${asText(f.state)}`, 'state');
  if (f.currency_uuid) order.rate = { currency: meta(ctx, `/entity/currency/${asText(f.currency_uuid)}`, 'currency') };
  if (f.project_uuid) order.project = meta(ctx, `/entity/project/${asText(f.project_uuid)}`, 'project');
  if (f.contract_uuid) order.contract = meta(ctx, `/entity/contract/${asText(f.contract_uuid)}`, 'contract');
  if (f.owner_uid) {
    const employee = await firstRow(ctx, 'employee', `uid=${asText(f.owner_uid)}`);
    if (!employee) throw new CrmError(`MoySklad has no employee with login "${asText(f.owner_uid)}"`, { permanent: true });
    order.owner = meta(ctx, `/entity/employee/${employee.id}`, 'employee');
  }
  const pos = positions(ctx, f);
  if (pos.length) order.positions = pos;
  const attrs = await attributes(ctx, 'customerorder', Object.entries(f).filter(([k]) => !KNOWN_KEYS.has(k)));
  if (attrs.length) order.attributes = attrs;
  return order;
}

export const moysklad: CrmAdapter = {
  type: 'moysklad',
  label: 'MoySklad',
  settings: ['baseUrl', 'token', 'organizationId', 'storeId'],
  requiredSettings: ['token', 'organizationId'],
  secretSettings: ['token'],
  // MoySklad (api-remap-1.2-doc md/_restrictions.md): 45 request units per 3 s per user or solution,
  // and since 1 Dec 2026 a request with a user's token costs 4 units (11 per 3 s); a solution token
  // may lift it with the integration's rateLimit. At most 5 parallel requests per user or solution.
  rateLimit: { count: 11, perMs: 3000, parallel: 5 },

  async create(lead, ctx) {
    const existing = await firstRow(ctx, 'customerorder', `externalCode=${lead.id}`);
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

  async listFields(ctx) {
    const metadata = (await call(ctx, 'GET', '/entity/customerorder/metadata')).body as { states?: { id: string; name: string }[] };
    const fields: CrmField[] = [
      { key: 'state', label: 'Order status', type: 'state', options: (metadata.states ?? []).map((s) => ({ value: s.id, label: s.name })) },
      { key: 'existing_good_uuid', label: 'Product id (one or a list)', type: 'uuid' },
      { key: 'count', label: 'Quantity (default 1)', type: 'double' },
      { key: 'sum', label: 'Price per item, roubles', type: 'double' },
      { key: 'discount', label: 'Discount, %', type: 'double' },
      { key: 'vat', label: 'VAT, %', type: 'long' },
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

  testConnection(ctx) {
    return checkConnection(async () => {
      const me = (await call(ctx, 'GET', '/context/employee')).body as { name?: string };
      const org = (await call(ctx, 'GET', `/entity/organization/${encodeURIComponent(setting(ctx, 'organizationId'))}`)).body as { name?: string };
      return `connected to MoySklad as ${me.name ?? '?'}, organization "${org.name ?? '?'}"`;
    });
  },
};
