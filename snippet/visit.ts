// Visit tracking (SPEC §7): the first page of a visit registers it; a new ad (UTM or click id) starts a new one.
import type { VisitBody } from '../shared/schemas.ts';
import type { Log } from './log.ts';
import { getCookie, setCookie, type SafeStorage } from './storage.ts';

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
export function planVisit(href: string, referrer: string, stored: Stored | null, visitCookie: string): { state: Stored; isNew: boolean } {
  const marks = adMarks(href);
  const fromAd = adKey(marks) !== '[{},{}]';
  const isNew = !stored || (stored.visit != null && !visitCookie) || (fromAd && adKey(marks) !== adKey(stored));
  const state = isNew ? { visit: null, landingPage: href, referrer, ...marks } : { ...stored!, params: { ...stored!.params, ...marks.params } };
  return { state, isNew };
}

/** POSTs the visit and gives the collector's visit number. */
export type Register = (body: VisitBody) => Promise<number>;

export function createVisits(doc: Document, href: string, storage: SafeStorage, register: Register, log: Log) {
  const plan = planVisit(href, doc.referrer, storage.get<Stored>(KEY), getCookie(doc, VISIT_COOKIE));
  const state: VisitState = { ...plan.state, firstVisit: +getCookie(doc, FIRST_VISIT_COOKIE) || null };
  const save = () => {
    storage.set(KEY, state);
    if (state.visit != null) setCookie(doc, VISIT_COOKIE, state.visit, 14);
  };
  save();

  async function start(): Promise<void> {
    if (state.visit != null) return;
    try {
      // The body is the visit state; the collector ignores its `visit` key (null here).
      state.visit = await register(state);
      state.firstVisit = state.firstVisit || state.visit;
      setCookie(doc, FIRST_VISIT_COOKIE, state.firstVisit, 730);
      save();
      log('visit', state.visit);
    } catch (e) {
      log('visit failed', e);
    }
  }

  return { isNew: plan.isNew, state, start };
}
