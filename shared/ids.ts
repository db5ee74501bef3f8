// Identifiers. Lead ids are time-ordered (UUIDv7 layout) so "newest first" paging is an index scan.
import { randomBytes } from 'node:crypto';

export function timeOrderedId(now = Date.now()): string {
  const bytes = randomBytes(16);
  let ms = now;
  for (let i = 5; i >= 0; i--) {
    bytes[i] = ms % 256;
    ms = Math.floor(ms / 256);
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x70; // version 7
  bytes[8] = (bytes[8]! & 0x3f) | 0x80; // RFC 4122 variant
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
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
