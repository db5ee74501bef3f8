// A lead as RetailCRM's order (its own properties, custom fields, the split name) and the customer's
// custom fields, with where each refusable value came from (retailcrm.ts's header;
// docs/architecture.md "CRM adapters").
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { asInteger, asNumber, asText, convertField, looksLikeEmail } from './adapter-kit.ts';
import { splitName } from './person-name.ts';

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
export type FieldSources = Map<string, { key: string; in: 'fields' | 'clientFields' }>;

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
