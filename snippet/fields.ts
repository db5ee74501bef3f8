// Reads a named control's value the way `field` rules say (docs/http-api.md "Form config"). Works on a <form> or any container.
type Control = HTMLInputElement & HTMLSelectElement;

/** The controls of a form (including those attached with form="id") or those inside a container. */
export const controlsOf = (scope: ParentNode): Control[] =>
  Array.from((scope as HTMLFormElement).elements || scope.querySelectorAll('input,select,textarea,button')) as Control[];

export const hasControl = (scope: ParentNode, name: string) => controlsOf(scope).some((c) => c.name == name);

/**
 * Controls no field rule reads (README "Privacy"): password, file and payment card (`autocomplete="cc-*"`) ones,
 * and any inside `[data-leadrelay-ignore]` (on the control or an ancestor, such as its form).
 */
export const unreadable = (c: Control) => /^(password|file)|cc-/.test(c.type + c.getAttribute('autocomplete')) || !!c.closest('[data-leadrelay-ignore]');

/**
 * The value of the controls named `name`: checked radios/checkboxes and selected options joined with ", ".
 * Unreadable controls (above) give nothing; a button counts only when it is the submitter.
 */
export function readField(scope: ParentNode, name: string, submitter?: Element | null): string {
  const values: string[] = [];
  const list = controlsOf(scope);
  if (submitter && !list.includes(submitter as Control)) list.push(submitter as Control);
  for (const c of list) {
    const type = c.type;
    if (
      c.name == name &&
      !unreadable(c) &&
      (/^(submit|button|reset|image)$/.test(type) ? c == submitter : /^(radio|checkbox)$/.test(type) ? c.checked : 1)
    )
      // A select gives its selected options (several when multiple); any other control its own value.
      values.push(...Array.from(c.selectedOptions || [c], (o) => o.value));
  }
  return values.filter(Boolean).join(', ');
}
