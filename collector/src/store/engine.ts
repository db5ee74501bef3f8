// The store's statements are written once, as scripts: generator functions that yield each
// statement and get its result back. A script runs synchronously on SQLite (inside its group
// commit, store/group-commit.ts) and asynchronously on PostgreSQL (on one pooled connection), so
// the same code, and the same SQL, serves both. See docs/architecture.md "Store".
import type { Db, SqlRow } from './db.ts';
import type { Dialect } from './dialect.ts';
import type { LookupCache } from './lookup-cache.ts';

export type Op =
  | { kind: 'all' | 'get' | 'run'; sql: string; params: readonly unknown[] }
  | { kind: 'exec'; sql: string; params: readonly unknown[] };

/** A sequence of statements (and the decisions between them) that yields each statement and returns T. */
export type Script<T> = Generator<Op, T, unknown>;

/** Every row the statement gives. */
export function* all(sql: string, params: readonly unknown[] = []): Generator<Op, SqlRow[], unknown> {
  return (yield { kind: 'all', sql, params }) as SqlRow[];
}
/** The first row the statement gives, if any. */
export function* get(sql: string, params: readonly unknown[] = []): Generator<Op, SqlRow | undefined, unknown> {
  return (yield { kind: 'get', sql, params }) as SqlRow | undefined;
}
/** Runs one statement; gives the number of rows it changed. */
export function* run(sql: string, params: readonly unknown[] = []): Generator<Op, number, unknown> {
  return (yield { kind: 'run', sql, params }) as number;
}
/** Runs a script of several statements without parameters (a migration). */
export function* exec(sql: string): Generator<Op, void, unknown> {
  yield { kind: 'exec', sql, params: [] };
}

/** Drives a script with a synchronous executor; a statement's error is thrown into the script. */
export function runSync<T>(script: Script<T>, step: (op: Op) => unknown): T {
  let next = script.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = step(next.value);
    } catch (err) {
      next = script.throw(err);
      continue;
    }
    next = script.next(result);
  }
  return next.value;
}

/** Drives a script with an asynchronous executor; a statement's error is thrown into the script. */
export async function runAsync<T>(script: Script<T>, step: (op: Op) => Promise<unknown>): Promise<T> {
  let next = script.next();
  while (!next.done) {
    let result: unknown;
    try {
      result = await step(next.value);
    } catch (err) {
      next = script.throw(err);
      continue;
    }
    next = script.next(result);
  }
  return next.value;
}

/** One database as the store sees it (store/sqlite.ts, store/postgres.ts build one). */
export interface Engine {
  readonly dialect: Dialect;
  /** The same connection as plain SQL, for other modules' own tables (store/db.ts). */
  readonly db: Db;
  /** The public routes' lookups, kept only where this process is the database's one writer (store/lookup-cache.ts). */
  readonly lookups: LookupCache;
  /** Runs a script of reads, outside a transaction. */
  read<T>(script: Script<T>): Promise<T>;
  /** Runs a script in one transaction and resolves after its commit (durable). */
  write<T>(script: Script<T>): Promise<T>;
  /**
   * A write of a single statement, durable like `write`: PostgreSQL runs it as its own transaction
   * (no BEGIN and COMMIT round trips: the claim, lease and release are on the worker's hot path).
   */
  writeOne<T>(script: Script<T>): Promise<T>;
  /**
   * A write, durable like `write`, that may share one transaction with the other such writes queued
   * meanwhile (the worker's attempt outcomes: one commit for several attempts). `make` gives the
   * script; it may be run a second time, alone, if another write of its batch failed (nothing of
   * the batch was committed then). SQLite's group commit batches every write already.
   */
  writeBatched<T>(make: () => Script<T>): Promise<T>;
  close(): Promise<void>;
}
