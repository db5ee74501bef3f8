// The words of the debug log's numbered messages (../messages.ts), printed by the tools bundle in debug mode.
import type { Log } from '../log.ts';

/** Words by number; a function puts the line's values into its words. */
export const MESSAGES: (string | ((...a: unknown[]) => unknown[]))[] = [
  '',
  'bad command',
  'loaded twice',
  'no tag',
  'reach',
  'bad selector',
  'skip',
  'match',
  'bad cached config',
  'config',
  'config failed',
  'queued',
  'js rule failed:',
  'visit',
  'visit failed',
  'error',
  // The queue logs the collector's lead id too: not printed.
  (id: unknown) => ['sent', id],
  'dropped: cap',
  'confirmed',
  'dropped: not confirmed',
  'dropped: replaced',
  'waiting for its confirmation',
  'skip: repeat',
  'skip: invalid form',
  (id: unknown, key: unknown) => ['skip', id, 'required ' + key + ' is empty'],
  'skip: not on this site',
  (id: unknown, status: unknown) => ['refused: HTTP ' + status, id],
];

/** A log line with its message number in words. */
export const words = (args: unknown[]): unknown[] => {
  const m = typeof args[0] == 'number' ? (MESSAGES[args[0]] ?? args[0]) : undefined;
  // A message with words around its values is a function of them.
  const out = typeof m == 'function' ? m(...args.slice(1)) : m === undefined ? args : [m, ...args.slice(1)];
  // s.js passes some values only to some lines of a kind (queue.ts forget): an absent last one is not printed.
  while (out.length > 1 && out[out.length - 1] === undefined) out.pop();
  return out;
};

/** Prints what s.js logged so far, then every new line as it comes (s.js pushes them to `lines`). */
export function printLog(lines: unknown[][], print: Log = (...a) => console.log('[leadrelay]', ...a)): void {
  const out = (args: unknown[]) => print(...words(args));
  lines.forEach(out);
  lines.push = (...more: unknown[][]) => (more.forEach(out), 0);
}
