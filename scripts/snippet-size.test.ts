// The committed size baseline of the snippet is current: a change in the snippet's size fails here
// until `npm run size:baseline` writes the new size, so the growth is a line in the commit's diff.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { buildSnippetInMemory, readSizeBaseline, SIZE_BASELINE_FILE, snippetSizes } from './snippet-size.mjs';

const root = join(import.meta.dirname, '..');

test(`${SIZE_BASELINE_FILE} holds the size of the snippet built from these sources`, async () => {
  const sizes = snippetSizes(await buildSnippetInMemory(root));
  expect(readSizeBaseline(root), `the snippet's size changed: run \`npm run size:baseline\` and commit ${SIZE_BASELINE_FILE}`).toEqual({
    raw: sizes.raw,
    gzip: sizes.gzip,
  });
});

test('a snippet one statement larger is measured larger than the baseline', async () => {
  // The same sources plus one statement, built the same way: the check above would see it.
  const copy = mkdtempSync(join(tmpdir(), 'leadrelay-size-'));
  mkdirSync(join(copy, 'snippet'));
  writeFileSync(join(copy, 'snippet/index.ts'), `import '${join(root, 'snippet/index.ts')}';\nconsole.log('leadrelay size probe');\n`);
  const grown = snippetSizes(await buildSnippetInMemory(copy));
  const baseline = readSizeBaseline(root);
  expect(grown.raw).toBeGreaterThan(baseline.raw);
  expect(readFileSync(join(root, SIZE_BASELINE_FILE), 'utf8')).toBe(`${JSON.stringify(baseline, null, 2)}\n`);
});
