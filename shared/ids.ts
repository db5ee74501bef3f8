// Identifiers. Lead ids are time-ordered (UUIDv7 layout) so "newest first" paging is an index scan.
import { randomBytes, randomUUID } from 'node:crypto';

export function timeOrderedId(now = Date.now()): string {
  // randomUUID draws from Node's cached entropy pool: much cheaper per id than randomBytes(16).
  // Its version nibble is replaced by 7 and its first 48 bits by the time, as UUIDv7 lays them out.
  const random = randomUUID();
  const ms = Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12);
  return `${ms.slice(0, 8)}-${ms.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`;
}

const ALPHABET = 'abcdefghijkmnpqrstuvwxyz23456789';

/** A short random id from an unambiguous alphabet (project ids, form ids). */
export function shortId(length = 10): string {
  const bytes = randomBytes(length);
  let out = '';
  for (const b of bytes) out += ALPHABET[b % ALPHABET.length];
  return out;
}

/** A long random secret (project keys, admin tokens). */
export function secretToken(bytes = 24): string {
  return randomBytes(bytes).toString('base64url');
}
