// Wires the parts together for one page. Everything the page can call or trigger goes through guard().
import type { SiteLeadBody } from '../shared/schemas.ts';
import type { SiteConfig } from '../shared/form-config.ts';
import { installApi, reachBody, type LeadrelayApi } from './api.ts';
import { createCapture, listen } from './capture.ts';
import { createWaits } from './confirm.ts';
import { loadConfig } from './config.ts';
import { pageContext } from './context.ts';
import { findInstall } from './install.ts';
import { createLog, debugEnabled, guard } from './log.ts';
import { createQueue, type LeadStore } from './queue.ts';
import { createRepeatGuard } from './repeat-guard.ts';
import { safeStorage } from './storage.ts';
import { idbLeadStore } from './store.ts';
import { createSender, isFinal, postText } from './transport.ts';
import { createVisits } from './visit.ts';

type Host = Window & { leadrelay?: unknown };

/** A random id for the lead, so a resent lead is stored once by the collector. */
export function clientId(): string {
  return Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => (b + 256).toString(16).slice(1)).join('');
}

/**
 * Starts the snippet on `win`; `store` replaces IndexedDB in tests. Every key kept in the browser carries the
 * project id (see visit.ts, store.ts), so two projects on one origin never mix configs, visits or leads.
 */
export function boot(win: Host, store?: LeadStore): void {
  const doc = win.document;
  const local = safeStorage(() => win.localStorage);
  const session = safeStorage(() => win.sessionStorage);
  const log = createLog(debugEnabled(win.location.search, session));
  const now = Date.now;

  guard(log, () => {
    if (win.leadrelay && (win.leadrelay as LeadrelayApi).reach) return log('loaded twice');
    const install = findInstall(doc);
    if (!install) return log('no tag');
    const project = install.projectId;
    const api = install.base + '/api/site/1.0/' + project;

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
      install.visitCookie,
    );
    const context = () => pageContext(doc, win.location.href, visits.state);

    const queue = createQueue(store || idbLeadStore(project), createSender(win, api + '/leads'), now, log);
    const flush = () => queue.flush().catch(log);

    const hold = createWaits(win, queue, now, log);

    let forms: SiteConfig['forms'] = [];
    let noCookies: unknown;
    const config = loadConfig(api + '/config', 'lr_config_' + project, win, local, now, log, visits.isNew, (c) => {
      forms = c.forms;
      noCookies = c.settings.cookies === false;
    });

    const capture = createCapture(
      () => forms,
      createRepeatGuard(now),
      (form, values) => {
        const body: SiteLeadBody = { clientId: clientId(), formId: form.id, source: 'form', ...values, context: context() };
        form.confirm ? hold(form, body) : queue.add(body);
      },
      log,
    );
    listen(doc, capture, (f) => guard(log, f));

    const leave = guard(log, () => {
      queue.sendUnsaved();
      flush();
    });
    win.addEventListener('online', flush);
    win.addEventListener('pagehide', leave);
    doc.addEventListener('visibilitychange', () => doc.hidden && leave());

    installApi(
      win,
      async (params) => {
        const body: SiteLeadBody = reachBody(params, clientId(), context());
        log('reach', body);
        const r = await queue.add(body);
        return typeof r == 'string' ? { status: 'success', id: r } : isFinal(r) ? { status: 'error', message: 'refused: HTTP ' + r } : { status: 'queued' };
      },
      log,
    );

    // Once the config says whether cookies may be set, the visit; then resend what earlier pages left.
    config.then(() => visits.start(noCookies)).then(flush);
  })();
}
