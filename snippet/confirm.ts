// Confirmation conditions (ARCHITECTURE.md "Confirmation"): a lead of a form with `confirm` is captured at the
// click or submit but waits, kept in the outbox marked pending, until the site shows that it took the form: an
// element matching `selector` becomes visible, an event named `event` reaches the page, or (trigger submit) the
// page unloads. Else it is dropped at its deadline. A later page takes up what an unloaded page left (queue.ts).
import type { SiteLeadBody } from '../shared/schemas.ts';
import type { PublicFormConfig } from '../shared/form-config.ts';
import { guard, type Log } from './log.ts';
import type { Queue } from './queue.ts';

type Settle = (ok?: unknown, why?: string) => void;

/** Returns `hold`: a captured lead of a form with `confirm` is stored pending and watched on this page. */
export function createWaits(win: Window, queue: Queue, now: () => number, log: Log) {
  const doc = win.document;
  // The lead waiting on this page, by form: a newer capture of that form replaces it (the visitor fixed the form).
  const live: Record<string, Settle> = {};

  return (form: PublicFormConfig, body: SiteLeadBody) => {
    const c = form.confirm!;
    const id = body.clientId;
    const t = now() + c.seconds * 1e3;
    const e = { id, at: now(), body, w: t, u: form.trigger == 'submit' };
    // Visible: laid out (display:none on it or an ancestor gives no box). A bad selector throws: see the timer.
    const shown = () => [...doc.querySelectorAll(c.selector!)].filter((el) => el.getClientRects().length);
    // What is visible already at the capture does not confirm it: an element must become visible.
    let seen: Element[] = [];
    guard(log, () => (seen = shown()))();
    // Settles once (later calls, from listeners left in place, do nothing).
    const settle: Settle = (ok, why = 'not confirmed') => {
      if (live[form.id] != settle) return;
      delete live[form.id];
      clearInterval(timer);
      if (ok && now() < t) log('confirmed', id), queue.release(e);
      else queue.drop(id, 'dropped: ' + why);
    };
    const yes = () => settle(1);
    if (live[form.id]) live[form.id]!('', 'replaced');
    live[form.id] = settle;
    queue.hold(e);
    // A cheap check five times a second, only while the lead waits: the deadline, then the selector (guarded: a
    // bad selector is a debug line, and the deadline still drops the lead).
    const timer = setInterval(
      guard(log, () => {
        if (now() > t) return settle();
        const vis = shown();
        vis.some((el) => !seen.includes(el)) ? yes() : (seen = vis);
      }),
      200,
    );
    if (c.event) win.addEventListener(c.event, yes, true);
    if (e.u) win.addEventListener('pagehide', yes);
  };
}
