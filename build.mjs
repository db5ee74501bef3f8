// Builds the browser bundles: the snippet served as /s.js (with a gzip size gate) and the admin UI,
// and the collector compiled to JavaScript (dist/collector/server.js).
// Prints the snippet's size beside its committed baseline (snippet/size-baseline.json), which a test
// keeps current, so a growth is seen in the commit that causes it.
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants as zlib } from 'node:zlib';
import { SIZE_BASELINE_FILE, SNIPPET_BUILD, readSizeBaseline, snippetSizes } from './scripts/snippet-size.mjs';

// TEMPORARY (branch snippet-guard): raised from 4096 for confirmation conditions and the snippet's privacy
// (+503 B gzip, snippet/ARCHITECTURE.md "Size"); back to 4096 once the debug-only code moves to its lazy bundle.
export const SNIPPET_GZIP_BUDGET = 4600;
const outdir = 'dist';
mkdirSync(outdir, { recursive: true });
const baseline = existsSync(SIZE_BASELINE_FILE) ? readSizeBaseline('.') : {};

const snippet = await build({ ...SNIPPET_BUILD, outfile: `${outdir}/s.js`, metafile: true });
writeFileSync(`${outdir}/s.meta.json`, JSON.stringify(snippet.metafile));

const code = readFileSync(`${outdir}/s.js`);
const sizes = snippetSizes(code);
const delta = (now, before) => (before === undefined || now === before ? '' : ` (baseline ${before}, ${now - before > 0 ? '+' : ''}${now - before})`);
console.log(
  `s.js: ${sizes.raw} B raw${delta(sizes.raw, baseline.raw)}, ${sizes.gzip} B gzip${delta(sizes.gzip, baseline.gzip)}, ` +
    `${sizes.brotli} B brotli; budget ${SNIPPET_GZIP_BUDGET} B gzip`,
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

// The collector serves these precompressed (collector/src/precompressed.ts): a .br and a .gz beside
// each file, made once here at the best levels instead of per request.
const compressedBeside = (file) => {
  const body = readFileSync(file);
  writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
  writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11, [zlib.BROTLI_PARAM_SIZE_HINT]: body.length } }));
};
for (const file of [`${outdir}/s.js`, `${outdir}/admin/app.js`, `${outdir}/admin/app.css`]) if (existsSync(file)) compressedBeside(file);

if (sizes.gzip > SNIPPET_GZIP_BUDGET) {
  console.error(`s.js is ${sizes.gzip} B gzip, over the budget of ${SNIPPET_GZIP_BUDGET} B`);
  process.exit(1);
}
