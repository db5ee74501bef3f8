// The compiled collector (build.mjs bundles it with packages external) imports `pg` only when a
// PostgreSQL store is opened: a collector on SQLite never holds it in memory (docs/architecture.md).
import { build } from 'esbuild';
import { expect, test } from 'vitest';

test('pg is imported only when a PostgreSQL store is opened, never at start', async () => {
  const result = await build({ entryPoints: ['collector/src/server.ts'], bundle: true, platform: 'node', format: 'esm', target: ['node20'], packages: 'external', write: false, outdir: 'out', metafile: true, logLevel: 'silent' });
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
  const pgImports = imports.filter((i) => i.path === 'pg');
  expect(pgImports.length).toBeGreaterThan(0);
  expect(pgImports.map((i) => i.kind)).toEqual(pgImports.map(() => 'dynamic-import'));
}, 30_000);
