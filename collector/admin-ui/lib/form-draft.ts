// A pre-filled new form (README "Admin UI", docs/http-api.md "Missed forms"): the editor opens
// `/admin/p/{projectId}/forms/new?draft={encodeURIComponent(JSON.stringify(draft))}`, where a draft is
// a partial form config. The snippet's picker links here, and so does "Capture this form" on the
// Forms page, which guesses the lead fields from a missed form's field names and types. Pure.
import type { FieldRule, LeadFieldName } from '../../../shared/form-config.ts';
import { paths } from './routes.ts';

export interface FormDraft {
  title?: string;
  trigger?: 'submit' | 'click';
  selector?: string;
  fields?: Partial<Record<LeadFieldName, FieldRule>>;
}

/** A missed form as `GET …/missed-forms` gives it. */
export interface MissedForm {
  selector: string;
  fields: { name: string; type: string }[];
  pages: string[];
  submits: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

const FIELD_NAMES: readonly LeadFieldName[] = ['name', 'phone', 'email', 'comment'];
// Never 'js': a draft comes from a link anyone can make, and a `js` rule is code run on the site's
// pages; one saved from a link someone sent would be theirs. The picker and "Capture this form" only
// make `field` rules; a `js` rule is typed in the editor itself.
const SOURCES: readonly string[] = ['static', 'field'];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function ruleOf(v: unknown): FieldRule | null {
  if (!isObject(v) || typeof v.source !== 'string' || !SOURCES.includes(v.source) || typeof v.value !== 'string' || v.value.length > 8000) return null;
  if (v.required !== undefined && typeof v.required !== 'boolean') return null;
  return { source: v.source as FieldRule['source'], value: v.value, required: v.required === true };
}

/** The draft in a value already parsed from JSON; null when any part of it has the wrong shape. */
export function draftOf(v: unknown): FormDraft | null {
  if (!isObject(v)) return null;
  const draft: FormDraft = {};
  if (v.title !== undefined) {
    if (typeof v.title !== 'string' || v.title.length > 1024) return null;
    draft.title = v.title;
  }
  if (v.trigger !== undefined) {
    if (v.trigger !== 'submit' && v.trigger !== 'click') return null;
    draft.trigger = v.trigger;
  }
  if (v.selector !== undefined) {
    if (typeof v.selector !== 'string' || v.selector.length > 2000) return null;
    draft.selector = v.selector;
  }
  if (v.fields !== undefined) {
    if (!isObject(v.fields)) return null;
    const fields: FormDraft['fields'] = {};
    for (const [key, value] of Object.entries(v.fields)) {
      if (!FIELD_NAMES.includes(key as LeadFieldName)) return null;
      const rule = ruleOf(value);
      if (!rule) return null;
      fields[key as LeadFieldName] = rule;
    }
    draft.fields = fields;
  }
  return draft;
}

/** The draft in a page's query string: none (no `draft`), a draft, or `bad` (not JSON, or the wrong shape). */
export function draftFromSearch(search: string): { draft: FormDraft | null; bad: boolean } {
  const text = new URLSearchParams(search).get('draft');
  if (text === null) return { draft: null, bad: false };
  try {
    const draft = draftOf(JSON.parse(text));
    return { draft, bad: draft === null };
  } catch {
    return { draft: null, bad: true };
  }
}

/** The editor's address for a new form pre-filled with `draft`. */
export function draftPath(projectId: string, draft: FormDraft): string {
  return `${paths.form(projectId, null)}?draft=${encodeURIComponent(JSON.stringify(draft))}`;
}

// Names seen on real sites, English and Russian (and Russian in Latin letters).
const NAME_PATTERNS: Record<LeadFieldName, RegExp> = {
  phone: /phone|tel|mobile|телефон|тел|номер|nomer/i,
  email: /e-?mail|почт|pochta/i,
  name: /name|fio|фио|имя|imya|imja/i,
  comment: /comment|message|msg|text|question|коммент|сообщ|вопрос|примечан|wishes|пожелан/i,
};
const NEVER_A_LEAD_FIELD = new Set(['hidden', 'submit', 'button', 'reset', 'password', 'file', 'image', 'checkbox', 'radio']);

/** Which lead field a form control probably holds, by its type first, then its name; null: none. */
export function guessLeadField(field: { name: string; type: string }): LeadFieldName | null {
  const type = field.type.toLowerCase();
  if (NEVER_A_LEAD_FIELD.has(type)) return null;
  if (type === 'tel') return 'phone';
  if (type === 'email') return 'email';
  // "username", "company_name" or "utm_…" are not the visitor's name.
  const name = field.name.replace(/user-?name|company|utm_\w*/gi, '');
  for (const key of ['email', 'phone', 'name', 'comment'] as const) if (NAME_PATTERNS[key].test(name)) return key;
  if (type === 'textarea') return 'comment';
  return null;
}

/** "Capture this form": a draft with the missed form's selector and the lead fields guessed from its controls. */
export function draftFromMissed(missed: Pick<MissedForm, 'selector' | 'fields'>, title: string): FormDraft {
  const fields: FormDraft['fields'] = {};
  // A type says more than a name: place the fields guessed by type first.
  const byType = [...missed.fields].sort((a, b) => Number(['tel', 'email'].includes(b.type)) - Number(['tel', 'email'].includes(a.type)));
  for (const control of byType) {
    const key = guessLeadField(control);
    if (key && !fields[key]) fields[key] = { source: 'field', value: control.name, required: false };
  }
  return { title, trigger: 'submit', selector: missed.selector, fields };
}
