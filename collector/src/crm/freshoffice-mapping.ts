// A lead as FreshOffice's company and deal bodies (the mapping: freshoffice.ts's header;
// docs/architecture.md "CRM adapters").
import type { Lead } from '../../../shared/schemas.ts';
import { asText } from './adapter-kit.ts';

/** The reference article's FreshOffice field names (API 1.0) and their API 2.0 names. */
const ALIASES: Record<string, string> = { id_status_deal: 'status_id', summa: 'sum', id_manager: 'user_id' };
/** Counterparty attributes among the extra fields. */
const COMPANY_KEYS = new Set(['person']);
/** deal/insert's own parameters that a form may set (the rest are filled in here). */
const DEAL_KEYS = new Set(['sum', 'type_id', 'status_id', 'user_id']);
/** Note labels for the keys that go into the note. */
const NOTE_LABELS: Record<string, string> = { chance: 'Вероятность, %' };

export function numeric(v: string): number | string {
  return /^-?\d+(\.\d+)?$/.test(v.trim()) ? Number(v) : v;
}

function day(iso: string, plusDays = 0): string {
  const d = new Date(iso);
  const t = Number.isNaN(d.getTime()) ? Date.now() : d.getTime();
  return new Date(t + plusDays * 86_400_000).toISOString().slice(0, 10);
}

/** The counterparty the lead becomes. */
export function freshofficeCompanyBody(lead: Lead): Record<string, unknown> {
  const body: Record<string, unknown> = { name: lead.name || lead.phone || lead.email || lead.title || 'Заявка с сайта' };
  if (lead.phone) body.phone = lead.phone;
  if (lead.email) body.email = lead.email;
  for (const [k, v] of Object.entries(lead.fields)) if (COMPANY_KEYS.has(k)) body[k] = Array.isArray(v) ? v : numeric(v);
  for (const [k, v] of Object.entries(lead.clientFields)) body[k] = v;
  return body;
}

export interface DealKind {
  typeId: number | string;
  statusId: number | string;
}

/** The deal; `userId` is the responsible user when the lead's fields name none; `kind` its type and status. */
export function freshofficeDealBody(lead: Lead, companyId: number | string, userId: number | string | null, kind: DealKind): Record<string, unknown> {
  const deal: Record<string, unknown> = {
    name: lead.title || 'Заявка с сайта',
    company_id: companyId,
    type_id: kind.typeId,
    status_id: kind.statusId,
    date_start: day(lead.createdAt),
    date_finish: day(lead.createdAt, 1),
  };
  if (userId !== null) deal.user_id = userId;
  const noteLines: string[] = [];
  for (const [key, value] of Object.entries(lead.fields)) {
    if (COMPANY_KEYS.has(key)) continue;
    const name = ALIASES[key] ?? key;
    if (name === 'type_id' || name === 'status_id') continue; // resolved into `kind`
    if (DEAL_KEYS.has(name)) deal[name] = Array.isArray(value) ? value : numeric(value);
    else noteLines.push(`${NOTE_LABELS[key] ?? key}: ${asText(value)}`);
  }
  const note = [lead.comment, noteLines.join('\n')].filter((t) => t.trim()).join('\n\n');
  if (note) deal.note = note;
  return deal;
}
