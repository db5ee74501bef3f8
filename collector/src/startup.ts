// What server.ts does before it listens, kept apart so tests can run each step: the data directory
// and its file modes, the admin token shared by every process, the storage write probe, the banner.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { secretToken } from '../../shared/ids.ts';
import type { Store } from './store/types.ts';

export const SQLITE_FILE = 'leadrelay.sqlite';
export const ADMIN_TOKEN_FILE = 'admin-token';
/** The settings row that holds a generated admin token when the store is PostgreSQL. */
export const ADMIN_TOKEN_SETTING = 'admin_token';

/** Creates DATA_DIR readable by its owner only (it holds CRM secrets and personal data). */
export function prepareDataDir(dataDir: string): void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
}

/**
 * Warnings for a data directory or data files that other local users can read or change: the
 * directory should be 0700 and the files 0600. Nothing is changed: the operator may have reasons.
 */
export function looseFileModes(dataDir: string): string[] {
  const warnings: string[] = [];
  const check = (path: string, wanted: number) => {
    if (!existsSync(path)) return;
    const mode = statSync(path).mode & 0o777;
    if (mode & 0o077) {
      warnings.push(`${path} is readable or writable by other users (mode ${mode.toString(8).padStart(4, '0')}); run: chmod ${wanted.toString(8)} ${path}`);
    }
  };
  check(dataDir, 0o700);
  for (const name of [SQLITE_FILE, `${SQLITE_FILE}-wal`, `${SQLITE_FILE}-shm`, ADMIN_TOKEN_FILE]) check(join(dataDir, name), 0o600);
  return warnings;
}

export interface AdminToken {
  token: string;
  /** True when it was made on this start (the banner prints it then, and only then). */
  generated: boolean;
  /** Where it is kept, for the banner. */
  where: 'ADMIN_TOKEN' | 'file' | 'database';
}

/**
 * The admin token: ADMIN_TOKEN when set; else, with PostgreSQL, one kept in the database, so every
 * process behind a load balancer has the same one (the first process to start generates it); else
 * one kept in DATA_DIR/admin-token.
 */
export async function resolveAdminToken(given: string | null, store: Store, opts: { shared: boolean; dataDir: string }): Promise<AdminToken> {
  if (given) return { token: given, generated: false, where: 'ADMIN_TOKEN' };
  if (opts.shared) {
    const { value, created } = await store.initSetting(ADMIN_TOKEN_SETTING, secretToken(24));
    return { token: value, generated: created, where: 'database' };
  }
  const file = join(opts.dataDir, ADMIN_TOKEN_FILE);
  const kept = existsSync(file) ? readFileSync(file, 'utf8').trim() : '';
  if (kept) return { token: kept, generated: false, where: 'file' };
  const token = secretToken(24);
  // 'w' replaces an empty file; the mode applies when the file is created.
  const fd = openSync(file, 'w', 0o600);
  try {
    writeSync(fd, `${token}\n`);
  } finally {
    closeSync(fd);
  }
  return { token, generated: true, where: 'file' };
}

/**
 * Why the start stopped when the database could not be opened or written (start-up makes the same
 * write /healthz makes: on a read-only or full disk every lead would be answered 500).
 */
export function storageError(err: unknown, where: string): Error {
  return new Error(
    `the database (${where}) cannot be opened or written: ${(err as Error).message}. Is the disk full, the file system read-only, or the database unreachable?`,
  );
}

export interface BannerInput {
  publicUrl: string;
  adminToken: AdminToken;
  dataDir: string;
  databaseUrl: string | null;
  /** The demo project's id when the demo is on. */
  demoProjectId: string | null;
}

export function startBanner(b: BannerInput): string {
  const token = b.adminToken.generated
    ? `${b.adminToken.token}   (generated now, kept ${b.adminToken.where === 'database' ? "in the database's settings table" : `in ${join(b.dataDir, ADMIN_TOKEN_FILE)}`})`
    : b.adminToken.where === 'ADMIN_TOKEN'
      ? 'the one in ADMIN_TOKEN'
      : b.adminToken.where === 'database'
        ? "kept in the database (SELECT value FROM settings WHERE name = 'admin_token')"
        : `kept in ${join(b.dataDir, ADMIN_TOKEN_FILE)}`;
  const lines = [
    '',
    `leadrelay is running at ${b.publicUrl}`,
    `  admin:       ${b.publicUrl}/admin/`,
    `  admin token: ${token}`,
    ...(b.demoProjectId !== null
      ? [
          `  demo site:   ${b.publicUrl}/demo/   (project ${b.demoProjectId}; DEMO=0 turns the demo off)`,
          `  demo CRM:    ${b.publicUrl}/demo/crm/   (what the built-in mock CRM received)`,
        ]
      : []),
    `  data:        ${b.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : b.dataDir}`,
    '',
  ];
  return `${lines.join('\n')}\n`;
}
