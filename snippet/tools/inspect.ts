// The inspector's report (docs/http-api.md "Seeing that a setup works"): per form config, whether it applies
// to this site, how many elements its selector matches now (open shadow roots included), and per rule
// whether its control exists and what it would read ("" for controls that are never read).
import type { FieldRule, PublicFormConfig } from '../../shared/form-config.ts';
import { controlsOf, unreadable } from '../fields.ts';
import { MESSAGES } from './messages.ts';
import { LEAD_FIELDS, evalRule, fieldNames } from '../rules.ts';
import { clickScope } from '../scope.ts';
import { siteApplies } from '../sites.ts';
import type { FieldReport, FormReport, InspectReport } from './types.ts';

/** The document and every open shadow root in it, nested ones included. */
export function roots(doc: Document): ParentNode[] {
  const out: ParentNode[] = [doc];
  for (let i = 0; i < out.length; i++)
    for (const el of Array.from(out[i]!.querySelectorAll('*'))) if (el.shadowRoot) out.push(el.shadowRoot);
  return out;
}

/** Every element matching `selector` in the document and its open shadow roots ([] for a bad selector). */
export function matching(doc: Document, selector: string): Element[] {
  try {
    return roots(doc).flatMap((r) => Array.from(r.querySelectorAll(selector)));
  } catch {
    return [];
  }
}

function inspectForm(doc: Document, form: PublicFormConfig, confirmed: Record<string, number>): FormReport {
  const els = matching(doc, form.selector);
  // The scopes the snippet would read from: a submitted form is its <form>, a clicked button its click scope.
  const scopes = els.map((el) => (form.trigger == 'click' ? clickScope(el, fieldNames(form)) : (el as HTMLFormElement).form || el.closest('form') || el));
  const rules = LEAD_FIELDS.flatMap((key): (FieldRule & { key: string })[] => (form.fields[key] ? [{ key, ...form.fields[key]! }] : [])).concat(form.extraFields);
  const fields = rules.map((rule): FieldReport => {
    const { key, source, value, required } = rule;
    if (source != 'field') return { key, source, value, required, found: true, preview: source == 'js' && !scopes[0] ? '' : evalRule(rule, scopes[0] || doc, null, () => {}) };
    const scope = scopes.find((s) => controlsOf(s).some((c) => c.name == value));
    const controls = scope ? controlsOf(scope).filter((c) => c.name == value) : [];
    const preview = !scope || controls.some(unreadable) ? '' : evalRule(rule, scope, null, () => {});
    return { key, source, value, required, found: !!scope, preview };
  });
  const report: FormReport = {
    id: form.id,
    title: form.title,
    trigger: form.trigger,
    selector: form.selector,
    applies: siteApplies(location.hostname, form.sites, form.excludeSites),
    matches: els.length,
    fields,
  };
  // A form with `confirm`: how its last lead on this page fared (waiting, confirmed, dropped and why).
  const last = confirmed[form.id];
  if (form.confirm) report.confirmation = last ? (MESSAGES[last] as string) : 'no lead yet';
  return report;
}

/** `confirmed`: s-confirm.js's record of each form's last lead on this page (confirm.ts `last`), if it is loaded. */
export function inspect(doc: Document, project: string, visit: number | null, forms: PublicFormConfig[], confirmed: Record<string, number> = {}): InspectReport {
  return { project, visit, forms: forms.filter((f) => f.enabled !== false).map((f) => inspectForm(doc, f, confirmed)) };
}
