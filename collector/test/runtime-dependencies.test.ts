// What `npm install --omit=dev` puts on a server: only permissive licences (leadrelay is MIT, so no
// AGPL/GPL/SSPL code may ship with it), and only packages that the product itself uses.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from 'vitest';

const root = join(import.meta.dirname, '../..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  scripts: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { license?: string; dev?: boolean }>;
};

const PERMISSIVE = new Set(['MIT', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', 'BlueOak-1.0.0', '0BSD', '(MIT OR WTFPL)', '(BSD-2-Clause OR MIT OR Apache-2.0)']);

test('every package installed for production has a permissive licence', () => {
  const offending = Object.entries(lock.packages)
    .filter(([path, p]) => path !== '' && !p.dev && !PERMISSIVE.has(p.license ?? ''))
    .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')}: ${p.license ?? 'no licence'}`);
  expect(offending).toEqual([]);
});

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|tsx|mjs)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

test('every runtime dependency is used by the product (not only by tests or benchmarks)', () => {
  const sources = [...['collector/src', 'collector/admin-ui', 'shared', 'snippet'].flatMap((d) => sourceFiles(join(root, d))), join(root, 'build.mjs')]
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  const scripts = Object.values(pkg.scripts).join('\n');
  const unused = Object.keys(pkg.dependencies).filter((dep) => {
    const imported = new RegExp(`(from |import\\(|jsxImportSource: )'${dep.replace(/[/.]/g, '\\$&')}(/[^']*)?'`).test(sources);
    // A dependency a package script loads with `node --import <dep>` counts as used.
    const launched = new RegExp(`--import ${dep}\\b`).test(scripts);
    return !imported && !launched;
  });
  expect(unused).toEqual([]);
});
