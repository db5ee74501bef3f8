// The SQLite store: WAL with synchronous=FULL, so an acknowledged lead survives kill -9 and a power
// cut. Every write goes through the group commit (store/group-commit.ts): the writes queued in the
// same tick of the event loop share one transaction and one fsync. The statements: store/store.ts.
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { preparedStatements, sqliteDb } from './db.ts';
import { sqliteDialect } from './dialect.ts';
import { runSync, type Engine, type Op, type Script } from './engine.ts';
import { createGroupCommit } from './group-commit.ts';
import { createLookupCache } from './lookup-cache.ts';
import { migrate } from './migrate.ts';
import { createStore } from './store.ts';
import type { Store } from './types.ts';
import { withoutNul } from './without-nul.ts';

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for tests. */
  file: string;
}

/** WAL pages between automatic checkpoints (SQLite's default: 1000). */
export const WAL_AUTOCHECKPOINT_PAGES = 4000;

/** Runs a script on the connection, synchronously. */
function sqliteStep(db: Database.Database, prepared: (sql: string) => Database.Statement) {
  return (op: Op): unknown => {
    if (op.kind === 'exec') return db.exec(op.sql);
    const params = withoutNul(op.params) as unknown[];
    if (op.kind === 'all') return prepared(op.sql).all(...params);
    if (op.kind === 'get') return prepared(op.sql).get(...params);
    return prepared(op.sql).run(...params).changes;
  };
}

/** Opens the database file (made owner-only) and brings it to the latest migration. */
export function openSqliteDatabase(file: string): Database.Database {
  if (file !== ':memory:') {
    // The database holds CRM secrets and personal data: owner-only. SQLite gives its -wal and -shm
    // files the database file's mode, so creating that one 0600 covers all three.
    mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
    if (!existsSync(file)) closeSync(openSync(file, 'a', 0o600));
  }
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  // Checkpoints run inside a commit, on the event loop. Each copies the newest version of every page
  // the WAL holds, and a lead rewrites the same last pages of its table and indexes commit after
  // commit: a 4× longer WAL (16 MiB) copies those pages a quarter as often. Durability is the WAL's
  // fsync at every commit, untouched (docs/architecture.md "Store"; measured with bench/ingest-ab.ts).
  db.pragma(`wal_autocheckpoint = ${WAL_AUTOCHECKPOINT_PAGES}`);
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  // SQLite's lower() folds ASCII only; the search column is JavaScript's toLowerCase (migration 0008).
  db.function('unicode_lower', { deterministic: true }, (s: unknown) => (s == null ? null : String(s).toLowerCase()));
  // Migrations run before anything else uses the file (one process writes a SQLite file).
  runSync(migrate(sqliteDialect), sqliteStep(db, (sql) => db.prepare(sql)));
  return db;
}

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  const db = openSqliteDatabase(opts.file);
  const prepared = preparedStatements(db);
  const step = sqliteStep(db, prepared);
  const runNow = <T>(script: Script<T>) => runSync(script, step);

  const groupCommit = createGroupCommit(db);
  // One process writes the file, so dropping the lookups after each change of its own keeps them exact.
  const lookups = createLookupCache();
  const engine: Engine = {
    dialect: sqliteDialect,
    // Plain SQL of other modules may change a project (rename, new key, deletion): the lookups go.
    db: sqliteDb(db, (work) => groupCommit.run(work).finally(() => lookups.clear())),
    lookups,
    read: async (script) => runNow(script),
    write: (script) => groupCommit.run(() => runNow(script)),
    writeOne: (script) => groupCommit.run(() => runNow(script)),
    writeBatched: (make) => groupCommit.run(() => runNow(make())),
    async close() {
      groupCommit.flushNow();
      db.close();
    },
  };
  return createStore(engine);
}
