// The XLSX export opened back: the ZIP read through its central directory with an independent reader
// (CRCs checked with zlib's), the sheet's XML read cell by cell: phones are text without an apostrophe,
// Cyrillic is intact, numbers are numbers, and a visitor's "=formula" stays text. And the CSV with the
// locale's separator.
import { crc32 as zlibCrc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { Lead } from '../../../shared/schemas.ts';
import { csvSeparatorFor, leadTable, leadsToCsv } from './csv.ts';
import { columnName, xlsxWorkbook } from './xlsx.ts';

function lead(patch: Partial<Lead>): Lead {
  return {
    id: 'l1', projectId: 'p1', formId: null, source: 'form', visit: 7, title: 'Заявка', name: 'Анна', phone: '+7 999 123-45-67',
    email: 'a@example.com', comment: '', fields: {}, clientFields: {}, orderCreationMethod: '', page: '', referrer: '', landingPage: '',
    utm: { source: 'yandex', medium: '', campaign: '', term: '', content: '' }, ip: '', userAgent: '', callback: false,
    createdAt: '2026-01-01T00:00:00.000Z', status: 'sent', crmId: '42', attemptCount: 1, nextAttemptAt: null, lastError: null,
    duplicateOf: null, comments: [], ...patch,
  };
}

/** Every file of a ZIP archive, found through the central directory, its CRC checked. */
function unzip(zip: Uint8Array): Map<string, string> {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && view.getUint32(end, true) !== 0x06054b50) end--;
  expect(end).toBeGreaterThanOrEqual(0);
  const count = view.getUint16(end + 10, true);
  let at = view.getUint32(end + 16, true);
  const files = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    expect(view.getUint32(at, true)).toBe(0x02014b50);
    const method = view.getUint16(at + 10, true);
    const crc = view.getUint32(at + 16, true);
    const size = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extra = view.getUint16(at + 30, true);
    const comment = view.getUint16(at + 32, true);
    const localOffset = view.getUint32(at + 42, true);
    const name = new TextDecoder().decode(zip.subarray(at + 46, at + 46 + nameLength));
    expect(method, name).toBe(0);
    expect(view.getUint32(localOffset, true)).toBe(0x04034b50);
    const dataStart = localOffset + 30 + view.getUint16(localOffset + 26, true) + view.getUint16(localOffset + 28, true);
    const data = zip.subarray(dataStart, dataStart + size);
    expect(zlibCrc32(data) >>> 0, name).toBe(crc);
    files.set(name, new TextDecoder('utf-8', { fatal: true }).decode(data));
    at += 46 + nameLength + extra + comment;
  }
  return files;
}

interface ReadCell {
  type: 'inlineStr' | 'n';
  text: string;
}

/** The sheet's cells by reference ("A1"), with their type and text (entities decoded). */
function readCells(sheet: string): Map<string, ReadCell> {
  const cells = new Map<string, ReadCell>();
  const decode = (s: string) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  for (const m of sheet.matchAll(/<c r="([A-Z]+\d+)"(?: s="\d+")?(?: t="(\w+)")?>(.*?)<\/c>/g)) {
    const [, ref, type, inner] = m;
    if (type === 'inlineStr') cells.set(ref!, { type: 'inlineStr', text: decode(/<t[^>]*>(.*)<\/t>/s.exec(inner!)![1]!) });
    else cells.set(ref!, { type: 'n', text: /<v>(.*)<\/v>/.exec(inner!)![1]! });
  }
  return cells;
}

describe('XLSX export of leads', () => {
  it('is a valid package whose sheet holds every cell with its type: phones as text, Cyrillic intact, numbers as numbers', () => {
    const leads = [
      lead({ id: 'l2', phone: '+7 999 123-45-67', name: 'Пётр Ёлкин', attemptCount: 3, fields: { city: 'Казань' } }),
      lead({ id: 'l1', name: '=HYPERLINK("http://x")', comment: 'a < b & "c"', phone: '8 (800) 555-35-35' }),
    ];
    const { header, rows } = leadTable(leads);
    const files = unzip(xlsxWorkbook(header, rows));
    expect([...files.keys()].sort()).toEqual(
      ['[Content_Types].xml', '_rels/.rels', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml', 'xl/workbook.xml', 'xl/worksheets/sheet1.xml'].sort(),
    );
    expect(files.get('[Content_Types].xml')).toContain('/xl/worksheets/sheet1.xml');
    const cells = readCells(files.get('xl/worksheets/sheet1.xml')!);
    const col = (name: string) => columnName(header.indexOf(name));

    expect(cells.get(`${col('phone')}1`)).toEqual({ type: 'inlineStr', text: 'phone' });
    expect(cells.get(`${col('phone')}2`)).toEqual({ type: 'inlineStr', text: '+7 999 123-45-67' });
    expect(cells.get(`${col('phone')}3`)).toEqual({ type: 'inlineStr', text: '8 (800) 555-35-35' });
    expect(cells.get(`${col('name')}2`)).toEqual({ type: 'inlineStr', text: 'Пётр Ёлкин' });
    expect(cells.get(`${col('fields.city')}2`)).toEqual({ type: 'inlineStr', text: 'Казань' });
    expect(cells.get(`${col('attemptCount')}2`)).toEqual({ type: 'n', text: '3' });
    expect(cells.get(`${col('visit')}2`)).toEqual({ type: 'n', text: '7' });
    // A visitor's formula stays text: no apostrophe added, and no <f> element anywhere.
    expect(cells.get(`${col('name')}3`)).toEqual({ type: 'inlineStr', text: '=HYPERLINK("http://x")' });
    expect(files.get('xl/worksheets/sheet1.xml')).not.toContain('<f>');
    expect(cells.get(`${col('comment')}3`)).toEqual({ type: 'inlineStr', text: 'a < b & "c"' });
    // Empty values make no cell; the second lead has no city.
    expect(cells.has(`${col('fields.city')}3`)).toBe(false);
  });

  it('names columns past Z as a spreadsheet does', () => {
    expect([0, 25, 26, 27, 51, 52, 701, 702].map(columnName)).toEqual(['A', 'Z', 'AA', 'AB', 'AZ', 'BA', 'ZZ', 'AAA']);
  });

  it('drops characters XML cannot hold instead of writing a broken sheet', () => {
    const { header, rows } = leadTable([lead({ comment: 'bell\u0007 and nul\u0000 gone' })]);
    const cells = readCells(unzip(xlsxWorkbook(header, rows)).get('xl/worksheets/sheet1.xml')!);
    expect(cells.get(`${columnName(header.indexOf('comment'))}2`)!.text).toBe('bell and nul gone');
  });
});

describe('CSV with the separator of the locale', () => {
  it('uses ";" where the decimal sign is a comma, and "," elsewhere', () => {
    expect(csvSeparatorFor('ru-RU')).toBe(';');
    expect(csvSeparatorFor('de-DE')).toBe(';');
    expect(csvSeparatorFor('en-US')).toBe(',');
    expect(csvSeparatorFor('en-GB')).toBe(',');
  });

  it('splits into the right columns when read with ";"', () => {
    const csv = leadsToCsv([lead({ name: 'Иванов; Иван', comment: 'a,b' })], ';');
    const [header, row] = csv.split('\r\n');
    const columns = header!.split(';');
    expect(columns[0]).toBe('id');
    // The name holds the separator, so it is quoted; the comma needs no quoting with ";".
    expect(row).toContain(';"Иванов; Иван";');
    expect(row).toContain(';a,b;');
    expect(row!.match(/;(?=(?:[^"]*"[^"]*")*[^"]*$)/g)!.length).toBe(columns.length - 1);
  });
});
