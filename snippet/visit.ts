// Visit tracking (README "What it keeps in the browser"): the first page of a visit registers it; a new ad (UTM or click id) starts a new one.
import { M } from './messages.ts';
import type { VisitBody } from '../shared/schemas.ts';
import type { Log } from './log.ts';
import { getCookie, setCookie, type SafeStorage } from './safe-storage.ts';

export interface VisitState {
  /** null until the collector has answered /visits (then it is retried on the next page). */
  visit: number | null;
  landingPage: string;
  referrer: string;
  utm: Record<string, string>;
  clickIds: Record<string, string>;
  params: Record<string, string>;
  /** The visitor's first visit (the lr_first_visit cookie), once known. */
  firstVisit: number | null;
}

type Marks = Pick<VisitState, 'utm' | 'clickIds' | 'params'>;
/** As stored: its firstVisit is replaced by the cookie's on every page. */
type Stored = Omit<VisitState, 'firstVisit'>;

const KEY = 'lr_visit_data';
export const VISIT_COOKIE = 'lr_visit';
export const FIRST_VISIT_COOKIE = 'lr_first_visit';

/** The ad marks of a URL: UTM tags, click ids and roistat_param1..5 (by number). */
export function adMarks(href: string): Marks {
  const q = new URL(href).searchParams;
  const marks: Marks = { utm: {}, clickIds: {}, params: {} };
  q.forEach((v, k) => {
    let m: RegExpExecArray | null;
    if (!v) return;
    if ((m = /^utm_(source|medium|campaign|term|content)$/.exec(k))) marks.utm[m[1]!] = v;
    else if (/^(gclid|yclid|fbclid)$/.test(k)) marks.clickIds[k] = v;
    else if ((m = /^roistat_param([1-5])$/.exec(k))) marks.params[m[1]!] = v;
  });
  return marks;
}

const adKey = (m: Marks) => JSON.stringify([m.utm, m.clickIds]);

/** Decides whether this page starts a new visit; pure, so the rules are easy to test. */
export function planVisit(href: string, referrer: string, stored: Stored | null, visitCookie: string): { state_: Stored; isNew_: boolean } {
  const marks = adMarks(href);
  const fromAd = adKey(marks) !== '[{},{}]';
  const isNew = !stored || (stored.visit != null && !visitCookie) || (fromAd && adKey(marks) !== adKey(stored));
  const state = isNew ? { visit: null, landingPage: href, referrer, ...marks } : { ...stored!, params: { ...stored!.params, ...marks.params } };
  return { state_: state, isNew_: isNew };
}

/** POSTs the visit and gives the collector's visit number. */
export type Register = (body: VisitBody) => Promise<number>;

/**
 * Keys are per project (`lr_visit_data_<project>`, cookies `lr_visit_<project>`, `lr_first_visit_<project>`), so two
 * projects on one origin keep their own visits. The plain `lr_visit`/`lr_first_visit` cookies (what a site's
 * backend reads) and `alias` (data-visit-cookie, e.g. `roistat_visit`) hold the numbers of the project whose page
 * was seen last: with one project per origin, its own.
 * A visit stored by a version without per-project keys is taken over once, by the first project that finds it.
 */
export function createVisits(doc: Document, href: string, storage: SafeStorage, register: Register, log: Log, project: string, alias: string) {
  const own = '_' + project;
  const mine = storage.get<Stored>(KEY + own);
  const legacy = mine ? null : storage.get<Stored>(KEY);
  // The legacy visit goes with the legacy (plain) cookies; then it is gone, so no other project takes it too.
  const sfx = legacy ? '' : own;
  if (legacy) storage.set(KEY, null);
  const plan = planVisit(href, doc.referrer, mine || legacy, getCookie(doc, VISIT_COOKIE + sfx));
  const state: VisitState = { ...plan.state_, firstVisit: +getCookie(doc, FIRST_VISIT_COOKIE + sfx) || null };
  const cookies = (value: unknown, days: number, ...names: string[]) => names.forEach((n) => n && setCookie(doc, n, value, days));
  // Renewed on every page; a lost first-visit cookie falls back to this visit.
  const save = () => {
    storage.set(KEY + own, state);
    if (state.visit != null) {
      cookies(state.visit, 14, VISIT_COOKIE + own, VISIT_COOKIE, alias);
      cookies((state.firstVisit ||= state.visit), 730, FIRST_VISIT_COOKIE + own, FIRST_VISIT_COOKIE);
    }
  };
  save();

  /**
   * Registers a new visit once the config is known; `off` is cookie-less mode (config
   * `settings.cookies: false`, ARCHITECTURE.md "Cookie-less mode"): no cookie, no /visits, no visit number, and
   * the cookies and the visit an earlier page kept (renewed above on the first page after the switch) are removed,
   * so from the next page on a lead's context is its own page's alone.
   */
  async function start(off?: unknown): Promise<void> {
    if (off) {
      cookies('', 0, VISIT_COOKIE + own, VISIT_COOKIE, alias, FIRST_VISIT_COOKIE + own, FIRST_VISIT_COOKIE);
      storage.set(KEY + own, (state.visit = state.firstVisit = null));
      return;
    }
    if (state.visit != null) return;
    try {
      // The body is the visit state; the collector ignores its `visit` key (null here).
      state.visit = await register(state);
      save();
      log(M.Visit, state.visit);
    } catch (e) {
      log(M.VisitFailed, e);
    }
  }

  return { isNew_: plan.isNew_, state_: state, start };
}
