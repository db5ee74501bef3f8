// The tools bundle's entry (built to dist/s-tools.js, an ES module s.js imports on demand; ARCHITECTURE.md
// "The tools bundle"): the inspector, the debug report, the picker and missed-form reports.
import { createMissed } from '../missed.ts';
import { postText } from '../transport.ts';
import { watch } from './debug.ts';
import { inspect } from './inspect.ts';
import { printLog } from './messages.ts';
import { startPicker } from './picker.ts';
import type { StartTools } from './types.ts';

export const start: StartTools = (win, project, base, forms, visit, debug, pick, lines) => {
  const doc = win.document;
  // The same module instance s.js imported (one per URL), so its record of confirmations is the page's.
  let confirmed: Record<string, number> | undefined;
  const loadConfirmed = () =>
    forms().some((f) => f.confirm) &&
    import(base + '/s-confirm.js').then(
      (m: { last: Record<string, number> }) => (confirmed = m.last),
      () => {},
    );
  const report = () => inspect(doc, project, visit(), forms(), confirmed);
  if (debug) {
    loadConfirmed();
    printLog(lines);
    watch(doc, report);
  }
  if (pick) startPicker(doc, base, project);
  const missed = createMissed((body) => postText(win, base + '/api/site/1.0/' + project + '/missed', body).catch(() => {}));
  return { inspect: async () => (await loadConfirmed(), report()), missed };
};
