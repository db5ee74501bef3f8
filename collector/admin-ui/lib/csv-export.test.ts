import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../shared/schemas.ts';
import { csvCell, leadsToCsv } from './csv.ts';

function lead(patch: Partial<Lead>): Lead {
  return {
    id: 'l1', projectId: 'p1', formId: null, source: 'form', visit: 7, title: 'Request', name: 'Anna', phone: '+79991234567',
    email: 'a@example.com', comment: '', fields: {}, clientFields: {}, orderCreationMethod: '', page: '', referrer: '', landingPage: '',
    utm: { source: 'google', medium: '', campaign: '', term: '', content: '' }, ip: '', userAgent: '', callback: false,
    createdAt: '2026-01-01T00:00:00.000Z', status: 'sent', crmId: '42', attemptCount: 1, nextAttemptAt: null, lastError: null,
    duplicateOf: null, comments: [], ...patch,
  };
}

describe('CSV export of leads', () => {
  it('quotes commas, quotes and line breaks', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell(null)).toBe('');
    expect(csvCell(3)).toBe('3');
  });

  it('never lets a visitor-typed value start a spreadsheet formula', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1+1', '-2', '@SUM(A1)', '\tx']) {
      expect(csvCell(evil).replace(/^"/, '').startsWith("'")).toBe(true);
    }
    expect(csvCell('Anna')).toBe('Anna');
  });

  it('writes a header, one row per lead, and a column for every extra field seen', () => {
    const csv = leadsToCsv([
      lead({ id: 'l2', fields: { price: '100', tags: ['a', 'b'] } }),
      lead({ id: 'l1', name: '=cmd', fields: { city: 'Kazan' } }),
    ]);
    const [header, first, second, end] = csv.split('\r\n');
    expect(header!.split(',').slice(-3)).toEqual(['fields.city', 'fields.price', 'fields.tags']);
    expect(header!.startsWith('id,createdAt,status,crmId')).toBe(true);
    expect(first!.startsWith('l2,')).toBe(true);
    expect(first!.endsWith(',,100,"a, b"')).toBe(true);
    expect(second).toContain(",'=cmd,");
    expect(second!.endsWith(',Kazan,,')).toBe(true);
    expect(end).toBe('');
  });
});
