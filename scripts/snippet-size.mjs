// The snippet's size, and its committed baseline (snippet/size-baseline.json): build.mjs prints each
// build's size against the baseline, and scripts/snippet-size.test.ts fails until the baseline matches
// the snippet, so a size change is a line in the diff of the commit that causes it.
// `npm run size:baseline` rewrites the baseline after a build.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { brotliCompressSync, gzipSync } from 'node:zlib';

export const SIZE_BASELINE_FILE = 'snippet/size-baseline.json';

/** esbuild options of the snippet served as /s.js. */
export const SNIPPET_BUILD = {
  entryPoints: ['snippet/index.ts'],
  bundle: true,
  minify: true,
  format: 'iife',
  // Browsers with ?. and ?? (2020); Safari from 14.1, whose earlier versions have a destructuring bug.
  target: ['es2020', 'chrome80', 'edge80', 'firefox80', 'safari14.1'],
  legalComments: 'none',
  logLevel: 'warning',
};

/** Bytes of the minified snippet: raw, gzip (level 9) and brotli. */
export function snippetSizes(code) {
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length };
}

/** The snippet built in memory under `root`, as build.mjs builds it. */
export async function buildSnippetInMemory(root) {
  const result = await build({ ...SNIPPET_BUILD, absWorkingDir: root, write: false, outfile: 'out.js' });
  return Buffer.from(result.outputFiles[0].contents);
}

export function readSizeBaseline(root) {
  return JSON.parse(readFileSync(join(root, SIZE_BASELINE_FILE), 'utf8'));
}

/** Raw and gzip bytes only: brotli's output is left out, as it may differ between Node versions. */
export function writeSizeBaseline(root, sizes) {
  writeFileSync(join(root, SIZE_BASELINE_FILE), `${JSON.stringify({ raw: sizes.raw, gzip: sizes.gzip }, null, 2)}\n`);
}

// `node scripts/snippet-size.mjs --update`: the baseline rewritten from the current sources.
if (process.argv[1] && import.meta.filename === process.argv[1] && process.argv.includes('--update')) {
  const sizes = snippetSizes(await buildSnippetInMemory(process.cwd()));
  writeSizeBaseline(process.cwd(), sizes);
  console.log(`${SIZE_BASELINE_FILE}: ${sizes.raw} B raw, ${sizes.gzip} B gzip`);
}
