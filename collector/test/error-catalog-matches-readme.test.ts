// The error catalog kept honest (as fastify's test/internals/errors.test.js keeps its own): every code
// in collector/src/errors.ts is in the README's error table with its HTTP status, every code of that
// table is in the catalog, and every code of the catalog is answered somewhere in the collector.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ApiError, ERRORS, errorBody, type ErrorCode } from '../src/errors.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));

/** The rows of the table under the README's "### Errors" heading: code → the status cell's number. */
function readmeErrorTable(readme: string): Map<string, number> {
  const section = readme.split(/^### Errors$/m)[1]?.split(/^#{2,3} /m)[0];
  if (section === undefined) throw new Error('README.md has no "### Errors" section');
  const rows = new Map<string, number>();
  for (const line of section.split('\n')) {
    const cells = /^\|\s*`([A-Z_]+)`\s*\|\s*(\d{3})\b[^|]*\|\s*\S/.exec(line);
    if (!cells) continue;
    if (rows.has(cells[1]!)) throw new Error(`README.md lists ${cells[1]} twice`);
    rows.set(cells[1]!, Number(cells[2]));
  }
  return rows;
}

function productSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return productSources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

const catalog = Object.entries(ERRORS).map(([code, { status }]) => ({ code, status }));
const table = readmeErrorTable(readFileSync(join(root, 'README.md'), 'utf8'));

describe("the catalog and the README's error table agree", () => {
  it('has one row per code', () => {
    expect(table.size).toBe(catalog.length);
  });

  it.each(catalog)('$code is in the README with HTTP $status', ({ code, status }) => {
    expect(table.get(code), `README.md's error table has no row for ${code}`).toBe(status);
  });

  it('every code of the README is in the catalog', () => {
    const unknown = [...table.keys()].filter((code) => !Object.hasOwn(ERRORS, code));
    expect(unknown, 'codes in README.md but not in collector/src/errors.ts').toEqual([]);
  });
});

describe('the catalog holds only codes the collector answers', () => {
  const sources = productSources(join(root, 'collector/src'))
    .filter((path) => !path.endsWith('/errors.ts'))
    .map((path) => readFileSync(path, 'utf8'));

  it.each(catalog)('$code is used by the collector', ({ code }) => {
    expect(sources.some((text) => text.includes(`'${code}'`)), `${code} is in the catalog but nothing answers it`).toBe(true);
  });
});

describe('an error takes its status and words from the catalog', () => {
  it.each(catalog)('$code', ({ code, status }) => {
    const err = new ApiError(code as ErrorCode);
    expect([err.statusCode, err.message]).toEqual([status, ERRORS[code as ErrorCode].message]);
    expect(errorBody(code as ErrorCode)).toEqual({ status: 'error', error: code, message: ERRORS[code as ErrorCode].message });
  });

  it('a code outside the catalog does not compile', () => {
    // @ts-expect-error: only catalog codes are errors (npm test runs tsc over this file).
    expect(() => new ApiError('TEAPOT')).toThrow(TypeError);
    // @ts-expect-error: the same for an answer sent directly.
    expect(() => errorBody('TEAPOT')).toThrow(TypeError);
  });
});
