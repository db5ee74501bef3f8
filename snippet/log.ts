// Debug logging and the wrapper that keeps every entry point from throwing into the host page.
import type { SafeStorage } from './safe-storage.ts';

export type Log = (...args: unknown[]) => void;

/** `?leadrelay_debug=1` turns debug on for the tab's session, `=0` turns it off. */
export function debugEnabled(search: string, session: SafeStorage): boolean {
  const m = /[?&]leadrelay_debug=(\d)/.exec(search);
  if (m) session.set('lr_debug', m[1]);
  return (m ? m[1] : session.get('lr_debug')) == '1';
}

export function createLog(enabled: boolean): Log {
  return enabled ? (...args) => console.log('[leadrelay]', ...args) : () => {};
}

/** Wraps an entry point: any exception becomes a debug message, the host page never sees it. */
export function guard<A, R>(log: Log, fn: (arg: A) => R): (arg?: A) => R | undefined {
  return (arg) => {
    try {
      return fn(arg as A);
    } catch (e) {
      log('error', e);
    }
  };
}
