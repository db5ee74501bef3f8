// Click-trigger forms (docs/http-api.md "Form config"): fields come from the button's <form>, else from the nearest ancestor holding the named controls.
import { hasControl } from './fields.ts';

export function clickScope(el: Element, names: string[]): ParentNode {
  let n: ParentNode | null = (el as HTMLButtonElement).form || el.closest('form');
  if (n) return n;
  // Up to the document or shadow root: the first level that holds every named control (or the root).
  for (n = el; !names.every((name) => hasControl(n!, name)) && (n as Node).parentNode; ) n = (n as Node).parentNode;
  return n!;
}
