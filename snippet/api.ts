// window.leadrelay: reach() for leads sent from the page's own code, and the pre-load push() queue.
import { M } from './messages.ts';
import type { SiteLeadBody } from '../shared/schemas.ts';
import type { Log } from './log.ts';

export interface ReachParams {
  title?: unknown;
  name?: unknown;
  phone?: unknown;
  email?: unknown;
  comment?: unknown;
  fields?: Record<string, unknown>;
  is_skip_sending?: unknown;
  is_need_callback?: unknown;
}

/** reach() never rejects: it resolves with what happened to the lead. */
export type ReachResult =
  | { status: 'success'; id: string }
  /** Kept in the browser; resent on the next page, on `online` and on pagehide. */
  | { status: 'queued' }
  | { status: 'error'; message: string };

export type Reach = (params: ReachParams) => Promise<ReachResult>;

export interface LeadrelayApi {
  reach: Reach;
  push: (command: unknown) => void;
  /** The inspector's report (loads the tools bundle; ARCHITECTURE.md "The tools bundle"). */
  inspect?: () => Promise<unknown>;
}

/** Roistat-style flags: 1, '1', true are on; 0, '0', false are off; absent leaves the default. */
const flag = (v: unknown) => (v == null || v === '' ? undefined : !/^(0|false)$/.test(v as string));

/** The lead body for reach(); the clientId and context come from the caller. */
export function reachBody(p: ReachParams, clientId: string, context: SiteLeadBody['context']): SiteLeadBody {
  const body: SiteLeadBody = { clientId, formId: null, source: 'js', fields: {}, context, isSkipSending: flag(p.is_skip_sending), callback: flag(p.is_need_callback) };
  // for…in over an absent `fields` runs no iteration.
  const fields = p.fields!;
  for (const k in fields) {
    const v = fields[k];
    if (v != null) body.fields[k] = Array.isArray(v) ? v.map(String) : '' + v;
  }
  for (const k of ['title', 'name', 'phone', 'email', 'comment'] as const) if (p[k] != null) body[k] = '' + p[k];
  return body;
}

/** Replaces the pre-load array with the API, replaying the calls queued in it. */
export function installApi(win: { leadrelay?: unknown }, reach: Reach, log: Log): LeadrelayApi {
  const api: LeadrelayApi = {
    // A bad argument (reach(null)) rejects inside the async reach and resolves here as an error.
    reach: (p) => reach(p).catch((e) => ({ status: 'error', message: '' + e })),
    push: (command) => {
      if (Array.isArray(command) && command[0] == 'reach') api.reach(command[1]);
      else log(M.BadCommand, command);
    },
  };
  const pending = win.leadrelay;
  win.leadrelay = api;
  if (Array.isArray(pending)) pending.forEach(api.push);
  return api;
}
