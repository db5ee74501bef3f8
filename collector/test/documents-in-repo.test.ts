// Every document a file points to is in the repo: comments, tests and markdown cite docs/ and the
// README, never a product document kept outside it (a maintainer would not have it). Relative paths
// into a `shared/` folder must resolve to a file of this repo (`../../shared/schemas.ts` does; a path
// that climbs out of the repo does not).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Not the repo's own text: dependencies, build output, local data, git's own files. */
const SKIPPED = new Set(['node_modules', 'dist', 'data', '.git', '.tmp', 'test-results']);
const BINARY = /\.(png|jpe?g|gif|webp|ico|gz|br|mmdb|woff2?|sqlite|db)$/i;

// Built from pieces so that this file does not cite what it forbids.
const OUTSIDE_DOC = new RegExp(['\\bSP', 'EC\\b'].join(''));
const SECTION = new RegExp(['\u00a7', '\\s*\\d'].join(''));
const SHARED_PATH = /(?<![\w./-])((?:\.\.\/)+shared(?:\/[\w.-]*[\w-])*\/?)/g;

/** The problems of one file's text: each names the line and what it cites. */
function problemsIn(file: string, text: string): string[] {
  const problems: string[] = [];
  text.split('\n').forEach((line, i) => {
    const where = `${relative(ROOT, file)}:${i + 1}`;
    if (OUTSIDE_DOC.test(line)) problems.push(`${where}: cites a document that is not in the repo: ${line.trim()}`);
    else if (SECTION.test(line)) problems.push(`${where}: cites a numbered section of no document in the repo: ${line.trim()}`);
    for (const match of line.matchAll(SHARED_PATH)) {
      const target = resolve(dirname(file), match[1]!);
      if (!target.startsWith(ROOT + sep) || !existsSync(target)) {
        problems.push(`${where}: ${match[1]} is not a file of this repo`);
      }
    }
  });
  return problems;
}

function repoTextFiles(dir: string, out: string[] = []): string[] {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) repoTextFiles(path, out);
    else if (entry.isFile() && !BINARY.test(entry.name)) out.push(path);
  }
  return out;
}

describe('the repo carries its own documents', () => {
  it('flags a citation of an outside document, a numbered section and a shared/ path out of the repo', () => {
    const file = join(ROOT, 'collector/src/example.ts');
    const outside = ['// the limits of SP', 'EC \u00a77'].join('');
    const section = ['// as \u00a7', '4.2 says'].join('');
    const climbing = ["// see ../../../..", '/shared/STYLE.md'].join('');
    const missing = ["import x from '../..", "/shared/no-such-file.ts';"].join('');
    expect(problemsIn(file, outside)).toHaveLength(1);
    expect(problemsIn(file, section)).toHaveLength(1);
    expect(problemsIn(file, climbing)).toEqual([expect.stringContaining('is not a file of this repo')]);
    expect(problemsIn(file, missing)).toEqual([expect.stringContaining('is not a file of this repo')]);
    const bareFolder = ['// the folder ../../../..', '/shared/'].join('');
    expect(problemsIn(file, bareFolder)).toEqual([expect.stringContaining('is not a file of this repo')]);
    // The repo's own shared/ folder, and docs/ pointers, are fine.
    expect(problemsIn(file, "import { LIMITS } from '../../shared/schemas.ts'; // docs/http-api.md \"Site API\"")).toEqual([]);
  });

  it('no file in the repo cites a document outside it', () => {
    const files = repoTextFiles(ROOT);
    // The walk really covers the repo: the README, code, tests and migrations of both stores.
    for (const known of ['README.md', 'docs/architecture.md', 'shared/schemas.ts', 'collector/src/app.ts', 'collector/migrations/postgres/0001_initial.sql']) {
      expect(files, known).toContain(join(ROOT, known));
    }
    const problems = files.flatMap((file) => problemsIn(file, readFileSync(file, 'utf8')));
    expect(problems).toEqual([]);
  });

  it('docs/ holds the architecture, the HTTP contract and the data model, and the README points there', () => {
    for (const doc of ['architecture.md', 'http-api.md', 'data-model.md']) expect(existsSync(join(ROOT, 'docs', doc)), doc).toBe(true);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const doc of ['docs/architecture.md', 'docs/http-api.md', 'docs/data-model.md']) expect(readme).toContain(`(${doc})`);
  });
});
