// @vitest-environment happy-dom
// Tab modes: test mode is remembered per project for the tab until ?leadrelay_test=0; pick mode likewise.
import { expect, test } from 'vitest';
import { mode } from '../log.ts';
import type { SafeStorage } from '../safe-storage.ts';

const session = (): SafeStorage & { data: Record<string, unknown> } => {
  const data: Record<string, unknown> = {};
  return { data, get: <T>(k: string) => (data[k] ?? null) as T, set: (k, v) => void (data[k] = v) };
};

test('?leadrelay_test=1 is remembered for the tab, per project, until ?leadrelay_test=0', () => {
  const s = session();
  expect(mode('?leadrelay_test=1', s, 'test', 'lr_test_a')).toBe(true);
  expect(mode('?page=2', s, 'test', 'lr_test_a')).toBe(true);
  expect(mode('?page=2', s, 'test', 'lr_test_b')).toBe(false);
  expect(mode('?leadrelay_debug=1', s, 'test', 'lr_test_a')).toBe(true);
  expect(mode('?x=1&leadrelay_test=0', s, 'test', 'lr_test_a')).toBe(false);
  expect(mode('', s, 'test', 'lr_test_a')).toBe(false);
  expect(mode('?leadrelay_pick=1', s, 'pick', 'lr_pick')).toBe(true);
  expect(s.data).toEqual({ lr_test_a: '0', lr_pick: '1' });
});
