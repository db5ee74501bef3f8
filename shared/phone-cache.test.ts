// normalizePhone remembers recent answers (shared/phone.ts): the library parses a number once while
// it stays among the recent ones, the answers are the library's, and the cache never grows past two
// generations of PHONE_CACHE_SIZE.
import { describe, expect, it, vi } from 'vitest';

const parses = vi.hoisted(() => ({ count: 0 }));
vi.mock('libphonenumber-js', async (importOriginal) => {
  const real = await importOriginal<typeof import('libphonenumber-js')>();
  return {
    ...real,
    parsePhoneNumberFromString: (...args: Parameters<typeof real.parsePhoneNumberFromString>) => {
      parses.count += 1;
      return real.parsePhoneNumberFromString(...args);
    },
  };
});

const { normalizePhone, phoneCacheSize, PHONE_CACHE_SIZE } = await import('./phone.ts');

describe('normalizePhone cache', () => {
  it('parses a recurring number once and answers the same every time', () => {
    const before = parses.count;
    expect(normalizePhone('+7 (912) 000-11-22')).toBe('79120001122');
    expect(normalizePhone('+7 (912) 000-11-22')).toBe('79120001122');
    expect(normalizePhone('+7 (912) 000-11-22')).toBe('79120001122');
    expect(parses.count - before).toBe(1);
  });

  it('answers for another default country without the cache', () => {
    expect(normalizePhone('(202) 555-0143', 'US')).toBe('12025550143');
    expect(normalizePhone('(202) 555-0143')).not.toBe('12025550143');
  });

  it('stays within two generations, keeping the numbers in use', () => {
    normalizePhone('+7 999 000 00 00');
    for (let i = 1; i <= 5 * PHONE_CACHE_SIZE; i++) {
      normalizePhone(`+7 913 ${String(i).padStart(7, '0')}`);
      // Kept in use, so it is never dropped.
      if (i % 100 === 0) normalizePhone('+7 999 000 00 00');
      expect(phoneCacheSize()).toBeLessThanOrEqual(2 * PHONE_CACHE_SIZE);
    }
    const before = parses.count;
    expect(normalizePhone('+7 999 000 00 00')).toBe('79990000000');
    expect(parses.count).toBe(before);
    // The first numbers of the loop were dropped: parsed again.
    expect(normalizePhone('+7 913 0000001')).toBe('79130000001');
    expect(parses.count).toBe(before + 1);
  });

  it('does not keep texts longer than any phone', () => {
    const size = phoneCacheSize();
    const long = `+7 999 123 45 67 ${'x'.repeat(100)}`;
    expect(normalizePhone(long)).toBe('79991234567');
    expect(phoneCacheSize()).toBe(size);
  });
});
