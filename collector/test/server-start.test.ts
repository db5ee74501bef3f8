// `npm start`'s process as an operator runs it: file modes after a start, the banner, the demo
// switch, and storage that cannot be written (a full disk, a read-only file system): /healthz says
// 503 and a start refuses with a clear message. The full disk is a real 4 MiB tmpfs and the
// read-only one a real read-only bind mount, each in a private mount namespace (`unshare`), since
// root (as in CI) ignores file modes; where namespaces are not allowed those two tests are skipped.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, test } from 'vitest';

const repo = join(import.meta.dirname, '../..');
const running: ChildProcess[] = [];
afterEach(async () => {
  for (const proc of running.splice(0)) {
    if (proc.exitCode !== null || proc.signalCode !== null) continue;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGKILL');
    await exited;
  }
});

interface Started {
  proc: ChildProcess;
  output: () => string;
  url: string;
}

/** Starts server.ts (through `prefix`, e.g. unshare) and waits for its banner or its exit. */
async function start(env: Record<string, string>, prefix: string[] = []): Promise<Started | { exitCode: number; output: string }> {
  const command = [...prefix, process.execPath, '--import', 'tsx', 'collector/src/server.ts'];
  const proc = spawn(command[0]!, command.slice(1), {
    cwd: repo,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', ADMIN_TOKEN: '', LOG_LEVEL: 'warn', DATABASE_URL: '', NODE_ENV: '', DEMO: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.push(proc);
  let output = '';
  proc.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number>((r) => proc.once('exit', (code) => r(code ?? -1)));
  // Waits for an event, not a time: the banner, or the exit.
  const outcome = await Promise.race([
    exited.then((exitCode) => ({ exitCode })),
    new Promise<{ url: string }>((resolve) => {
      const onData = () => {
        const match = /leadrelay is running at (\S+)\n[\s\S]*data: /.exec(output);
        if (match) resolve({ url: match[1]! });
      };
      proc.stdout!.on('data', onData);
    }),
  ]);
  if ('exitCode' in outcome) return { exitCode: outcome.exitCode, output };
  return { proc, output: () => output, url: outcome.url };
}

function started(s: Awaited<ReturnType<typeof start>>): Started {
  if (!('proc' in s)) throw new Error(`the collector did not start (exit ${s.exitCode}):\n${s.output}`);
  return s;
}

async function stop(s: Started) {
  const exited = new Promise((r) => s.proc.once('exit', r));
  s.proc.kill('SIGTERM');
  await exited;
}

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
const namespaces = spawnSync('unshare', ['-rm', 'true']).status === 0;

test('a first start: DATA_DIR 0700, data files 0600, the generated token printed once, the demo on', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'leadrelay-start-')), 'data');
  const first = started(await start({ DATA_DIR: dataDir }));
  const token = /admin token: (\S+) {3}\(generated now/.exec(first.output())?.[1];
  expect(token).toBeTruthy();
  expect(first.output()).toContain(`${first.url}/demo/`);
  expect((await fetch(`${first.url}/demo/`)).status).toBe(200);
  const health = await fetch(`${first.url}/healthz`);
  expect(health.status).toBe(200);
  expect(await health.json()).toMatchObject({ status: 'ok', queue: { depth: 0 } });
  expect(mode(dataDir)).toBe('700');
  for (const name of ['leadrelay.sqlite', 'leadrelay.sqlite-wal', 'leadrelay.sqlite-shm', 'admin-token']) expect([name, mode(join(dataDir, name))]).toEqual([name, '600']);
  await stop(first);

  // The next start keeps the token and does not print it; with DEMO=0 there is no demo; a data
  // directory made readable by others is reported.
  chmodSync(dataDir, 0o755);
  const second = started(await start({ DATA_DIR: dataDir, DEMO: '0' }));
  expect(second.output()).not.toContain(token!);
  expect(second.output()).toContain(`admin token: kept in ${join(dataDir, 'admin-token')}`);
  expect(second.output()).not.toContain('demo site:');
  expect((await fetch(`${second.url}/demo/`)).status).toBe(404);
  expect((await fetch(`${second.url}/demo/crm/received.json`)).status).toBe(404);
  expect(second.output()).toContain(`chmod 700 ${dataDir}`);
  expect((await fetch(`${second.url}/api/v1/projects`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
  await stop(second);
}, 120_000);

test.skipIf(!namespaces)('on a full disk /healthz answers 503 and no lead is acknowledged; freed, it recovers', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadrelay-full-'));
  const s = started(
    await start({ DATA_DIR: dataDir, ADMIN_TOKEN: 'full-disk-token-0123456789', DEMO: '0' }, ['unshare', '-rm', 'sh', '-c', 'mount -t tmpfs -o size=4m tmpfs "$DATA_DIR" && exec "$@"', 'sh']),
  );
  const inside = (script: string) =>
    spawnSync('nsenter', ['-t', String(s.proc.pid), '-U', '-m', '--preserve-credentials', 'sh', '-c', script], { env: { ...process.env, DATA_DIR: dataDir } });
  const auth = { authorization: 'Bearer full-disk-token-0123456789', 'content-type': 'application/json' };
  const project = (await (await fetch(`${s.url}/api/v1/projects`, { method: 'POST', headers: auth, body: '{"name":"P"}' })).json()) as { key: string };
  expect((await fetch(`${s.url}/api/proxy/1.0/leads/add?key=${project.key}&name=Before`)).status).toBe(200);

  // Fill the tmpfs to the last byte (dd stops with "No space left on device").
  inside('dd if=/dev/zero of="$DATA_DIR/filler" bs=64k 2>/dev/null; true');
  const health = await fetch(`${s.url}/healthz`);
  expect(health.status).toBe(503);
  expect(await health.json()).toMatchObject({ status: 'error', error: 'STORAGE_UNAVAILABLE' });
  // The proxy API answers every error with HTTP 200 and its JSON error (README "Proxy API").
  const lead = await fetch(`${s.url}/api/proxy/1.0/leads/add?key=${project.key}&name=${'x'.repeat(3000)}&comment=${'y'.repeat(4000)}`);
  expect(await lead.json()).toMatchObject({ status: 'error', error: 'INTERNAL' });

  inside('rm "$DATA_DIR/filler"');
  // The probe result is kept for one second; the next probe after that succeeds.
  await expect.poll(async () => (await fetch(`${s.url}/healthz`)).status, { timeout: 10_000, interval: 250 }).toBe(200);
  await stop(s);
}, 120_000);

test.skipIf(!namespaces)('on a read-only file system the start refuses, saying why', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'leadrelay-ro-')), 'data');
  mkdirSync(dataDir);
  // A database made by a normal start first.
  await stop(started(await start({ DATA_DIR: dataDir, ADMIN_TOKEN: 'read-only-token-0123456789', DEMO: '0' })));
  const result = await start({ DATA_DIR: dataDir, ADMIN_TOKEN: 'read-only-token-0123456789', DEMO: '0' }, [
    'unshare', '-rm', 'sh', '-c', 'mount --bind "$DATA_DIR" "$DATA_DIR" && mount -o remount,bind,ro "$DATA_DIR" && exec "$@"', 'sh',
  ]);
  expect('exitCode' in result && result.exitCode).toBe(1);
  const output = 'output' in result && typeof result.output === 'string' ? result.output : '';
  // SQLite says "unable to open database file" or "attempt to write a readonly database", depending
  // on whether its WAL index was left behind; the message names the file and the likely causes.
  expect(output).toContain(`leadrelay cannot start: the database (${join(dataDir, 'leadrelay.sqlite')}) cannot be opened or written: `);
  expect(output).toMatch(/(unable to open database file|readonly database)\. Is the disk full, the file system read-only/);
  expect(output).not.toMatch(/^\s+at /m);
}, 120_000);
