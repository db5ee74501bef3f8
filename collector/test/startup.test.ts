// What the start does before it listens: owner-only data files, the admin token (printed only when
// generated now), and the mode check.
import { chmodSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { looseFileModes, prepareDataDir, resolveAdminToken, startBanner, SQLITE_FILE, type AdminToken } from '../src/startup.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import { newLead } from './store-helpers.ts';

const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);

test('DATA_DIR is made 0700, and the database, its WAL and SHM files and the admin token 0600', async () => {
  const dataDir = join(mkdtempSync(join(tmpdir(), 'leadrelay-modes-')), 'data', 'nested');
  prepareDataDir(dataDir);
  const store = openSqliteStore({ file: join(dataDir, SQLITE_FILE) });
  const project = await store.createProject('P', Date.now());
  await store.ingestLead(newLead(project.id), Date.now());
  const token = await resolveAdminToken(null, store, { shared: false, dataDir });
  expect(mode(dataDir)).toBe('700');
  for (const name of [SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`, 'admin-token']) expect([name, mode(join(dataDir, name))]).toEqual([name, '600']);
  expect(looseFileModes(dataDir)).toEqual([]);
  expect(readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()).toBe(token.token);

  // Made looser by hand (or by an older version): the start says so, naming the fix.
  chmodSync(dataDir, 0o755);
  chmodSync(join(dataDir, SQLITE_FILE), 0o644);
  const warnings = looseFileModes(dataDir);
  expect(warnings).toHaveLength(2);
  expect(warnings[0]).toContain(`chmod 700 ${dataDir}`);
  expect(warnings[1]).toContain(`(mode 0644); run: chmod 600 ${join(dataDir, SQLITE_FILE)}`);
  await store.close();
});

test('without ADMIN_TOKEN and PostgreSQL, the token is generated once and kept in DATA_DIR/admin-token', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'leadrelay-token-'));
  const store = openSqliteStore({ file: ':memory:' });
  const first = await resolveAdminToken(null, store, { shared: false, dataDir });
  expect(first).toMatchObject({ generated: true, where: 'file' });
  expect(first.token.length).toBeGreaterThanOrEqual(24);
  expect(await resolveAdminToken(null, store, { shared: false, dataDir })).toEqual({ token: first.token, generated: false, where: 'file' });
  expect(await resolveAdminToken('given-0123456789abcdef', store, { shared: false, dataDir })).toEqual({ token: 'given-0123456789abcdef', generated: false, where: 'ADMIN_TOKEN' });
  await store.close();
});

test('the banner prints the admin token only when it was generated on this start', () => {
  const base = { publicUrl: 'http://127.0.0.1:8787', dataDir: '/srv/data', databaseUrl: null, demoProjectId: 'demo123' };
  const banner = (adminToken: AdminToken) => startBanner({ ...base, adminToken });
  const secret = 'tok-abcdefghijklmnopqrstuvwx';

  const generated = banner({ token: secret, generated: true, where: 'file' });
  expect(generated).toContain(`admin token: ${secret}   (generated now, kept in /srv/data/admin-token)`);
  expect(generated).toContain('demo site:   http://127.0.0.1:8787/demo/   (project demo123; DEMO=0 turns the demo off)');

  const given = banner({ token: secret, generated: false, where: 'ADMIN_TOKEN' });
  expect(given).not.toContain(secret);
  expect(given).toContain('admin token: the one in ADMIN_TOKEN');

  const kept = banner({ token: secret, generated: false, where: 'file' });
  expect(kept).not.toContain(secret);
  expect(kept).toContain('admin token: kept in /srv/data/admin-token');

  const shared = startBanner({ ...base, databaseUrl: 'postgres://db/x', demoProjectId: null, adminToken: { token: secret, generated: false, where: 'database' } });
  expect(shared).not.toContain(secret);
  expect(shared).toContain("admin token: kept in the database (SELECT value FROM settings WHERE name = 'admin_token')");
  expect(shared).not.toContain('demo');
  expect(shared).toContain('data:        PostgreSQL (DATABASE_URL)');
  expect(shared).not.toContain('postgres://');
});
