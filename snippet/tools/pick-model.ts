// What the picker proposes for a picked element (ARCHITECTURE.md "The tools bundle"): the element a form
// config would name, its selector, trigger, fields with a guess, and the admin editor's pre-fill URL.
import type { LeadFieldName } from '../../shared/form-config.ts';
import { controlsOf, unreadable } from '../fields.ts';
import { selectorFor } from '../selector.ts';
import { guessField } from './guess.ts';

export interface PickedField {
  name: string;
  type: string;
  label: string;
  guess: LeadFieldName | '';
}

export interface Picked {
  element: Element;
  selector: string;
  trigger: 'submit' | 'click';
  fields: PickedField[];
  /** The admin editor, pre-filled (docs/http-api.md "Seeing that a setup works"). */
  url: string;
}

const BUTTON = 'button,input[type=submit],input[type=button],input[type=image],[role=button]';

/** The form or button an event target stands for: a control picks its form, a button outside one itself. */
export function pickable(target: Element): Element | null {
  const form = target.closest('form');
  if (form) return form;
  return target.closest(BUTTON);
}

/** The nearest ancestor of a button outside a form that holds text-like controls (or the root). */
function clickScope(button: Element): ParentNode {
  let n: Element | null = button;
  while (n && !n.querySelector('input:not([type=submit]):not([type=button]):not([type=hidden]),textarea,select')) n = n.parentElement;
  return n || (button.getRootNode() as ParentNode);
}

function labelOf(c: HTMLInputElement): string {
  const text = c.labels?.[0]?.textContent || c.getAttribute('aria-label') || c.placeholder || '';
  return text.trim().replace(/\s+/g, ' ');
}

export function describe(el: Element, base: string, project: string, title: string): Picked {
  const trigger = el.localName == 'form' ? 'submit' : 'click';
  const scope = trigger == 'submit' ? el : clickScope(el);
  const fields = controlsOf(scope as ParentNode)
    .filter((c) => c.name && !/^(submit|button|reset|image|hidden)$/.test(c.type) && !unreadable(c))
    .filter((c, i, all) => all.findIndex((o) => o.name == c.name) == i)
    .map((c): PickedField => {
      const type = c.localName == 'input' ? c.type : c.localName;
      const label = labelOf(c);
      return { name: c.name, type, label, guess: guessField(type, c.getAttribute('autocomplete') || '', c.name, label) };
    });
  const selector = selectorFor(el);
  const draftFields: Partial<Record<LeadFieldName, { source: 'field'; value: string; required: false }>> = {};
  for (const f of fields) if (f.guess && !draftFields[f.guess]) draftFields[f.guess] = { source: 'field', value: f.name, required: false };
  const draft = { title, trigger, selector, fields: draftFields };
  const url = `${base}/admin/p/${encodeURIComponent(project)}/forms/new?draft=${encodeURIComponent(JSON.stringify(draft))}`;
  return { element: el, selector, trigger, fields, url };
}
