// The offline queue: every lead is stored before it is sent and deleted only once the collector answered
// (acknowledged, or refused for good). Capped by count and age so a broken collector cannot fill the disk.
import { M } from './messages.ts';
import type { SiteLeadBody } from '../shared/schemas.ts';
import type { Log } from './log.ts';
import { isFinal, type SendResult } from './transport.ts';

export interface Entry {
  id: string;
  at: number;
  body: SiteLeadBody;
  /** 5xx answers so far, and when the next try is due: a lead the collector keeps refusing waits alone. */
  tries?: number;
  due?: number;
  /** The project (set by the IndexedDB store; absent in entries of older versions). */
  p?: string;
  /** The deadline (ms) while the lead waits for its form's confirmation (confirm.ts): never sent, dropped after it. */
  w?: number;
  /** A waiting lead of a submit form: the page unloading confirms it. */
  u?: boolean;
}

export interface LeadStore {
  all_(): Promise<Entry[]>;
  put_(entry: Entry): Promise<unknown>;
  del_(id: string): Promise<unknown>;
}

export type Send = (body: SiteLeadBody) => Promise<SendResult>;

/** The cap: at most 50 leads, none older than 7 days. After its n-th 5xx a lead waits 2^n / 2 minutes (1, 2, 4, …). */
const MAX_ITEMS = 50;
const MAX_AGE_MS = 7 * 864e5;

export interface Queue {
  /** Stores, then sends one lead. */
  add_(body: SiteLeadBody): Promise<SendResult>;
  /**
   * Resends stored leads that are due, oldest first; stops when the collector cannot be reached (or rate-limits),
   * but not at a lead that is refused with a 5xx: that one waits its own backoff while the others go.
   * A waiting lead (confirm.ts) is dropped past its deadline; one an earlier page left is sent when its trigger was
   * submit (that page unloaded: ARCHITECTURE.md "Confirmation"); this page's own wait for their confirmation.
   */
  flush_(): Promise<void>;
  /** Stores a lead without sending it: a waiting one (`e.w` set), or one confirmed (confirm.ts). */
  hold(e: Entry): Promise<unknown>;
  /** Sends a stored lead now, as `add` does after storing it (confirm.ts: a confirmed lead; the page may be unloading). */
  send(e: Entry): Promise<SendResult>;
  /** Deletes a lead, logging why. */
  drop(id: string, why: unknown): Promise<unknown>;
  /** For pagehide: leads whose store write has not finished go out now, while the page still can send. */
  sendUnsaved_(): void;
}

// Dependencies are positional: a deps object's property names survive minification and cost bytes.
export function createQueue(store: LeadStore, send: Send, now: () => number, log: Log): Queue {
  const unsaved = new Map<string, Entry>();
  // Leads captured before this page started come from earlier pages (see flush).
  const start = now();
  const busy = new Set<string>();
  const forget = (id: string, why: unknown, status?: unknown) => (log(why, id, status), store.del_(id).catch(log));

  async function attempt(e: Entry): Promise<SendResult> {
    if (busy.has(e.id)) return 0;
    busy.add(e.id);
    const r = await send(e.body).catch(() => 0);
    busy.delete(e.id);
    if (isFinal(r)) await forget(e.id, typeof r == 'string' ? M.Sent : M.Refused, r);
    else {
      log(M.Queued, e.id);
      // A 5xx may be this lead's own (a value the server chokes on): it backs off alone. 0 (unreachable) and
      // 429 (rate limited) are the collector's state, not the lead's: flush stops and every lead waits alike.
      if ((r as number) > 499) {
        e.tries = (e.tries || 0) + 1;
        e.due = now() + 3e4 * 2 ** e.tries;
        await store.put_(e).catch(log);
      }
    }
    return r;
  }

  return {
    async add_(body) {
      const e = { id: body.clientId, at: now(), body };
      unsaved.set(e.id, e);
      await store.put_(e).catch(log);
      unsaved.delete(e.id);
      return attempt(e);
    },
    async flush_() {
      // Newest first, so the cap keeps the newest; then sent oldest first.
      const keep = (await store.all_())
        .sort((a, b) => b.at - a.at)
        .filter((e, i) => (i < MAX_ITEMS && now() - e.at < MAX_AGE_MS) || void forget(e.id, M.DroppedCap));
      for (const e of keep.reverse()) {
        if (unsaved.has(e.id) || busy.has(e.id) || now() < e.due!) continue;
        if (e.w) {
          if (now() > e.w) forget(e.id, M.NotConfirmed);
          if (now() > e.w || !e.u || e.at >= start) continue;
          delete e.w;
          store.put_(e).catch(log);
        }
        const r = await attempt(e);
        if (!r || r == 429) break;
      }
    },
    sendUnsaved_() {
      unsaved.forEach(attempt);
    },
    hold: (e) => store.put_(e).catch(log),
    send: attempt,
    drop: forget,
  };
}
