// The bench's child servers run compiled JavaScript, as production does (`npm start` runs
// dist/collector/server.js, built by build.mjs): a TypeScript entry is bundled once per bench process
// with the same esbuild options as the collector's build, into dist/bench/. Running it under tsx
// instead costs start-up time and resident memory that production never pays (BENCHMARKS.md, Memory).
import { build } from 'esbuild';
import { mkdirSync, renameSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: dist/bench/ must sit under it so the bundle's package imports resolve. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
export const BENCH_DIST = join(ROOT, 'dist/bench');

const built = new Map<string, Promise<string>>();

/** The compiled file of a TypeScript entry (built on first use in this process), with its source map beside it. */
export function compiledEntry(script: string): Promise<string> {
  let out = built.get(script);
  if (!out) {
    out = compile(script);
    built.set(script, out);
    // A failed build is retried by the next caller, not remembered.
    out.catch(() => built.delete(script));
  }
  return out;
}

async function compile(script: string): Promise<string> {
  mkdirSync(BENCH_DIST, { recursive: true });
  const file = join(BENCH_DIST, basename(script).replace(/\.ts$/, '.mjs'));
  // Several bench processes (a test beside a run) may build the same entry: each writes its own file and renames it.
  const tmp = `${file}.${process.pid}.tmp.mjs`;
  await build({
    entryPoints: [script],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: ['node20'],
    packages: 'external',
    outfile: tmp,
    // No sourceMappingURL comment (the file is renamed); profile.ts reads the map beside it.
    sourcemap: 'external',
    logLevel: 'warning',
  });
  renameSync(`${tmp}.map`, `${file}.map`);
  renameSync(tmp, file);
  return file;
}
