// Normalized contact keys for duplicate detection (README "Duplicates"): the same person typed as
// "+7 (999) 123-45-67", "89991234567" or "9991234567" must compare equal.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/** How many recent phones `normalizePhone` remembers: the same numbers recur (repeats, retries, one visitor's forms). */
export const PHONE_CACHE_SIZE = 1000;
// Map keeps insertion order: a hit is moved to the end, and the first key is the least recently used.
const recent = new Map<string, string>();

/**
 * The phone in international digits without "+" ("79991234567"), read with `defaultCountry` for
 * national formats (Russia by default, like the reference article's audience). Text that is no
 * possible phone number keeps its digits only, and text without digits gives ''.
 */
export function normalizePhone(raw: string, defaultCountry: CountryCode = 'RU'): string {
  // libphonenumber was 5–6 % of a lead's CPU time (BENCHMARKS.md "Ingest"): remember recent answers.
  // Only short texts are kept, so the cache stays small whatever clients send.
  if (raw.length > 64) return normalizeUncached(raw, defaultCountry);
  const key = `${defaultCountry}:${raw}`;
  const known = recent.get(key);
  if (known !== undefined) {
    recent.delete(key);
    recent.set(key, known);
    return known;
  }
  const value = normalizeUncached(raw, defaultCountry);
  if (recent.size >= PHONE_CACHE_SIZE) recent.delete(recent.keys().next().value as string);
  recent.set(key, value);
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

/** How many phones the cache holds now (tests). */
export function phoneCacheSize(): number {
  return recent.size;
}

/** Emails compare case-insensitively (README "Duplicates"); surrounding space and a "mailto:" prefix are noise. */
export function normalizeEmail(raw: string): string {
  return raw
    .trim()
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
}
