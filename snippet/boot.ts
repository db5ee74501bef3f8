// Wires the parts together for one page. Everything the page can call or trigger goes through guard().
import { M } from './messages.ts';
import type { SiteLeadBody } from '../shared/schemas.ts';
import type { SiteConfig } from '../shared/form-config.ts';
import { lazy } from './lazy.ts';
import { installApi, reachBody, type LeadrelayApi } from './api.ts';
import { createCapture, listen } from './capture.ts';
import { createHold } from './confirm-loader.ts';
import { loadConfig } from './config.ts';
import { pageContext } from './context.ts';
import { findInstall } from './install.ts';
import { createLog, debugEnabled, guard, mode } from './log.ts';
import { createQueue, type LeadStore } from './queue.ts';
import { createRepeatGuard } from './repeat-guard.ts';
import { safeStorage } from './safe-storage.ts';
import { idbLeadStore } from './outbox.ts';
import { createSender, isFinal, postText } from './transport.ts';
import type { StartTools, Tools } from './tools/types.ts';
import { createVisits } from './visit.ts';

type Host = Window & { leadrelay?: unknown };

/** A random id for the lead, so a resent lead is stored once by the collector. */
export function clientId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join('');
}

/**
 * Starts the snippet on `win`; `store` replaces IndexedDB in tests. Every key kept in the browser carries the
 * project id (see visit.ts, outbox.ts), so two projects on one origin never mix configs, visits or leads.
 */
export function boot(win: Host, store?: LeadStore): void {
  const doc = win.document;
  const local = safeStorage(() => win.localStorage);
  const session = safeStorage(() => win.sessionStorage);
  const search = win.location.search;
  const debug = debugEnabled(search, session);
  const lines: unknown[][] = [];
  const log = createLog(debug, lines);
  const now = Date.now;

  guard(log, () => {
    if (win.leadrelay && (win.leadrelay as LeadrelayApi).reach) return log(M.LoadedTwice);
    const install = findInstall(doc);
    if (!install) return log(M.NoTag);
    const project = install.projectId_;
    const base = install.base_;
    const api = base + '/api/site/1.0/' + project;
    // Modes (ARCHITECTURE.md "Modes"): test mode is the project's, picking the tab's, as debug is.
    const test = mode(search, session, 'test', 'lr_test_' + project) || undefined;
    const pick = mode(search, session, 'pick', 'lr_pick');

    const visits = createVisits(
      doc,
      win.location.href,
      local,
      async (body) => {
        const res = await postText(win, api + '/visits', body);
        if (!res.ok) throw res.status;
        return ((await res.json()) as { visit: number }).visit;
      },
      log,
      project,
      install.visitCookie_,
    );
    const context = () => pageContext(doc, win.location.href, visits.state_);

    const queue = createQueue(store || idbLeadStore(project), createSender(win, api + '/leads'), now, log);
    const flush = () => queue.flush_().catch(log);

    // The tools bundle (s-tools.js, ARCHITECTURE.md "The tools bundle"): the inspector, the debug report,
    // the picker and missed-form reports, loaded only when one of them is needed.
    const loadTools = lazy(base + '/s-tools.js', (m: { start: StartTools }): Tools => m.start(win, project, base, () => forms, () => visits.state_.visit, debug, pick, lines), log);
    const matched = (form: Element) => forms.some((c) => c.trigger == 'submit' && form.closest(c.selector));

    // Confirmation conditions: s-confirm.js is imported as soon as a config holds a form with `confirm`.
    const loadWaits = lazy(base + '/s-confirm.js', (m: typeof import('./confirm.ts')) => m.createWaits(win, queue, now, log), log);
    const hold = createHold(win, loadWaits, queue, now);

    let forms: SiteConfig['forms'] = [];
    let noCookies: unknown;
    // Test, debug and pick page views always ask for the current config.
    const config = loadConfig(api + '/config', 'lr_config_' + project, win, local, now, log, visits.isNew_ || test || debug || pick, (c) => {
      forms = c.forms;
      noCookies = c.settings.cookies === false;
      if (forms.some((f) => f.confirm)) loadWaits();
    }).then(() => {
      if (debug || pick) loadTools();
    });

    const capture = createCapture(
      () => forms,
      createRepeatGuard(now),
      (form, values) => {
        const body: SiteLeadBody = { clientId: clientId(), formId: form.id, source: 'form', ...values, test, context: context() };
        form.confirm ? hold(form, body) : queue.add_(body);
      },
      log,
      (form) => loadTools().then((t) => t && t.missed(form)),
    );
    listen(doc, capture, (f) => guard(log, f));
    // A visitor starting on a form that no config matches: the tools load now, so that its submit, even one
    // that leaves the page at once, is reported from the loaded bundle (ARCHITECTURE.md "Missed forms").
    doc.addEventListener(
      'focusin',
      guard(log, (e: Event) => {
        const form = (e.composedPath()[0] as Element).closest('form');
        if (form && !matched(form)) loadTools();
      }),
      true,
    );

    const leave = guard(log, () => {
      queue.sendUnsaved_();
      flush();
    });
    win.addEventListener('online', flush);
    win.addEventListener('pagehide', leave);
    doc.addEventListener('visibilitychange', () => doc.hidden && leave());

    installApi(
      win,
      async (params) => {
        const body: SiteLeadBody = { ...reachBody(params, clientId(), context()), test };
        log(M.Reach, body);
        const r = await queue.add_(body);
        return typeof r == 'string' ? { status: 'success', id: r } : isFinal(r) ? { status: 'error', message: 'refused: HTTP ' + r } : { status: 'queued' };
      },
      log,
    ).inspect = () => loadTools().then((t): unknown => t && t.inspect());

    // Once the config says whether cookies may be set, the visit; then resend what earlier pages left.
    config.then(() => visits.start(noCookies)).then(flush);
  })();
}
