// The snippet's lazily imported ES modules (ARCHITECTURE.md "The tools bundle", "Confirmation"): imported once,
// again after a failure (the collector unreachable for a moment); a failure resolves undefined, logged.
import type { Log } from './log.ts';
import { M } from './messages.ts';

export function lazy<Mod, T>(url: string, init: (m: Mod) => T, log: Log): () => Promise<T | undefined> {
  let p: Promise<T | undefined> | undefined;
  return () => (p = p || import(url).then(init, (e) => void log(M.Error, e, (p = undefined))));
}
