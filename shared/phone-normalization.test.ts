import { describe, expect, it } from 'vitest';
import { normalizeEmail, normalizePhone } from './phone.ts';

describe('normalizePhone: one key for every way a Russian number is typed', () => {
  it.each([
    ['+7 (999) 123-45-67', '79991234567'],
    ['89991234567', '79991234567'],
    ['9991234567', '79991234567'],
    ['8 (999) 123-45-67', '79991234567'],
    ['7 999 123 45 67', '79991234567'],
    ['tel: 8-999-123-45-67', '79991234567'],
    ['  +7 999 123 45 67 доб. 12', '79991234567'],
  ])('%j → %s', (raw, normalized) => {
    expect(normalizePhone(raw)).toBe(normalized);
  });

  it('reads numbers written with their own country code', () => {
    expect(normalizePhone('+1 202 555 0143')).toBe('12025550143');
    expect(normalizePhone('+44 20 7946 0958')).toBe('442079460958');
    expect(normalizePhone('+380 44 123 4567')).toBe('380441234567');
  });

  it('honours another default country for national formats', () => {
    expect(normalizePhone('(202) 555-0143', 'US')).toBe('12025550143');
  });

  it('keeps only the digits of what is no phone number, and gives empty for no digits', () => {
    expect(normalizePhone('12')).toBe('12');
    expect(normalizePhone('call 0-0')).toBe('00');
    expect(normalizePhone('no phone')).toBe('');
    expect(normalizePhone('')).toBe('');
    expect(normalizePhone('9'.repeat(1024))).toBe('9'.repeat(1024));
  });
});

describe('normalizeEmail', () => {
  it.each([
    ['Ivan@Example.COM', 'ivan@example.com'],
    ['  ivan@example.com \n', 'ivan@example.com'],
    ['mailto:IVAN@example.com', 'ivan@example.com'],
    ['', ''],
  ])('%j → %j', (raw, normalized) => {
    expect(normalizeEmail(raw)).toBe(normalized);
  });
});
