import { describe, expect, it } from 'vitest';
import { applyLimits, truncate } from './limits.ts';
import { LIMITS } from './schemas.ts';

describe('truncate', () => {
  it('keeps a value within the limit as it is', () => {
    expect(truncate('abc', 3)).toBe('abc');
    expect(truncate('', 0)).toBe('');
  });

  it('cuts by characters, never splitting an emoji', () => {
    expect(truncate('abcdef', 4)).toBe('abcd');
    expect(truncate('😀😀😀', 2)).toBe('😀😀');
    expect(truncate('Привет', 3)).toBe('При');
  });
});

describe('applyLimits: the reference article limits, by truncation', () => {
  const long = (n: number) => 'я'.repeat(n);
  const lead = {
    title: long(2000),
    comment: long(5000),
    name: long(1500),
    phone: long(1500),
    email: long(1500),
    fields: { price: '1', note: long(9000), list: [long(9000), 'b'] },
    clientFields: { about: long(9000) },
    page: long(5000),
  };
  const limited = applyLimits(lead);

  it.each([
    ['title', LIMITS.title],
    ['comment', LIMITS.comment],
    ['name', LIMITS.name],
    ['phone', LIMITS.phone],
    ['email', LIMITS.email],
  ] as const)('%s is cut to %i', (key, max) => {
    expect(limited[key]).toHaveLength(max);
    expect(max).toBe({ title: 1024, comment: 4096, name: 1024, phone: 1024, email: 1024 }[key]);
  });

  it('cuts each extra field and each item of a list field to 8000', () => {
    expect(limited.fields.note).toHaveLength(8000);
    expect(limited.fields.price).toBe('1');
    expect(limited.fields.list).toEqual([long(8000), 'b']);
    expect(limited.clientFields.about).toHaveLength(8000);
  });

  it('leaves other properties and the input untouched', () => {
    expect(limited.page).toHaveLength(5000);
    expect(lead.title).toHaveLength(2000);
  });
});
