// `npm start` builds only when dist/ is missing or older than a source file.
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect, test } from 'vitest';
import { staleBuild } from './stale-build.mjs';

function tree(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'leadrelay-stale-'));
  for (const [file, mtimeSeconds] of Object.entries(files)) {
    mkdirSync(dirname(join(root, file)), { recursive: true });
    writeFileSync(join(root, file), '');
    utimesSync(join(root, file), mtimeSeconds, mtimeSeconds);
  }
  return root;
}

const inputs = ['build.mjs', 'collector/src'];
const outputs = ['dist/collector/server.js', 'dist/s.js'];

test('a build newer than every source is fresh', () => {
  const root = tree({ 'build.mjs': 100, 'collector/src/app.ts': 100, 'collector/src/store/sqlite.ts': 150, 'dist/collector/server.js': 200, 'dist/s.js': 201 });
  expect(staleBuild(root, inputs, outputs)).toBeNull();
});

test('a missing output is stale', () => {
  const root = tree({ 'build.mjs': 100, 'collector/src/app.ts': 100, 'dist/collector/server.js': 200 });
  expect(staleBuild(root, inputs, outputs)).toBe('dist/s.js is missing');
});

test('a source file (deep in a folder) newer than the oldest output is stale', () => {
  const root = tree({ 'build.mjs': 100, 'collector/src/store/sqlite.ts': 250, 'dist/collector/server.js': 200, 'dist/s.js': 300 });
  expect(staleBuild(root, inputs, outputs)).toBe('collector/src changed since the last build');
});

test('an input that does not exist does not make a build stale', () => {
  const root = tree({ 'build.mjs': 100, 'dist/collector/server.js': 200, 'dist/s.js': 200 });
  expect(staleBuild(root, inputs, outputs)).toBeNull();
});

test('the repo itself lists the real build inputs and outputs', async () => {
  const { BUILD_INPUTS, BUILD_OUTPUTS } = await import('./stale-build.mjs');
  expect(BUILD_OUTPUTS).toContain('dist/collector/server.js');
  expect(BUILD_INPUTS).toEqual(expect.arrayContaining(['collector/src', 'shared', 'snippet', 'build.mjs']));
});
