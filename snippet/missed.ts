// Missed forms (docs/http-api.md "Seeing that a setup works"): a submit that no enabled form config matched is
// reported by its structure (selector, page, control names and types), never its values; once per
// form per page view, and never for a form inside [data-leadrelay-ignore] or an ignored control. Password, file
// and card controls are listed (a name and a type, never a value): they are part of the form's structure.
import { controlsOf } from './fields.ts';
import { selectorFor } from './selector.ts';

export function createMissed(send: (body: unknown) => unknown): (form: HTMLFormElement) => void {
  const seen = new Set<string>();
  return (form) => {
    const selector = selectorFor(form);
    if (seen.has(selector) || form.closest('[data-leadrelay-ignore]')) return;
    seen.add(selector);
    send({
      selector,
      page: location.href,
      fields: controlsOf(form)
        .filter((c) => c.name && !c.closest('[data-leadrelay-ignore]'))
        .map((c) => ({ name: c.name, type: c.type })),
    });
  };
}
