import { afterEach, expect, it } from 'vitest';
import { allows, can, setCurrentRole } from './access.ts';

afterEach(() => setCurrentRole('viewer'));

it('a viewer reaches only viewer; a marketer reaches marketer; an owner everything', () => {
  expect([allows('viewer', 'viewer'), allows('viewer', 'marketer'), allows('viewer', 'owner')]).toEqual([true, false, false]);
  expect([allows('marketer', 'viewer'), allows('marketer', 'marketer'), allows('marketer', 'owner')]).toEqual([true, true, false]);
  expect([allows('owner', 'viewer'), allows('owner', 'marketer'), allows('owner', 'owner')]).toEqual([true, true, true]);
});

it('can() answers for the role set at login, and nothing changes before one is set', () => {
  expect(can('marketer')).toBe(false);
  setCurrentRole('marketer');
  expect([can('marketer'), can('owner')]).toEqual([true, false]);
  setCurrentRole('owner');
  expect(can('owner')).toBe(true);
});
