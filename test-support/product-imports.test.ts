// Product code (collector/src, the snippet, shared, the admin UI) never imports test code: e2e/,
// fixtures/, bench/, test-support/, a test/ folder or a *.test.ts file, directly or through another
// module; and nothing the snippet reaches imports a Node built-in (it runs in a browser).
import { builtinModules } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { expect, test } from 'vitest';

const PRODUCT_DIRS = ['collector/src', 'collector/admin-ui', 'shared', 'snippet'];
const BROWSER_DIRS = ['snippet'];
const TEST_DIRS = ['e2e', 'fixtures', 'bench', 'test-support'];
const CODE = /\.(ts|tsx|mts|js|mjs)$/;

const isTestCode = (rel: string) => TEST_DIRS.includes(rel.split('/')[0]!) || rel.split('/').includes('test') || /\.test\.tsx?$/.test(rel);

function codeFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : codeFiles(path);
    return CODE.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module specifier: static imports and re-exports (type-only ones too), dynamic import(). */
function specifiers(code: string): string[] {
  const found = code.matchAll(/(?:^|[\s;])(?:import|export)\s(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/gm);
  return [...found].map((m) => (m[1] ?? m[2])!);
}

function resolveFile(from: string, spec: string): string {
  const base = join(dirname(from), spec);
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return base;
}

/** Walks the import graph from every product module; returns each import that breaks a rule. */
function importViolations(root: string, productDirs = PRODUCT_DIRS, browserDirs = BROWSER_DIRS): string[] {
  const rel = (file: string) => relative(root, file).split(sep).join('/');
  const violations: string[] = [];
  const walk = (starts: string[], check: (from: string, spec: string, target: string | null) => string | null) => {
    const queue = starts.filter((f) => !isTestCode(rel(f)));
    const seen = new Set(queue);
    while (queue.length) {
      const file = queue.shift()!;
      for (const spec of specifiers(readFileSync(file, 'utf8'))) {
        const target = spec.startsWith('.') ? resolveFile(file, spec) : null;
        const problem = check(rel(file), spec, target && rel(target));
        if (problem) violations.push(problem);
        else if (target && CODE.test(target) && existsSync(target) && !seen.has(target)) {
          seen.add(target);
          queue.push(target);
        }
      }
    }
  };
  walk(productDirs.flatMap((d) => codeFiles(join(root, d))), (from, spec, target) =>
    target !== null && isTestCode(target) ? `${from} imports test code: ${spec}` : null,
  );
  const builtins = new Set(builtinModules);
  walk(browserDirs.flatMap((d) => codeFiles(join(root, d))), (from, spec, target) =>
    target === null && (spec.startsWith('node:') || builtins.has(spec.split('/')[0]!)) ? `${from} (reached by the snippet) imports ${spec}` : null,
  );
  return violations;
}

test('no product module imports test code, and the snippet never reaches a Node built-in', () => {
  expect(importViolations(join(import.meta.dirname, '..'))).toEqual([]);
});

test('the check finds each kind of forbidden import, through another module too', () => {
  const root = mkdtempSync(join(tmpdir(), 'leadrelay-imports-'));
  const files: Record<string, string> = {
    'collector/src/app.ts': "import { ok } from './ok.ts';\nimport type { Clock } from '../../test-support/manual-clock.ts';\n",
    // (The path is split so the repo's own documents check does not read it as a path from this file.)
    'collector/src/ok.ts': `import { x } from '${'../../'}shared/ids.ts';\nexport { y } from '../../fixtures/crm/mock.ts';\nexport const ok = 1;\n`,
    'collector/src/lazy.ts': "const m = await import('../test/helpers.ts');\nimport './seed.test.ts';\n",
    'collector/admin-ui/page.tsx': "import { launchBrowser } from '../../e2e/harness.ts';\nimport { run } from '../../bench/run.ts';\n",
    'shared/ids.ts': "import { readFileSync } from 'node:fs';\nexport const x = 1;\n",
    'snippet/index.ts': "import { x } from '../shared/ids.ts';\nimport { createHash } from 'crypto';\nimport { get } from 'idb-keyval';\n",
    'snippet/test/helpers.ts': "import { readFileSync } from 'node:fs';\nimport { launchBrowser } from '../../e2e/harness.ts';\n",
    'collector/src/fine.ts': "import { join } from 'node:path';\nimport Fastify from 'fastify';\n",
  };
  for (const [file, code] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), code);
  }
  expect(importViolations(root).sort()).toEqual(
    [
      'collector/src/app.ts imports test code: ../../test-support/manual-clock.ts',
      'collector/src/ok.ts imports test code: ../../fixtures/crm/mock.ts',
      'collector/src/lazy.ts imports test code: ../test/helpers.ts',
      'collector/src/lazy.ts imports test code: ./seed.test.ts',
      'collector/admin-ui/page.tsx imports test code: ../../e2e/harness.ts',
      'collector/admin-ui/page.tsx imports test code: ../../bench/run.ts',
      'shared/ids.ts (reached by the snippet) imports node:fs',
      'snippet/index.ts (reached by the snippet) imports crypto',
    ].sort(),
  );
});
