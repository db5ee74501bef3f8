// CSV export of leads. Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
// are prefixed with a quote: a visitor's typed text must never become a formula on the marketer's machine.
// The XLSX export (xlsx.ts) takes the same table and needs no such quote: its cells are typed text.
import type { FieldValue, Lead } from '../../../shared/schemas.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown, separator: ',' | ';' = ','): string {
  let text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /["\r\n]/.test(text) || text.includes(separator) ? `"${text.replace(/"/g, '""')}"` : text;
}

const BASE_COLUMNS: [string, (lead: Lead) => unknown][] = [
  ['id', (l) => l.id],
  ['createdAt', (l) => l.createdAt],
  ['status', (l) => l.status],
  ['crmId', (l) => l.crmId],
  ['attemptCount', (l) => l.attemptCount],
  ['lastError', (l) => l.lastError],
  ['nextAttemptAt', (l) => l.nextAttemptAt],
  ['duplicateOf', (l) => l.duplicateOf],
  ['source', (l) => l.source],
  ['formId', (l) => l.formId],
  ['visit', (l) => l.visit],
  ['title', (l) => l.title],
  ['name', (l) => l.name],
  ['phone', (l) => l.phone],
  ['email', (l) => l.email],
  ['comment', (l) => l.comment],
  ['page', (l) => l.page],
  ['referrer', (l) => l.referrer],
  ['landingPage', (l) => l.landingPage],
  ['utm_source', (l) => l.utm?.source],
  ['utm_medium', (l) => l.utm?.medium],
  ['utm_campaign', (l) => l.utm?.campaign],
  ['utm_term', (l) => l.utm?.term],
  ['utm_content', (l) => l.utm?.content],
  ['ip', (l) => l.ip],
];

export type Cell = string | number | null;

/** The export's table: a header and one row per lead; every extra-field key seen in any lead gets its own `fields.<key>` column. */
export function leadTable(leads: Lead[]): { header: string[]; rows: Cell[][] } {
  const fieldKeys = [...new Set(leads.flatMap((l) => Object.keys(l.fields ?? {})))].sort();
  const header = [...BASE_COLUMNS.map(([name]) => name), ...fieldKeys.map((k) => `fields.${k}`)];
  const cell = (v: unknown): Cell => (v === null || v === undefined ? null : typeof v === 'number' ? v : Array.isArray(v) ? v.join(', ') : String(v));
  const rows = leads.map((lead) => [...BASE_COLUMNS.map(([, get]) => cell(get(lead))), ...fieldKeys.map((k) => cell(lead.fields?.[k] as FieldValue | undefined))]);
  return { header, rows };
}

/**
 * CSV with the list separator a spreadsheet of the user's locale expects: `;` where the decimal sign
 * is a comma (ru-RU, de-DE…), else `,`. Excel opens such a file in columns.
 */
export function csvSeparatorFor(locale: string): ',' | ';' {
  const decimal = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')?.value;
  return decimal === ',' ? ';' : ',';
}

export function leadsToCsv(leads: Lead[], separator: ',' | ';' = ','): string {
  const { header, rows } = leadTable(leads);
  return [header, ...rows].map((r) => r.map((c) => csvCell(c, separator)).join(separator)).join('\r\n') + '\r\n';
}
