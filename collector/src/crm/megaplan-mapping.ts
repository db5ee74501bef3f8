// A lead as Megaplan's client card and deal bodies, and a note as its HTML comment (the mapping:
// megaplan.ts's header; docs/architecture.md "CRM adapters").
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { firstValue } from './adapter-kit.ts';
import { splitName } from './person-name.ts';
import { CrmError } from './types.ts';

export function single(v: FieldValue): string {
  return firstValue(v) ?? '';
}

export interface Ref {
  contentType: string;
  id: string;
}

/** The client card made for the lead, or null when the lead names nobody. */
export function megaplanContractorBody(lead: Lead): Record<string, unknown> | null {
  const contactInfo: Record<string, unknown>[] = [];
  if (lead.phone) contactInfo.push({ contentType: 'ContactInfo', type: 'phone', value: lead.phone, isMain: true });
  if (lead.email) contactInfo.push({ contentType: 'ContactInfo', type: 'email', value: lead.email, isMain: !lead.phone });
  if (!lead.name && !contactInfo.length && !Object.keys(lead.clientFields).length) return null;
  const name = splitName(lead.name);
  const parts: Record<string, string> = { firstName: name.first || lead.phone || lead.email };
  if (name.last) parts.lastName = name.last;
  if (name.middle) parts.middleName = name.middle;
  return { contentType: 'ContractorHuman', ...parts, contactInfo, ...lead.clientFields };
}

/** The deal's currency: an ISO 4217 code from the `currency` setting, RUB by default. */
export function currencyOf(settings: Record<string, string>): string {
  const code = (settings.currency?.trim() || 'RUB').toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new CrmError(`Megaplan: the currency setting "${settings.currency}" is not a 3-letter ISO code (RUB, USD, KZT…)`, { permanent: true });
  return code;
}

/** The deal body; `program` and `contractor` are resolved by the caller. */
export function megaplanDealBody(lead: Lead, program: Ref, contractor: Ref | null, currency = 'RUB'): Record<string, unknown> {
  const deal: Record<string, unknown> = { contentType: 'Deal', program };
  if (contractor) deal.contractor = contractor;
  if (lead.title) deal.name = lead.title;
  if (lead.comment) deal.description = lead.comment;
  for (const [key, value] of Object.entries(lead.fields)) {
    if (key === 'program') continue;
    if (key === 'Cost' || key === 'price') {
      const amount = Number(single(value).replace(',', '.'));
      if (!Number.isFinite(amount)) throw new CrmError(`Megaplan: ${key} "${single(value)}" is not a number`, { permanent: true });
      deal.price = { contentType: 'Money', value: amount, currency };
    } else if (key === 'manager') {
      deal.manager = { contentType: 'Employee', id: single(value) };
    } else {
      deal[key] = value;
    }
  }
  return deal;
}

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
