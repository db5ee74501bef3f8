// The layout rule of docs/architecture.md ("Where tests live"): no test file under collector/src/.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return testFiles(path);
    return e.name.endsWith('.test.ts') ? [relative(ROOT, path)] : [];
  });
}

describe('collector tests live in collector/test/', () => {
  it('no test sits beside product code in collector/src/', () => {
    // collector/src/store/ is being emptied of its tests by the store rework; everything else is done.
    const colocated = testFiles(join(ROOT, 'collector/src')).filter((f) => !f.startsWith('collector/src/store/'));
    expect(colocated).toEqual([]);
  });

  it('the moved tests are found under collector/test/ in the folder mirroring their source', () => {
    const found = testFiles(join(ROOT, 'collector/test'));
    expect(found).toEqual(expect.arrayContaining([
      'collector/test/routes/proxy-api.test.ts',
      'collector/test/proxy/proxy-params-parsing.test.ts',
    ]));
  });
});
