// Confirmation conditions (ARCHITECTURE.md "Confirmation"): a lead of a form with `confirm` is captured at the
// click or submit but waits, kept in the outbox marked pending, until the site shows that it took the form: an
// element matching `selector` becomes visible, an event named `event` reaches the page, or (trigger submit) the
// page unloads. Else it is dropped at its deadline. A later page takes up what an unloaded page left (queue.ts).
// Built on its own as dist/s-confirm.js, which s.js imports once the config holds a form with `confirm`
// (confirm-loader.ts); it is not part of s.js.
import type { PublicFormConfig } from '../shared/form-config.ts';
import { guard, type Log } from './log.ts';
import { M } from './messages.ts';
import type { Entry, Queue } from './queue.ts';
import { shown } from './visible.ts';

type Settle = (ok?: unknown, why?: M) => void;

/** How the last lead of each form (by id) fared on this page, for the inspector (tools/inspect.ts). */
export const last: Record<string, M> = {};

/** Returns `hold`: a captured lead of a form with `confirm` is stored pending and watched on this page. */
export function createWaits(win: Window, queue: Queue, now: () => number, log: Log) {
  const doc = win.document;
  // The lead waiting on this page, by form: a newer capture of that form replaces it (the visitor fixed the form).
  const live: Record<string, Settle> = {};

  /**
   * `e` is the lead as s.js stored it, pending (confirm-loader.ts); `seen`: the matches of the selector visible at
   * its capture, which do not confirm it (an element must become visible); `fired`: its event came already.
   */
  return (form: PublicFormConfig, e: Entry & { w: number }, seen: Element[], fired?: unknown) => {
    const c = form.confirm!;
    const id = e.id;
    const t = e.w;
    // Settles once (later calls, from listeners left in place, do nothing).
    const settle: Settle = (ok, why = M.NotConfirmed) => {
      if (live[form.id] != settle) return;
      delete live[form.id];
      clearInterval(timer);
      if (ok && now() < t) {
        // Stored unmarked, then sent: the put is queued before the send's delete (IndexedDB runs them in order), so
        // an acknowledged lead stays gone, and one that is not is an ordinary queued lead from then on.
        log((last[form.id] = M.Confirmed), id);
        delete (e as Entry).w;
        queue.hold(e);
        queue.send(e);
      }
      else queue.drop(id, (last[form.id] = why));
    };
    const yes = () => settle(1);
    if (live[form.id]) live[form.id]!(0, M.Replaced);
    live[form.id] = settle;
    last[form.id] = M.Waiting;
    // A cheap check five times a second, only while the lead waits: the deadline, then the selector (guarded: a
    // bad selector is a debug line, and the deadline still drops the lead).
    const timer = setInterval(
      guard(log, () => {
        if (now() > t) return settle();
        const vis = shown(doc, c.selector);
        vis.some((el) => !seen.includes(el)) ? yes() : (seen = vis);
      }),
      200,
    );
    if (c.event) win.addEventListener(c.event, yes, true);
    if (e.u) win.addEventListener('pagehide', yes);
    if (fired) yes();
  };
}

export type Hold = ReturnType<typeof createWaits>;
