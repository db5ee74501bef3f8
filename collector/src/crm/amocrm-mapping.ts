// A lead as amoCRM's complex deal (deal, contact, tags, UTM tracking fields, custom fields), with the
// body keys each value came from (amocrm.ts's header; docs/architecture.md "CRM adapters").
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { asInteger, asList, asNumber, asText, convertField, dealTitle } from './adapter-kit.ts';

/** Deal properties that are not custom fields (the reference article's examples). */
const NUMERIC_LEAD_PROPS = ['price', 'responsible_user_id', 'status_id', 'pipeline_id'] as const;

const CONTACT_PROPS = ['first_name', 'last_name', 'name'] as const;

interface CustomFieldValue {
  field_id?: number;
  field_code?: string;
  values: ({ value: string } | { enum_id: number } | { value: string; enum_code: string })[];
}

/** The deal's tracking_data fields every account has, by code, and the visit's UTM tag each takes. */
const UTM_FIELD_CODES = { UTM_SOURCE: 'source', UTM_MEDIUM: 'medium', UTM_CAMPAIGN: 'campaign', UTM_TERM: 'term', UTM_CONTENT: 'content' } as const;

/** Field id → its enum ids, for the list fields (select, radiobutton…) of the account's deals. */
export type EnumIds = Map<number, Set<number>>;

/**
 * A custom field: numeric keys are field ids, other keys field codes (e.g. UTM_SOURCE).
 * List values (multiselect) are enum ids when numeric, as amoCRM expects them; a single value is an
 * enum id when the field is a list field with that enum (amoCRM refuses an id sent as `value`).
 */
function customField(key: string, v: FieldValue, enums: EnumIds): CustomFieldValue {
  const id = /^\d+$/.test(key) ? Number(key) : null;
  const single = (item: string) => (id !== null && /^\d+$/.test(item) && enums.get(id)?.has(Number(item)) ? { enum_id: Number(item) } : { value: item });
  const values = Array.isArray(v)
    ? v.map((item) => (/^\d+$/.test(item) ? { enum_id: Number(item) } : { value: item }))
    : [single(v)];
  return id !== null ? { field_id: id, values } : { field_code: key, values };
}

/** The form's `tags`: numbers are ids of existing tags, other words tag names (comma-separated). */
function tagList(value: FieldValue): ({ id: number } | { name: string })[] {
  return asList(value)
    .flatMap((t) => t.split(','))
    .map((t) => t.trim())
    .filter(Boolean)
    .map((t) => (/^\d+$/.test(t) ? { id: Number(t) } : { name: t }));
}

/** Where each part of a leads/complex body came from in the lead, to name a refused field by its form key. */
export interface BodyKeys {
  /** Deal property (price, status_id…) or `custom_fields_values.N` → the key in `lead.fields`. */
  deal: Map<string, string>;
  /** `custom_fields_values.N` of the contact, or a contact property → the key in `lead.clientFields`. */
  contact: Map<string, string>;
}

/** The visit's UTM tags as deal fields by code, unless the form sets that code itself. */
export function utmFields(lead: Lead): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [code, tag] of Object.entries(UTM_FIELD_CODES)) if (lead.utm[tag]) out[code] = lead.utm[tag];
  return out;
}

/** The request body for leads/complex: one deal with its contact, as amoCRM documents it. */
export function amoComplexLead(lead: Lead, enums: EnumIds = new Map()): { body: Record<string, unknown>; keys: BodyKeys } {
  const keys: BodyKeys = { deal: new Map(), contact: new Map() };
  const deal: Record<string, unknown> = {
    name: dealTitle(lead.title, lead.name, lead.phone, lead.email),
    // Echoed back by amoCRM in the answer; amoCRM does not deduplicate by it.
    request_id: lead.id,
  };
  const dealFields: CustomFieldValue[] = [];
  let tags: ({ id: number } | { name: string })[] = [];
  for (const [key, value] of Object.entries(lead.fields)) {
    if ((NUMERIC_LEAD_PROPS as readonly string[]).includes(key)) {
      deal[key] = convertField(key, 'fields', () => (key === 'price' ? Math.round(asNumber(key, value)) : asInteger(key, value)));
      keys.deal.set(key, key);
    } else if (key === 'tags') {
      tags = tagList(value);
      keys.deal.set('_embedded.tags', key);
    } else if (key === 'name') {
      deal.name = asText(value);
    } else {
      keys.deal.set(`custom_fields_values.${dealFields.length}`, key);
      dealFields.push(customField(key, value, enums));
    }
  }
  if (dealFields.length) deal.custom_fields_values = dealFields;

  const contact: Record<string, unknown> = {};
  const contactFields: CustomFieldValue[] = [];
  if (lead.name) contact.name = lead.name;
  if (lead.phone) contactFields.push({ field_code: 'PHONE', values: [{ value: lead.phone, enum_code: 'WORK' }] });
  if (lead.email) contactFields.push({ field_code: 'EMAIL', values: [{ value: lead.email, enum_code: 'WORK' }] });
  for (const [key, value] of Object.entries(lead.clientFields)) {
    if ((CONTACT_PROPS as readonly string[]).includes(key)) contact[key] = asText(value);
    else if (key === 'responsible_user_id') contact[key] = convertField(key, 'clientFields', () => asInteger(key, value));
    else {
      keys.contact.set(`custom_fields_values.${contactFields.length}`, key);
      contactFields.push(customField(key, value, new Map()));
      continue;
    }
    keys.contact.set(key, key);
  }
  if (contactFields.length) contact.custom_fields_values = contactFields;

  const embedded: Record<string, unknown> = {};
  if (tags.length) embedded.tags = tags;
  if (Object.keys(contact).length) embedded.contacts = [contact];
  if (Object.keys(embedded).length) deal._embedded = embedded;
  return { body: deal, keys };
}
