// @vitest-environment happy-dom
import { expect, test } from 'vitest';
import { createRepeatGuard } from '../repeat-guard.ts';

test('the same form with the same values within 10 s is a repeat; later, other values or another form are not', () => {
  let t = 1_000;
  const isRepeat = createRepeatGuard(() => t);
  expect(isRepeat('f1', '{"phone":"1"}')).toBe(false);
  t += 9_999;
  expect(isRepeat('f1', '{"phone":"1"}')).toBe(true);
  expect(isRepeat('f2', '{"phone":"1"}')).toBe(false);
  expect(isRepeat('f1', '{"phone":"2"}')).toBe(false);
  // the window counts from the last lead made, not the last attempt
  t += 10_000;
  expect(isRepeat('f1', '{"phone":"2"}')).toBe(false);
  expect(isRepeat('f1', '{"phone":"1"}')).toBe(false);
});
