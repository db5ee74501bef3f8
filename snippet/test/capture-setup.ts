// Installs the capture listeners on the happy-dom document with given form configs; records emitted leads.
import type { PublicFormConfig } from '../../shared/form-config.ts';
import { createCapture, listen } from '../capture.ts';
import { guard } from '../log.ts';
import type { FormValues } from '../rules.ts';
import { recordingLog } from './helpers.ts';

export function setupCapture(forms: PublicFormConfig[], isRepeat: (id: string, v: string) => boolean = () => false) {
  const leads: { formId: string; values: FormValues }[] = [];
  const missed: HTMLFormElement[] = [];
  const rec = recordingLog();
  const capture = createCapture(() => forms, isRepeat, (form, values) => void leads.push({ formId: form.id, values }), rec.log, (f) => void missed.push(f));
  // A fresh document per test would be cleaner, but happy-dom shares one: remove the listeners after.
  const added: [EventTarget, string, EventListener][] = [];
  const orig = document.addEventListener.bind(document);
  document.addEventListener = ((type: string, fn: EventListener, opts?: boolean) => {
    added.push([document, type, fn]);
    orig(type, fn, opts);
  }) as typeof document.addEventListener;
  listen(document, capture, (f) => guard(rec.log, f));
  document.addEventListener = orig;
  const dispose = () => {
    for (const [t, type, fn] of added) t.removeEventListener(type, fn, true);
  };
  return { leads, missed, ...rec, dispose };
}

/** Stops the host form's own navigation (as an AJAX page does), after our capture listener ran. */
export function stopNavigation(e: Event) {
  e.preventDefault();
}
