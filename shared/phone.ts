// Normalized contact keys for duplicate detection (README "Duplicates"): the same person typed as
// "+7 (999) 123-45-67", "89991234567" or "9991234567" must compare equal.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * The phone in international digits without "+" ("79991234567"), read with `defaultCountry` for
 * national formats (Russia by default, like the reference article's audience). Text that is no
 * possible phone number keeps its digits only, and text without digits gives ''.
 */
export function normalizePhone(raw: string, defaultCountry: CountryCode = 'RU'): string {
  const text = raw.trim();
  if (!/\d/.test(text)) return '';
  // Parsing is linear, but a 1 KiB phone field of digits is no phone: skip the library for it.
  if (text.length <= 64) {
    const parsed = parsePhoneNumberFromString(text, { defaultCountry, extract: true });
    if (parsed?.isPossible()) return parsed.number.slice(1);
  }
  return text.replace(/\D/g, '');
}

/** Emails compare case-insensitively (README "Duplicates"); surrounding space and a "mailto:" prefix are noise. */
export function normalizeEmail(raw: string): string {
  return raw
    .trim()
    .replace(/^mailto:/i, '')
    .trim()
    .toLowerCase();
}
