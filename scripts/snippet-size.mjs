// The snippet's size, and its committed baseline (snippet/size-baseline.json): build.mjs prints each
// build's size against the baseline, and scripts/snippet-size.test.ts fails until the baseline matches
// the snippet, so a size change is a line in the diff of the commit that causes it.
// `npm run size:baseline` rewrites the baseline after a build.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { minify } from 'terser';
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
  // Our own property names that never leave a bundle end in `_` (ARCHITECTURE.md "Size"): esbuild shortens them.
  // A name read by another bundle (s-tools.js, s-confirm.js), stored (IndexedDB, localStorage) or sent never does.
  mangleProps: /_$/,
  logLevel: 'warning',
};

/**
 * terser after esbuild (ARCHITECTURE.md "Size"): it inlines the functions used once and folds what esbuild leaves,
 * about 3 % fewer brotli bytes. Safe options only (no `unsafe*`): the output does what esbuild's does.
 * `module` for the lazy ES modules, whose exports stay.
 */
export async function terse(code, module = false) {
  return Buffer.from((await minify(String(code), { module, compress: { passes: 3 } })).code);
}

/** Builds one snippet bundle in memory (esbuild, then terser): its code and esbuild's metafile. */
export async function buildBundle(options) {
  const result = await build({ ...SNIPPET_BUILD, ...options, write: false, metafile: true });
  return { code: await terse(result.outputFiles[0].text, options.format == 'esm'), metafile: result.metafile };
}

/** Bytes of the minified snippet: raw, gzip (level 9) and brotli. */
export function snippetSizes(code) {
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length };
}

/** The snippet built in memory under `root`, as build.mjs builds it. */
export async function buildSnippetInMemory(root) {
  return (await buildBundle({ absWorkingDir: root, outfile: 'out.js' })).code;
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
