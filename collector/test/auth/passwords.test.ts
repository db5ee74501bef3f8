// Password hashes (auth/passwords.ts): scrypt at 2^17 by default, salted, and checked in constant time.
import { expect, it } from 'vitest';
import { DEFAULT_PASSWORD_COST, hashPassword, verifyPassword } from '../../src/auth/passwords.ts';

it('hashes with scrypt N = 2^17, r = 8 by default, salted; verifies only the right password', async () => {
  const hash = await hashPassword('correct horse battery');
  expect(DEFAULT_PASSWORD_COST).toBe(17);
  expect(hash).toMatch(/^scrypt\$17\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
  expect(await verifyPassword('correct horse battery', hash)).toBe(true);
  expect(await verifyPassword('correct horse batterY', hash)).toBe(false);
  expect(await hashPassword('correct horse battery', 10)).not.toBe(await hashPassword('correct horse battery', 10));
});

it('a hash keeps its own cost, so hashes made at another cost still verify; a malformed one never matches', async () => {
  const cheap = await hashPassword('pässword', 10);
  expect(await verifyPassword('pässword', cheap)).toBe(true);
  // The same text in another Unicode form (NFD) is the same password.
  expect(await verifyPassword('pa\u0308ssword', cheap)).toBe(true);
  for (const bad of ['', 'plain', 'scrypt$40$8$1$aa$bb', cheap.replace('scrypt', 'md5'), cheap.split('$').slice(0, 5).join('$')]) {
    expect(await verifyPassword('pässword', bad)).toBe(false);
  }
});
