// Both dialects' migrations (collector/migrations and collector/migrations/postgres) must build the
// same tables with the same columns: read from each database's own catalog, so a migration added
// to one directory only, or a column spelled differently, fails here.
import { afterAll, expect, test } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import { postgresSchemas } from '../store-helpers.ts';

const postgres = postgresSchemas('lr_schema');
afterAll(postgres.dropAll);

type Tables = Record<string, string[]>;

function collect(rows: Record<string, unknown>[]): Tables {
  const tables: Tables = {};
  for (const r of rows) (tables[String(r.table_name)] ??= []).push(String(r.column_name));
  for (const columns of Object.values(tables)) columns.sort();
  return tables;
}

test('SQLite and PostgreSQL have the same tables and columns after all migrations', async () => {
  const sqlite = openSqliteStore({ file: ':memory:' });
  const pg = await postgres.open();
  try {
    const inSqlite = collect(
      await sqlite.db.all(
        `SELECT m.name AS table_name, c.name AS column_name FROM sqlite_master m, pragma_table_info(m.name) c
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`,
      ),
    );
    const inPostgres = collect(
      await pg.db.all("SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = current_schema()"),
    );
    expect(Object.keys(inSqlite).length).toBeGreaterThan(5);
    expect(inSqlite.leads).toContain('search');
    expect(inPostgres).toEqual(inSqlite);
  } finally {
    await sqlite.close();
    await pg.close();
  }
});
