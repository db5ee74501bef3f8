// One migration runner for both dialects: collector/migrations/NNNN_name.sql for SQLite and
// collector/migrations/postgres/NNNN_name.sql for PostgreSQL, applied in name order, each in its own
// transaction with its row in `migrations` (docs/data-model.md "Migrations"). It is a script
// (store/engine.ts): SQLite runs it synchronously on open, PostgreSQL on one connection that holds
// an advisory lock, so processes starting at once migrate one after the other.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.ts';
import type { Dialect } from './dialect.ts';
import { all, exec, run, type Script } from './engine.ts';

export function migrationsDir(dialect: Dialect): string {
  return join(packageRoot, 'collector/migrations', dialect.migrationsSubdir);
}

/** The dialect's migration files, in the order they apply. */
export function migrationFiles(dialect: Dialect): string[] {
  return readdirSync(migrationsDir(dialect))
    .filter((f) => /^\d{4}_.*\.sql$/.test(f))
    .sort();
}

/** Applies the dialect's migrations not applied yet. */
export function* migrate(dialect: Dialect, now: () => number = Date.now): Script<void> {
  yield* exec('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
  const done = new Set((yield* all('SELECT name FROM migrations')).map((r) => String(r.name)));
  for (const file of migrationFiles(dialect)) {
    if (done.has(file)) continue;
    const sql = readFileSync(join(migrationsDir(dialect), file), 'utf8');
    yield* exec('BEGIN');
    try {
      yield* exec(sql);
      yield* run('INSERT INTO migrations (name, applied_at) VALUES (?, ?)', [file, now()]);
      yield* exec('COMMIT');
    } catch (err) {
      yield* exec('ROLLBACK');
      throw err;
    }
  }
}
