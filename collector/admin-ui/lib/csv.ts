// CSV export of leads. Cells that a spreadsheet would run as a formula (=, +, -, @, tab, CR)
// are prefixed with a quote: a visitor's typed text must never become a formula on the marketer's machine.
import type { FieldValue, Lead } from '../../../shared/schemas.ts';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: unknown): string {
  let text = value === null || value === undefined ? '' : Array.isArray(value) ? value.join(', ') : String(value);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
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

/** One row per lead; every extra-field key seen in any lead gets its own `fields.<key>` column. */
export function leadsToCsv(leads: Lead[]): string {
  const fieldKeys = [...new Set(leads.flatMap((l) => Object.keys(l.fields ?? {})))].sort();
  const header = [...BASE_COLUMNS.map(([name]) => name), ...fieldKeys.map((k) => `fields.${k}`)];
  const rows = leads.map((lead) => [
    ...BASE_COLUMNS.map(([, get]) => csvCell(get(lead))),
    ...fieldKeys.map((k) => csvCell(lead.fields?.[k] as FieldValue | undefined)),
  ]);
  return [header.map(csvCell), ...rows].map((r) => r.join(',')).join('\r\n') + '\r\n';
}
