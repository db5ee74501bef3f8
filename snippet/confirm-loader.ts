// s.js's side of confirmation conditions (ARCHITECTURE.md "Confirmation"): the watching lives in confirm.ts,
// built as dist/s-confirm.js and imported once the config holds a form with `confirm` (`load`, at boot). A lead
// of such a form is stored pending in the outbox at its capture, so a page that unloads before it is confirmed
// leaves it to the next page (queue.ts flush), and handed to the module as soon as that has arrived, with what
// was visible at the capture and whether its event came meanwhile.
import type { PublicFormConfig } from '../shared/form-config.ts';
import type { SiteLeadBody } from '../shared/schemas.ts';
import type { Hold } from './confirm.ts';
import type { Queue } from './queue.ts';
import { shown } from './visible.ts';

/** `load` imports s-confirm.js (lazy.ts) and starts its watch (`createWaits`). Returns `hold`. */
export function createHold(win: Window, load: () => Promise<Hold | undefined>, queue: Queue, now: () => number) {
  return (form: PublicFormConfig, body: SiteLeadBody) => {
    const c = form.confirm!;
    const e = { id: body.clientId, at: now(), body, w: now() + c.seconds * 1e3, u: form.trigger == 'submit' };
    // What is visible already at the capture does not confirm it (a bad selector: none; confirm.ts logs it).
    let seen: Element[] = [];
    try {
      seen = shown(win.document, c.selector);
    } catch {}
    let fired: unknown;
    if (c.event) win.addEventListener(c.event, () => (fired = 1), true);
    queue.hold(e);
    load().then((h) => h && h(form, e, seen, fired));
  };
}
