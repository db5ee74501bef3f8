// A lead as a MoySklad customer order: its counterparty, goods as positions, its state (the mapping:
// moysklad.ts's header; docs/architecture.md "CRM adapters").
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { asInteger, asList, asNumber, asText, setting } from './adapter-kit.ts';
import { CrmError, type CrmContext } from './types.ts';
import { type Meta, meta, call, findRows, attributes } from './moysklad-api.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The reference article's keys for MoySklad; any other key is a custom attribute (by id or name). */
const KNOWN_KEYS = new Set([
  'state', 'currency_uuid', 'project_uuid', 'contract_uuid', 'owner_uid', 'existing_store_uuid', 'existing_organization_uuid',
  'existing_counterparty_uuid', 'existing_good_uuid', 'uuid', 'count', 'discount', 'vat', 'sum',
]);

const COUNTERPARTY_PROPS = new Set(['name', 'legalTitle', 'legalAddress', 'actualAddress', 'inn', 'kpp', 'ogrn', 'description', 'companyType', 'code']);

const digits = (s: unknown) => (typeof s === 'string' ? s.replace(/\D/g, '') : '');

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

export async function buildOrder(lead: Lead, ctx: CrmContext): Promise<Record<string, unknown>> {
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
