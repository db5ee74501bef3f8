// Reads a named control's value the way SPEC §5 `field` rules say. Works on a <form> or any container.
type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement;

/** The controls of a form (including those attached with form="id") or those inside a container. */
export function controlsOf(scope: ParentNode): Control[] {
  return Array.from((scope as HTMLFormElement).elements || scope.querySelectorAll('input,select,textarea,button')) as Control[];
}

export function hasControl(scope: ParentNode, name: string): boolean {
  return controlsOf(scope).some((c) => c.name == name);
}

/**
 * The value of the controls named `name`: checked radios/checkboxes and selected options joined with ", ".
 * Password and file inputs are never read; a button counts only when it is the submitter.
 */
export function readField(scope: ParentNode, name: string, submitter?: Element | null): string {
  const values: string[] = [];
  const list = controlsOf(scope);
  if (submitter && !list.includes(submitter as Control)) list.push(submitter as Control);
  for (const c of list) {
    const type = c.type;
    if (c.name != name || /^(password|file)$/.test(type)) continue;
    if (/^(submit|button|reset|image)$/.test(type)) {
      if (c == submitter) values.push(c.value);
    } else if (/^(radio|checkbox)$/.test(type)) {
      if ((c as HTMLInputElement).checked) values.push(c.value);
    } else if (c.tagName == 'SELECT') {
      for (const o of Array.from((c as HTMLSelectElement).selectedOptions)) values.push(o.value);
    } else values.push(c.value);
  }
  return values.filter(Boolean).join(', ');
}
