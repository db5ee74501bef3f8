// The PostgreSQL store, for several collector processes sharing one database (DATABASE_URL).
// Each acknowledged write is its own committed transaction (synchronous_commit stays on); delivery
// jobs are claimed with FOR UPDATE SKIP LOCKED so each lead is sent by one worker only. The
// statements are the SQLite store's (store/store.ts); store/dialect.ts holds the differences.
// `pg` is imported when a PostgreSQL store is opened, not at start: a collector on SQLite never loads it.
import type pg from 'pg';
import { postgresDb } from './db.ts';
import { postgresDialect } from './dialect.ts';
import { runAsync, type Engine, type Op, type Script } from './engine.ts';
import { migrate } from './migrate.ts';
import { noLookupCache } from './lookup-cache.ts';
import { createStore } from './store.ts';
import type { Store } from './types.ts';
import { withoutNul } from './without-nul.ts';

export interface PostgresStoreOptions {
  connectionString: string;
  /** A schema to keep the tables in (tests use a fresh one each); default: the search_path's. */
  schema?: string;
  max?: number;
  /** Shown in pg_stat_activity (default "leadrelay"). */
  applicationName?: string;
  /** Told when a connection breaks (server restart, failover, idle timeout); the pool reconnects. */
  onConnectionError?: (err: Error) => void;
}

const MIGRATION_LOCK = 727001;

/** Runs one statement of a script on a pool or one of its connections. */
function stepOn(db: pg.Pool | pg.PoolClient) {
  return async (op: Op): Promise<unknown> => {
    if (op.kind === 'exec') {
      await db.query(op.sql);
      return undefined;
    }
    const result = await db.query(postgresDialect.sql(op.sql), withoutNul(op.params) as unknown[]);
    if (op.kind === 'all') return result.rows;
    if (op.kind === 'get') return result.rows[0];
    return result.rowCount ?? 0;
  };
}

export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'leadrelay',
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // A connection that breaks while idle in the pool (PostgreSQL restarted, a failover, an
  // idle_session_timeout, a pooler) is an 'error' event: unheard, it would end the process. The pool
  // has already dropped that connection and opens a new one when a query needs it.
  const onConnectionError = opts.onConnectionError ?? ((err: Error) => process.emitWarning(`PostgreSQL connection lost: ${err.message}`));
  pool.on('error', (err) => onConnectionError(err));
  if (opts.schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error(`bad schema name "${opts.schema}"`);
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
  }

  /** One checked-out connection for `work`, whose failure between two queries must not end the process. */
  async function withClient<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
      onConnectionError(err);
    };
    client.on('error', onError);
    try {
      return await work(client);
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async function tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    return withClient(async (client) => {
      try {
        await client.query('BEGIN');
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw err;
      }
    });
  }

  // Several processes may start at once: one migrates, the others wait for it.
  await withClient(async (c) => {
    await c.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    try {
      await runAsync(migrate(postgresDialect), stepOn(c));
    } finally {
      await c.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    }
  });

  const writeBatched = createBatchedWrites(withClient, tx);

  const engine: Engine = {
    dialect: postgresDialect,
    db: postgresDb(pool, tx),
    // Several processes share the database: a change on one must hold on the others at once.
    lookups: noLookupCache,
    read: <T>(script: Script<T>) => runAsync(script, stepOn(pool)),
    write: <T>(script: Script<T>) => tx((c) => runAsync(script, stepOn(c))),
    writeOne: <T>(script: Script<T>) => runAsync(script, stepOn(pool)),
    writeBatched,
    close: () => pool.end(),
  };
  return createStore(engine);
}

interface Queued {
  make: () => Script<unknown>;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

/**
 * The delivery worker's outcomes, several per transaction: the writes queued while a batch commits
 * form the next batch, so 32 attempts finishing together pay a few BEGIN/COMMIT round trips, not 32.
 * A statement that fails rolls its whole batch back (nothing committed), and each write of it then
 * runs again in its own transaction, so one bad write fails alone. A failed COMMIT fails the whole
 * batch, as it would fail a lone write: whether it committed is unknown, so nothing is run twice.
 */
function createBatchedWrites(
  withClient: <T>(work: (c: pg.PoolClient) => Promise<T>) => Promise<T>,
  tx: <T>(work: (c: pg.PoolClient) => Promise<T>) => Promise<T>,
): Engine['writeBatched'] {
  let queue: Queued[] = [];
  let flushing = false;

  const alone = (item: Queued) => tx((c) => runAsync(item.make(), stepOn(c))).then(item.resolve, item.reject);

  /** The batch's results, or null when a statement failed and the batch was rolled back. */
  const together = (batch: Queued[]) =>
    withClient(async (client) => {
      await client.query('BEGIN');
      const results: unknown[] = [];
      try {
        for (const item of batch) results.push(await runAsync(item.make(), stepOn(client)));
      } catch {
        await client.query('ROLLBACK').catch(() => undefined);
        return null;
      }
      await client.query('COMMIT');
      return results;
    });

  async function flush() {
    while (queue.length) {
      const batch = queue;
      queue = [];
      if (batch.length === 1) {
        await alone(batch[0]!);
        continue;
      }
      try {
        const results = await together(batch);
        if (results) {
          for (const [i, item] of batch.entries()) item.resolve(results[i]);
        } else {
          await Promise.all(batch.map(alone));
        }
      } catch (err) {
        for (const item of batch) item.reject(err);
      }
    }
    flushing = false;
  }

  return <T>(make: () => Script<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ make, resolve: resolve as (v: unknown) => void, reject });
      if (!flushing) {
        flushing = true;
        setImmediate(() => void flush());
      }
    });
}
