// Lead ids are UUIDv7-shaped and sort by creation time, which "newest first" paging relies on.
import { expect, test } from 'vitest';
import { timeOrderedId } from './ids.ts';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

test('ids are UUIDv7-shaped, unique, and ordered by their millisecond', () => {
  const ids = Array.from({ length: 2000 }, (_, i) => timeOrderedId(1_800_000_000_000 + Math.floor(i / 10)));
  for (const id of ids) expect(id).toMatch(UUID_V7);
  expect(new Set(ids).size).toBe(ids.length);
  for (let i = 10; i < ids.length; i += 10) expect(ids[i - 1]! < ids[i]!).toBe(true);
  expect(timeOrderedId(0).startsWith('00000000-0000-7')).toBe(true);
});
