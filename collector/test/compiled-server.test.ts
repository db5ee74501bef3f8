// The production start: `node dist/collector/server.js`, the collector compiled by build.mjs, runs
// with no tsx and no esbuild, from any working directory (migrations, the demo site, the snippet and
// the admin UI are found from the compiled file's location).
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { staleBuild } from '../../scripts/stale-build.mjs';

const repo = join(import.meta.dirname, '../..');
const serverJs = join(repo, 'dist/collector/server.js');
let proc: ChildProcess | undefined;
let url = '';
let output = '';

beforeAll(async () => {
  if (staleBuild(repo)) execFileSync(process.execPath, ['build.mjs'], { cwd: repo, stdio: 'ignore' });
  const dataDir = mkdtempSync(join(tmpdir(), 'leadrelay-compiled-'));
  // Plain node (no --import tsx), started outside the repo.
  proc = spawn(process.execPath, [serverJs], {
    cwd: tmpdir(),
    env: { ...process.env, DATA_DIR: dataDir, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: '', DATABASE_URL: '', DEMO: '', LOG_LEVEL: 'warn', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  // Waits for an event, not a time: the banner, or the exit.
  url = await new Promise<string>((resolve, reject) => {
    proc!.once('exit', (code) => reject(new Error(`the compiled collector exited with ${code}:\n${output}`)));
    proc!.stdout!.on('data', () => {
      const match = /leadrelay is running at (\S+)\n[\s\S]*data: /.exec(output);
      if (match) resolve(match[1]!);
    });
  });
});

afterAll(async () => {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc!.once('exit', r));
  proc.kill('SIGKILL');
  await exited;
});

test('the compiled collector answers /healthz 200 and serves the demo, the snippet and the admin UI', async () => {
  expect(output).toMatch(/admin token: \S+/);
  expect(output).toMatch(/demo site: +\S+\/demo\//);
  expect((await fetch(`${url}/healthz`)).status).toBe(200);
  for (const path of ['/demo/', '/s.js', '/admin/', '/admin/app.js']) {
    const res = await fetch(`${url}${path}`);
    expect(`${path} ${res.status}`).toBe(`${path} 200`);
  }
});

test('the compiled collector imports only node built-ins and production dependencies', () => {
  const pkg = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
  const code = readFileSync(serverJs, 'utf8');
  const specifiers = [...code.matchAll(/(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/gm)].map(
    (m) => (m[1] ?? m[2])!,
  );
  expect(specifiers).toContain('fastify');
  const packageOf = (s: string) => s.split('/').slice(0, s.startsWith('@') ? 2 : 1).join('/');
  const outside = specifiers.filter((s) => !s.startsWith('node:') && !(packageOf(s) in pkg.dependencies));
  expect(outside).toEqual([]);
});
