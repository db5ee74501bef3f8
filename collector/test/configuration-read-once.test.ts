// The environment is read once, by config.ts, when server.ts starts; every other collector module
// gets its settings passed in (buildApp's options), so a test or an embedder sets them explicitly.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { expect, it } from 'vitest';

const SRC = join(import.meta.dirname, '../src');
const READERS = new Set(['config.ts', 'server.ts']);

function productModules(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return productModules(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

it('no collector module but config.ts and server.ts mentions process.env', () => {
  const modules = productModules(SRC).map((file) => relative(SRC, file));
  expect(modules).toContain('app.ts');
  expect(modules).toContain('routes/proxy.ts');
  const readers = modules.filter((file) => !READERS.has(file) && readFileSync(join(SRC, file), 'utf8').includes('process.env'));
  expect(readers).toEqual([]);
});
