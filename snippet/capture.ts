// Turns submit and click events into lead values: matching, validity, sites, rules, the repeat guard.
// Runs synchronously inside the event (the page may navigate right after) and never touches the event.
import { M } from './messages.ts';
import type { PublicFormConfig } from '../shared/form-config.ts';
import type { Log } from './log.ts';
import { evalForm, fieldNames, type FormValues } from './rules.ts';
import { clickScope } from './scope.ts';
import { siteApplies } from './sites.ts';

/** Gives a lead's values once a form matched and passed every check. */
export type Emit = (form: PublicFormConfig, values: FormValues) => void;

export interface Handlers {
  submit_(e: Event): void;
  click_(e: Event): void;
}

/** el.closest(selector), where a bad selector in the config is a debug message, not an exception. */
function closest(el: Element | null, selector: string, log: Log): Element | null {
  try {
    return el && el.closest(selector);
  } catch {
    log(M.BadSelector, selector);
    return null;
  }
}

/**
 * `forms` gives the current configs; `isRepeat` is the repeat guard (repeat-guard.ts); `miss` hears of a
 * submitted form that no config matched (missed.ts).
 */
export function createCapture(
  forms: () => PublicFormConfig[],
  isRepeat: (formId: string, values: string) => boolean,
  emit: Emit,
  log: Log,
  miss: (form: HTMLFormElement) => void,
): Handlers {
  function take(form: PublicFormConfig, scope: ParentNode, submitter: Element | null) {
    if (!siteApplies(location.hostname, form.sites, form.excludeSites)) return log(M.NotOnSite, form.id);
    const values = evalForm(form, scope, submitter, log);
    if (typeof values == 'string') return log(M.Required, form.id, values);
    // A form with `confirm` needs no repeat guard: a newer capture replaces the one still waiting (confirm.ts).
    if (!form.confirm && isRepeat(form.id, JSON.stringify(values))) return log(M.Repeat, form.id);
    log(M.Match, form.id, values);
    emit(form, values);
  }

  const active = (trigger: string) => forms().filter((f) => f.enabled !== false && f.trigger == trigger);
  // composedPath()[0] is the real target even inside a shadow root.
  const target = (e: Event) => e.composedPath()[0] as Element;

  return {
    submit_(e) {
      const form = target(e) as HTMLFormElement;
      const submitter = (e as SubmitEvent).submitter as HTMLButtonElement | null;
      let hit: unknown;
      for (const config of active('submit')) {
        if (!closest(form, config.selector, log) && !closest(submitter, config.selector, log)) continue;
        hit = 1;
        // The browser would block this submission: the visitor fixes it and submits again.
        if (!form.noValidate && !(submitter && submitter.formNoValidate) && !form.checkValidity()) log(M.Invalid, config.id);
        else take(config, form, submitter);
      }
      if (!hit) miss(form);
    },
    click_(e) {
      for (const config of active('click')) {
        const el = closest(target(e), config.selector, log);
        if (el) take(config, clickScope(el, fieldNames(config)), el);
      }
    },
  };
}

/** One capture-phase listener per event type; shadow roots get their own `submit` listener (it is not composed). */
export function listen(doc: Document, handlers: Handlers, wrap: (f: (e: Event) => void) => (e: Event) => void): void {
  const submit = wrap(handlers.submit_);
  // A form in a shadow root is only reachable from inside it: its root is found from the composed events
  // (focus, clicks) that come before any submit. Adding the same listener again is a no-op.
  const watch = wrap((e) => {
    for (const n of e.composedPath() as Node[]) if (n.nodeType == 11) n.addEventListener('submit', submit, true);
  });
  doc.addEventListener('submit', submit, true);
  doc.addEventListener('click', wrap(handlers.click_), true);
  for (const type of ['focusin', 'click']) doc.addEventListener(type, watch, true);
}
