// Debug logging and the wrapper that keeps every entry point from throwing into the host page.
import { M } from './messages.ts';
import type { SafeStorage } from './safe-storage.ts';

export type Log = (...args: unknown[]) => void;

/**
 * A tab's mode (ARCHITECTURE.md "Modes"): `?leadrelay_<name>=1` turns it on for the tab's session (kept in
 * sessionStorage under `key`), `=0` turns it off.
 */
export function mode(search: string, session: SafeStorage, name: string, key: string): boolean {
  const m = RegExp('[?&]leadrelay_' + name + '=(\\d)').exec(search);
  if (m) session.set(key, m[1]);
  return (m ? m[1] : session.get(key)) == '1';
}

/** `?leadrelay_debug=1`: the tab's switch for every project (the URL parameter names none). */
export const debugEnabled = (search: string, session: SafeStorage) => mode(search, session, 'debug', 'lr_debug');

/**
 * In debug mode the log keeps its lines in `lines`, which the tools bundle prints with its words (messages
 * are numbers in s.js: messages.ts) and then prints as they come.
 */
export function createLog(enabled: boolean, lines: unknown[][]): Log {
  return enabled ? (...args) => lines.push(args) : () => {};
}

/** Wraps an entry point: any exception becomes a debug message, the host page never sees it. */
export function guard<A, R>(log: Log, fn: (arg: A) => R): (arg?: A) => R | undefined {
  return (arg) => {
    try {
      return fn(arg as A);
    } catch (e) {
      log(M.Error, e);
    }
  };
}
