// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { createLog, debugEnabled, guard } from '../log.ts';
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

  test('the log writes to the console only in debug mode', () => {
    const out = vi.spyOn(console, 'log').mockImplementation(() => {});
    createLog(false)('hidden');
    expect(out).not.toHaveBeenCalled();
    createLog(true)('skip', 'f1', 'invalid form');
    expect(out).toHaveBeenCalledWith('[leadrelay]', 'skip', 'f1', 'invalid form');
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
