// A plain SQL connection shared by both stores, for the parts of the collector that keep their own
// tables beside the lead store (users and sessions, the audit log, missed forms, privacy jobs).
// SQL is written once with `?` placeholders; PostgreSQL gets them as $1, $2, … Write booleans as
// INTEGER 0/1 and times as BIGINT milliseconds in both dialects, and read numbers with `num()` from
// rows.ts (PostgreSQL returns BIGINT as a string). NULs are stripped from every parameter, as the
// stores do (PostgreSQL's text cannot hold one). See docs/data-model.md.
import type pg from 'pg';
import { withoutNul } from './without-nul.ts';

export type SqlRow = Record<string, unknown>;

export interface SqlStatement {
  sql: string;
  params?: readonly unknown[];
}

export interface Db {
  readonly dialect: 'sqlite' | 'postgres';
  all(sql: string, params?: readonly unknown[]): Promise<SqlRow[]>;
  get(sql: string, params?: readonly unknown[]): Promise<SqlRow | undefined>;
  /** Runs one statement; resolves to the number of rows it changed. */
  run(sql: string, params?: readonly unknown[]): Promise<number>;
  /** Runs the statements in one transaction, in order; resolves to the rows each changed. */
  batch(statements: readonly SqlStatement[]): Promise<number[]>;
}

/** `?` placeholders as PostgreSQL's `$n`, leaving quoted text and identifiers alone. */
export function toPostgresPlaceholders(sql: string): string {
  let out = '';
  let n = 0;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote) {
      if (ch === quote) quote = null;
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      n += 1;
      out += `$${n}`;
    } else {
      out += ch;
    }
  }
  return out;
}

/** The subset of better-sqlite3's Database this module uses. */
interface SqliteDatabase {
  prepare(sql: string): {
    all(...params: unknown[]): unknown[];
    get(...params: unknown[]): unknown;
    run(...params: unknown[]): { changes: number };
  };
  transaction<T>(fn: () => T): () => T;
}

/** Prepares each SQL text once per connection and hands back the same statement after that. */
export function preparedStatements<D extends { prepare(sql: string): unknown }>(db: D): (sql: string) => ReturnType<D['prepare']> {
  const cache = new Map<string, ReturnType<D['prepare']>>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) {
      stmt = db.prepare(sql) as ReturnType<D['prepare']>;
      cache.set(sql, stmt);
    }
    return stmt;
  };
}

/**
 * SQLite: `run` and `batch` go through the store's group commit (`write`), so they share its
 * transaction and fsync and never interleave with an acknowledged write.
 */
export function sqliteDb(db: SqliteDatabase, write: <T>(work: () => T) => Promise<T>): Db {
  const prepared = preparedStatements(db);
  return {
    dialect: 'sqlite',
    async all(sql, params = []) {
      return prepared(sql).all(...withoutNul(params)) as SqlRow[];
    },
    async get(sql, params = []) {
      return prepared(sql).get(...withoutNul(params)) as SqlRow | undefined;
    },
    run(sql, params = []) {
      return write(() => prepared(sql).run(...withoutNul(params)).changes);
    },
    batch(statements) {
      return write(() => statements.map((s) => prepared(s.sql).run(...withoutNul(s.params ?? [])).changes));
    },
  };
}

/** PostgreSQL: `batch` runs on one connection between BEGIN and COMMIT (`tx`, the store's own). */
export function postgresDb(pool: pg.Pool, tx: <T>(work: (c: pg.PoolClient) => Promise<T>) => Promise<T>): Db {
  return {
    dialect: 'postgres',
    async all(sql, params = []) {
      return (await pool.query(toPostgresPlaceholders(sql), withoutNul(params) as unknown[])).rows as SqlRow[];
    },
    async get(sql, params = []) {
      return (await pool.query(toPostgresPlaceholders(sql), withoutNul(params) as unknown[])).rows[0] as SqlRow | undefined;
    },
    async run(sql, params = []) {
      return (await pool.query(toPostgresPlaceholders(sql), withoutNul(params) as unknown[])).rowCount ?? 0;
    },
    batch(statements) {
      return tx(async (c) => {
        const changed: number[] = [];
        for (const s of statements) changed.push((await c.query(toPostgresPlaceholders(s.sql), withoutNul(s.params ?? []) as unknown[])).rowCount ?? 0);
        return changed;
      });
    },
  };
}
