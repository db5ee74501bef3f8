// Normalized contact keys for duplicate detection (README "Duplicates"): the same person typed as
// "+7 (999) 123-45-67", "89991234567" or "9991234567" must compare equal.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** How many phones each generation of `normalizePhone`'s cache holds: the same numbers recur (repeats, retries, one visitor's forms). */
export const PHONE_CACHE_SIZE = 1000;
// Two generations instead of a least-recently-used list: when the current one is full it becomes the
// previous one (the older previous is dropped), and a hit in the previous one moves the phone back
// to the current one. Each step is O(1); evicting the first key of one Map was not (V8 walks over the
// deleted slots at its start), which made a cache that always missed slower than no cache.
let current = new Map<string, string>();
let previous = new Map<string, string>();

function remember(key: string, value: string): void {
  if (current.size >= PHONE_CACHE_SIZE) {
    previous = current;
    current = new Map();
  }
  current.set(key, value);
}

/**
 * The phone in international digits without "+" ("79991234567"), read with `defaultCountry` for
 * national formats (Russia by default, like the reference article's audience). Text that is no
 * possible phone number keeps its digits only, and text without digits gives ''.
 */
export function normalizePhone(raw: string, defaultCountry: CountryCode = 'RU'): string {
  // libphonenumber was 5–6 % of a lead's CPU time (BENCHMARKS.md "Ingest"): remember recent answers.
  // Only short texts are kept, so the cache stays small whatever clients send; only for the default
  // country (every caller's), so the text itself is the key and a miss allocates nothing more.
  if (raw.length > 64 || defaultCountry !== 'RU') return normalizeUncached(raw, defaultCountry);
  const known = current.get(raw);
  if (known !== undefined) return known;
  const older = previous.get(raw);
  if (older !== undefined) {
    remember(raw, older);
    return older;
  }
  const value = normalizeUncached(raw, defaultCountry);
  remember(raw, value);
  return value;
}

function normalizeUncached(raw: string, defaultCountry: CountryCode): string {
  const text = raw.trim();
  if (!/\d/.test(text)) return '';
  // Parsing is linear, but a 1 KiB phone field of digits is no phone: skip the library for it.
  if (text.length <= 64) {
    const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: true });
    if (parsed?.isPossible()) return parsed.number.slice(1);
  }
  return text.replace(/\D/g, '');
}

/** How many phones the cache holds now, both generations (tests). */
export function phoneCacheSize(): number {
  return current.size + previous.size;
}

/** Emails compare case-insensitively (README "Duplicates"); surrounding space and a "mailto:" prefix are noise. */
export function normalizeEmail(raw: string): string {
  return raw
    .trim()
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
}
