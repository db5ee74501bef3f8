// Missed forms (docs/http-api.md "Missed forms"; docs/data-model.md "missed_forms"): forms the
// snippet saw submitted that no enabled form config matched, kept by structure only (selector, field
// names and types, pages without their query string), never a typed value. Anyone can report, so
// every part is bounded per project: MISSED_LIMITS below.
import { z } from 'zod';
import type { FormConfig } from '../../shared/form-config.ts';
import type { Db } from './store/db.ts';
import { num } from './store/rows.ts';

export const MISSED_LIMITS = {
  /** Selectors kept per project; past it the one seen least recently is dropped. */
  selectorsPerProject: 100,
  /** Pages kept per selector, the most recent first. */
  pagesPerSelector: 10,
  /** Fields kept per form (the first ones, one per name); a report may list more, up to `fieldsInReport`. */
  fields: 50,
  fieldsInReport: 500,
  selectorLength: 500,
  pageLength: 2000,
  fieldNameLength: 200,
  fieldTypeLength: 32,
} as const;

/** One control of the form: its `name` and `type`. Any other key (a `value`) is dropped, never kept. */
const MissedField = z.object({
  name: z.string().max(MISSED_LIMITS.fieldNameLength),
  type: z.string().max(MISSED_LIMITS.fieldTypeLength).default(''),
});

export const MissedFormReport = z.object({
  selector: z.string().trim().min(1, 'the form\'s CSS selector is required').max(MISSED_LIMITS.selectorLength),
  page: z.string().max(MISSED_LIMITS.pageLength).default(''),
  fields: z.array(MissedField).max(MISSED_LIMITS.fieldsInReport, `at most ${MISSED_LIMITS.fieldsInReport} fields`).default([]),
});
export type MissedFormReport = z.infer<typeof MissedFormReport>;

export interface MissedFieldView {
  name: string;
  type: string;
}

export interface MissedForm {
  selector: string;
  fields: MissedFieldView[];
  pages: string[];
  submits: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

/** A page as kept: without its query string and fragment (they may carry a visitor's data). */
export function pageWithoutQuery(page: string): string {
  return page.replace(/[?#].*$/s, '');
}

/** The fields to keep: named ones, once per name (a radio group is one field), the first MISSED_LIMITS.fields. */
export function keptFields(fields: MissedFormReport['fields']): MissedFieldView[] {
  const seen = new Set<string>();
  const kept: MissedFieldView[] = [];
  for (const f of fields) {
    if (f.name === '' || seen.has(f.name)) continue;
    seen.add(f.name);
    kept.push({ name: f.name, type: f.type });
    if (kept.length === MISSED_LIMITS.fields) break;
  }
  return kept;
}

/** Stores one report: a new selector, or one more submit (and page, and its current fields) of a known one. */
export async function recordMissedForm(db: Db, projectId: string, report: MissedFormReport, now: number): Promise<void> {
  const fields = keptFields(report.fields);
  const page = pageWithoutQuery(report.page);
  const known = await db.get('SELECT pages FROM missed_forms WHERE project_id = ? AND selector = ?', [projectId, report.selector]);
  const before = known ? (JSON.parse(String(known.pages)) as string[]) : [];
  const pages = page ? [page, ...before.filter((p) => p !== page)].slice(0, MISSED_LIMITS.pagesPerSelector) : before;
  const upsert = {
    sql: `INSERT INTO missed_forms (project_id, selector, fields, pages, submits, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, 1, ?, ?)
          ON CONFLICT (project_id, selector) DO UPDATE SET fields = excluded.fields, pages = excluded.pages,
            submits = missed_forms.submits + 1, last_seen_at = excluded.last_seen_at`,
    params: [projectId, report.selector, JSON.stringify(fields), JSON.stringify(pages), now, now],
  };
  if (known) {
    await db.run(upsert.sql, upsert.params);
    return;
  }
  // A new selector: keep only the project's most recently seen ones.
  await db.batch([
    upsert,
    {
      sql: `DELETE FROM missed_forms WHERE project_id = ? AND selector NOT IN
              (SELECT selector FROM missed_forms WHERE project_id = ? ORDER BY last_seen_at DESC, selector LIMIT ?)`,
      params: [projectId, projectId, MISSED_LIMITS.selectorsPerProject],
    },
  ]);
}

/**
 * The parts of a comma-separated selector list, split at top-level commas only (`:is(a, b)` stays
 * whole; commas inside quotes or brackets too), trimmed.
 */
export function selectorParts(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < selector.length; i++) {
    const ch = selector[i]!;
    if (quote) {
      if (ch === '\\') i++;
      else if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '\\') i++;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth = Math.max(0, depth - 1);
    else if (ch === ',' && depth === 0) {
      parts.push(selector.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(selector.slice(start));
  return parts.map((p) => p.trim()).filter(Boolean);
}

/**
 * Whether an enabled form config now covers this reported selector: the config's selector, or one
 * of its comma-separated parts, is exactly the reported one (whitespace at the ends aside).
 */
export function coveredByConfig(selector: string, forms: readonly FormConfig[]): boolean {
  const wanted = selector.trim();
  return forms.some((f) => f.enabled && (f.selector.trim() === wanted || selectorParts(f.selector).includes(wanted)));
}

/** The project's missed forms, newest (last seen) first, without those an enabled config now covers. */
export async function listMissedForms(db: Db, projectId: string, forms: readonly FormConfig[]): Promise<MissedForm[]> {
  const rows = await db.all('SELECT * FROM missed_forms WHERE project_id = ? ORDER BY last_seen_at DESC, selector', [projectId]);
  return rows
    .map((r) => ({
      selector: String(r.selector),
      fields: JSON.parse(String(r.fields)) as MissedFieldView[],
      pages: JSON.parse(String(r.pages)) as string[],
      submits: num(r.submits),
      firstSeenAt: new Date(num(r.first_seen_at)).toISOString(),
      lastSeenAt: new Date(num(r.last_seen_at)).toISOString(),
    }))
    .filter((m) => !coveredByConfig(m.selector, forms));
}
