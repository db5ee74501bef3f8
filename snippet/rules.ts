// Evaluates a form config's rules (docs/http-api.md "Form config") against a form or click scope into lead values.
import { M } from './messages.ts';
import type { FieldRule, LeadFieldName, PublicFormConfig } from '../shared/form-config.ts';
import { readField } from './fields.ts';
import type { Log } from './log.ts';

export interface FormValues {
  name?: string;
  phone?: string;
  email?: string;
  comment?: string;
  fields: Record<string, string>;
}

export const LEAD_FIELDS: LeadFieldName[] = ['name', 'phone', 'email', 'comment'];

/** A `js` rule: a function body run with `this` as the scope. new Function throws EvalError under a strict CSP. */
export function runJs(body: string, self: unknown, log: Log): string {
  try {
    // null/undefined are empty, an array is joined, anything else becomes text.
    return ([] as unknown[]).concat(new Function(body).call(self) ?? []).join(', ');
  } catch (e) {
    log(M.JsRuleFailed, body, e);
    return '';
  }
}

export function evalRule(rule: FieldRule, scope: ParentNode, submitter: Element | null, log: Log): string {
  if (rule.source == 'field') return readField(scope, rule.value, submitter);
  if (rule.source == 'js') return runJs(rule.value, scope, log);
  // static: {variables} are left for the collector to expand; a single space means "empty".
  return rule.value == ' ' ? '' : rule.value;
}

type Rule = FieldRule & { key?: string };

/** Every rule of a form: [name, phone, email, comment] (when set) then the extra fields. */
const rulesOf = (form: PublicFormConfig): [string, Rule][] =>
  LEAD_FIELDS.map((k): [string, Rule | undefined] => [k, form.fields[k]])
    .concat(form.extraFields.map((r) => [r.key, r]))
    .filter((e): e is [string, Rule] => !!e[1]);

/** The `name` attributes the config reads, to find a click form's scope. */
export function fieldNames(form: PublicFormConfig): string[] {
  return rulesOf(form)
    .filter((e) => e[1].source == 'field')
    .map((e) => e[1].value);
}

/** The lead values, or the key of a required value that is empty (then no lead is made). */
export function evalForm(form: PublicFormConfig, scope: ParentNode, submitter: Element | null, log: Log): FormValues | string {
  const out: FormValues = { fields: {} };
  for (const [key, rule] of rulesOf(form)) {
    const v = evalRule(rule, scope, submitter, log);
    if (rule.required && !v.trim()) return key;
    if (rule.key) out.fields[key] = v;
    else out[key as LeadFieldName] = v;
  }
  return out;
}
