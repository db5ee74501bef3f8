// Password hashing with scrypt from node:crypto (memory-hard; README "Users and roles"). A stored hash
// carries its own parameters, `scrypt$<log2 N>$<r>$<p>$<salt>$<hash>`, so raising the cost later
// leaves older hashes readable.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** log2 of scrypt's N: 2^17 with r = 8 is 128 MiB a hash, the cost OWASP names for scrypt. */
export const DEFAULT_PASSWORD_COST = 17;
const BLOCK_SIZE = 8;
const PARALLELISM = 1;
const KEY_BYTES = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  const N = options.N ?? 1;
  const r = options.r ?? BLOCK_SIZE;
  // scrypt needs 128 · N · r bytes; Node's default cap (32 MiB) is below that for N = 2^17.
  const maxmem = 128 * N * r * 2;
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEY_BYTES, { ...options, maxmem }, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, cost = DEFAULT_PASSWORD_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, { N: 2 ** cost, r: BLOCK_SIZE, p: PARALLELISM });
  return ['scrypt', cost, BLOCK_SIZE, PARALLELISM, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** Compares in constant time; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [cost, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!(cost >= 1 && cost <= 20 && r >= 1 && r <= 32 && p >= 1 && p <= 4)) return false;
  const expected = Buffer.from(parts[5]!, 'base64url');
  const key = await derive(password, Buffer.from(parts[4]!, 'base64url'), { N: 2 ** cost, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
