// The real differences between SQLite and PostgreSQL, and nothing else: every statement of the
// store is written once (docs/architecture.md "Store"). Placeholders are `?` in both; PostgreSQL's
// engine turns them into $1, $2, … (store/db.ts). Case-insensitive search is no difference: leads
// keep a lower-cased `search` column filled in JavaScript (docs/data-model.md).
import { toPostgresPlaceholders } from './db.ts';

export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** The SQL as the driver takes it. */
  sql(text: string): string;
  /** Serializes ingests of one project across processes (SQLite: one process writes, in order). */
  readonly lockProjectIngest: string | null;
  /** Locks the project's row for the visit numbering and its repeat check. */
  readonly lockProjectRow: string | null;
  /** Appended to a SELECT of one row that is then changed in the same transaction. */
  readonly forUpdate: string;
  /** Appended to a SELECT … FROM leads l that is then changed in the same transaction. */
  readonly forUpdateOfLeads: string;
  /** Appended to the claim's subquery: two workers never take the same job. */
  readonly skipLocked: string;
  /** A subquery giving the strings of a JSON array parameter. */
  readonly jsonTextList: string;
  /** The error of a UNIQUE constraint (two processes inserting the same clientId at once). */
  isUniqueViolation(err: unknown): boolean;
  /** Where this dialect's migrations are, under collector/migrations. */
  readonly migrationsSubdir: string;
}

const code = (err: unknown) => (err as { code?: string } | null)?.code;

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  sql: (text) => text,
  lockProjectIngest: null,
  lockProjectRow: null,
  forUpdate: '',
  forUpdateOfLeads: '',
  skipLocked: '',
  jsonTextList: '(SELECT value FROM json_each(?))',
  isUniqueViolation: (err) => code(err) === 'SQLITE_CONSTRAINT_UNIQUE',
  migrationsSubdir: '',
};

const pgCache = new Map<string, string>();

export const postgresDialect: Dialect = {
  name: 'postgres',
  sql(text) {
    let out = pgCache.get(text);
    if (out === undefined) {
      out = toPostgresPlaceholders(text);
      pgCache.set(text, out);
    }
    return out;
  },
  lockProjectIngest: 'SELECT pg_advisory_xact_lock(hashtext(?))',
  lockProjectRow: 'SELECT 1 FROM projects WHERE id = ? FOR NO KEY UPDATE',
  forUpdate: ' FOR UPDATE',
  forUpdateOfLeads: ' FOR UPDATE OF l',
  skipLocked: ' FOR UPDATE SKIP LOCKED',
  jsonTextList: '(SELECT json_array_elements_text(CAST(? AS json)))',
  isUniqueViolation: (err) => code(err) === '23505',
  migrationsSubdir: 'postgres',
};
