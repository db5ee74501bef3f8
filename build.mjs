// Builds the browser bundles: the snippet served as /s.js (with a gzip size gate) and the admin UI,
// and the collector compiled to JavaScript (dist/collector/server.js).
// Prints the snippet's size beside its committed baseline (snippet/size-baseline.json), which a test
// keeps current, so a growth is seen in the commit that causes it.
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';
import { SIZE_BASELINE_FILE, buildBundle, readSizeBaseline, snippetSizes } from './scripts/snippet-size.mjs';

// The gates just above s.js's size (4397 B gzip, 3959 B brotli when set, after terser and the cuts of issue 18),
// with ~50 B of room each; brotli is what the collector serves (the .br beside s.js), gzip what older clients get.
// The debug tools (s-tools.js) and the confirmation watch (s-confirm.js) are lazy ES modules with budgets of their
// own (snippet/ARCHITECTURE.md "Size").
export const SNIPPET_GZIP_BUDGET = 4450;
export const SNIPPET_BROTLI_BUDGET = 4000;
const outdir = 'dist';
mkdirSync(outdir, { recursive: true });
const baseline = existsSync(SIZE_BASELINE_FILE) ? readSizeBaseline('.') : {};

// Each snippet bundle: esbuild, then terser (scripts/snippet-size.mjs), written here.
const snippetBundle = async (options) => {
  const out = await buildBundle(options);
  writeFileSync(options.outfile, out.code);
  return out;
};
const snippet = await snippetBundle({ outfile: `${outdir}/s.js` });
writeFileSync(`${outdir}/s.meta.json`, JSON.stringify(snippet.metafile));

// The tools bundle (snippet/tools/, ARCHITECTURE.md "The tools bundle"): an ES module s.js imports only
// for the inspector, debug report, picker and missed-form reports. It has its own budget.
export const TOOLS_GZIP_BUDGET = 8192;
await snippetBundle({ entryPoints: ['snippet/tools/index.ts'], format: 'esm', outfile: `${outdir}/s-tools.js` });
const toolsGzip = gzipSync(readFileSync(`${outdir}/s-tools.js`), { level: 9 }).length;
console.log(`s-tools.js: ${toolsGzip} B gzip; budget ${TOOLS_GZIP_BUDGET} B gzip`);

// The confirmation chunk (snippet/confirm.ts, ARCHITECTURE.md "Confirmation"): an ES module s.js imports as
// soon as the config holds a form with `confirm`, so only the sites that use it pay for it.
export const CONFIRM_GZIP_BUDGET = 1024;
await snippetBundle({ entryPoints: ['snippet/confirm.ts'], format: 'esm', outfile: `${outdir}/s-confirm.js` });
const confirmGzip = gzipSync(readFileSync(`${outdir}/s-confirm.js`), { level: 9 }).length;
console.log(`s-confirm.js: ${confirmGzip} B gzip; budget ${CONFIRM_GZIP_BUDGET} B gzip`);

const code = readFileSync(`${outdir}/s.js`);
const sizes = snippetSizes(code);
const delta = (now, before) => (before === undefined || now === before ? '' : ` (baseline ${before}, ${now - before > 0 ? '+' : ''}${now - before})`);
console.log(
  `s.js: ${sizes.raw} B raw${delta(sizes.raw, baseline.raw)}, ${sizes.gzip} B gzip${delta(sizes.gzip, baseline.gzip)}, ` +
    `${sizes.brotli} B brotli; gates ${SNIPPET_GZIP_BUDGET} B gzip, ${SNIPPET_BROTLI_BUDGET} B brotli`,
);
if (sizes.raw !== baseline.raw || sizes.gzip !== baseline.gzip) {
  console.log(`s.js: size differs from ${SIZE_BASELINE_FILE}; commit the new size with \`npm run size:baseline\``);
}

if (existsSync('collector/admin-ui/main.tsx')) {
  await build({
    entryPoints: ['collector/admin-ui/main.tsx'],
    bundle: true,
    minify: true,
    format: 'esm',
    target: ['es2020'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outfile: `${outdir}/admin/app.js`,
    loader: { '.css': 'css' },
    logLevel: 'warning',
  });
  console.log('admin UI: built dist/admin/app.js');
}

// The collector as plain JavaScript, so a server runs `node dist/collector/server.js` without tsx or
// esbuild: node built-ins and node_modules stay imports (better-sqlite3 is native), the rest is one file.
await build({
  entryPoints: ['collector/src/server.ts'],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: ['node20'],
  packages: 'external',
  outfile: `${outdir}/collector/server.js`,
  sourcemap: true,
  logLevel: 'warning',
});
console.log('collector: built dist/collector/server.js');

// The QA kit (README "QA kit"): the `leadrelay` command (bin/leadrelay.mjs runs dist/qa/cli.js) and
// `leadrelay/testing` with its type declarations. playwright-core stays an import: an optional peer.
await build({
  entryPoints: { cli: 'qa/cli.ts', testing: 'qa/testing.ts' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: ['node20'],
  packages: 'external',
  outdir: `${outdir}/qa`,
  logLevel: 'warning',
});
execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.types.json'], { stdio: 'inherit' });
console.log('QA kit: built dist/qa/cli.js, dist/qa/testing.js and dist/types/qa/testing.d.ts');

// The collector serves these precompressed (collector/src/precompressed.ts): a .br and a .gz beside
// each file, made once here at the best levels instead of per request.
const compressedBeside = (file) => {
  const body = readFileSync(file);
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }));
};
for (const file of [`${outdir}/s.js`, `${outdir}/s-tools.js`, `${outdir}/s-confirm.js`, `${outdir}/admin/app.js`, `${outdir}/admin/app.css`]) if (existsSync(file)) compressedBeside(file);

if (toolsGzip > TOOLS_GZIP_BUDGET) {
  console.error(`s-tools.js is ${toolsGzip} B gzip, over its budget of ${TOOLS_GZIP_BUDGET} B`);
  process.exit(1);
}
if (confirmGzip > CONFIRM_GZIP_BUDGET) {
  console.error(`s-confirm.js is ${confirmGzip} B gzip, over its budget of ${CONFIRM_GZIP_BUDGET} B`);
  process.exit(1);
}
if (sizes.gzip > SNIPPET_GZIP_BUDGET) {
  console.error(`s.js is ${sizes.gzip} B gzip, over the budget of ${SNIPPET_GZIP_BUDGET} B`);
  process.exit(1);
}
if (sizes.brotli > SNIPPET_BROTLI_BUDGET) {
  console.error(`s.js is ${sizes.brotli} B brotli, over the budget of ${SNIPPET_BROTLI_BUDGET} B`);
  process.exit(1);
}
