// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createLog, debugEnabled, guard } from '../log.ts';
import { M } from '../messages.ts';
import { printLog } from '../tools/messages.ts';
import type { SafeStorage } from '../safe-storage.ts';

const session = (): SafeStorage => {
  const data: Record<string, unknown> = {};
  return { get: <T>(k: string) => (data[k] ?? null) as T, set: (k, v) => void (data[k] = v) };
};

afterEach(() => vi.restoreAllMocks());

describe('debug mode', () => {
  test('?leadrelay_debug=1 turns it on and is remembered for the session; =0 turns it off', () => {
    const s = session();
    expect(debugEnabled('', s)).toBe(false);
    expect(debugEnabled('?a=1&leadrelay_debug=1', s)).toBe(true);
    expect(debugEnabled('?page=2', s)).toBe(true);
    expect(debugEnabled('?leadrelay_debug=0', s)).toBe(false);
    expect(debugEnabled('', s)).toBe(false);
  });

  test('the log keeps lines only in debug mode; the tools bundle prints them in words, then each new one', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    const lines: unknown[][] = [];
    createLog(false, lines)('hidden');
    expect(lines).toEqual([]);
    const log = createLog(true, lines);
    log(M.Skip, 'f1', 'invalid form');
    expect(out).not.toHaveBeenCalled();
    printLog(lines);
    expect(out).toHaveBeenCalledWith('[leadrelay]', 'skip', 'f1', 'invalid form');
    log(M.Sent, 'c1', '42');
    expect(out).toHaveBeenLastCalledWith('[leadrelay]', 'sent', 'c1');
  });

  test('lines whose values s.js logs as numbers and keys are printed with their words', () => {
    const print = vi.fn();
    const lines: unknown[][] = [];
    printLog(lines, print);
    const log = createLog(true, lines);
    log(M.Refused, 'c2', 400);
    log(M.Required, 'f1', 'phone');
    log(M.NotOnSite, 'f2');
    log(M.DroppedCap, 'c3', undefined);
    expect(print.mock.calls).toEqual([
      ['refused: HTTP 400', 'c2'],
      ['skip', 'f1', 'required phone is empty'],
      ['skip: not on this site', 'f2'],
      ['dropped: cap', 'c3'],
    ]);
  });

  test('guard turns an exception into a log line', () => {
    const lines: unknown[][] = [];
    const wrapped = guard((...a) => lines.push(a), () => {
      throw new Error('boom');
    });
    expect(() => wrapped()).not.toThrow();
    expect(String(lines[0]![1])).toContain('boom');
  });
});
