// The words of the debug log's numbered messages (../messages.ts), printed by the tools bundle in debug mode.
import type { Log } from '../log.ts';

export const MESSAGES = [
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
  'sent',
  'dropped: cap',
  'confirmed',
  'dropped: not confirmed',
  'dropped: replaced',
  'waiting for its confirmation',
  'skip: repeat',
  'skip: invalid form',
];

/** A log line with its message number in words. */
export const words = (args: unknown[]) => (typeof args[0] == 'number' ? [MESSAGES[args[0]] ?? args[0], ...args.slice(1)] : args);

/** Prints what s.js logged so far, then every new line as it comes (s.js pushes them to `lines`). */
export function printLog(lines: unknown[][], print: Log = (...a) => console.log('[leadrelay]', ...a)): void {
  const out = (args: unknown[]) => print(...words(args));
  lines.forEach(out);
  lines.push = (...more: unknown[][]) => (more.forEach(out), 0);
}
