// What the compiled collector loads at start (build.mjs bundles it with packages external): a module
// only some installs use is imported when first needed, so the others never hold it in memory.
import { build } from 'esbuild';
import { expect, test } from 'vitest';

test('maxmind is imported only when a GeoIP database is named, never at start', async () => {
  const result = await build({ entryPoints: ['collector/src/server.ts'], bundle: true, platform: 'node', format: 'esm', target: ['node20'], packages: 'external', write: false, outdir: 'out', metafile: true, logLevel: 'silent' });
  const imports = Object.values(result.metafile.outputs).flatMap((o) => o.imports);
  const maxmind = imports.filter((i) => i.path === 'maxmind');
  expect(maxmind.length).toBeGreaterThan(0);
  expect(maxmind.map((i) => i.kind)).toEqual(maxmind.map(() => 'dynamic-import'));
}, 30_000);
