// `?leadrelay_debug=1`: the inspector's report as console tables on load and after each submit and click,
// with a warning for each selector that matches nothing and each field name not found (ARCHITECTURE.md
// "The tools bundle").
import type { InspectReport } from './types.ts';

export function printReport(report: InspectReport, out: Pick<Console, 'table' | 'warn' | 'log'> = console): void {
  out.log('[leadrelay] project', report.project, 'visit', report.visit);
  out.table(report.forms.map(({ fields, ...form }) => ({ ...form, fields: fields.length })));
  for (const form of report.forms) {
    const name = `form "${form.title || form.id}"`;
    if (!form.matches) out.warn(`[leadrelay] ${name}: selector ${form.selector} matches nothing on this page`);
    if (form.confirmation?.startsWith('dropped')) out.warn(`[leadrelay] ${name}: its last lead was ${form.confirmation}`);
    if (form.fields.length) out.table(form.fields.map((f) => ({ form: form.title || form.id, ...f })));
    for (const f of form.fields)
      if (form.matches && !f.found) out.warn(`[leadrelay] ${name}: no control named "${f.value}" (${f.key}) in the matched element`);
  }
}

/** Prints now, and again after every submit and click (once the page's own handlers have run). */
export function watch(doc: Document, report: () => InspectReport, out?: Pick<Console, 'table' | 'warn' | 'log'>): void {
  const print = () => printReport(report(), out);
  print();
  for (const type of ['submit', 'click']) doc.addEventListener(type, () => setTimeout(print), true);
}
