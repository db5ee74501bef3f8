// The duplicate check runs on every lead: it must be an index search, not a scan of the project's
// leads, or ingest slows down as the table grows.
import { describe, expect, it } from 'vitest';
import { DUPLICATES_BY_EMAIL, DUPLICATES_BY_PHONE } from '../../src/store/statements.ts';
import { openSqliteDatabase } from '../../src/store/sqlite.ts';

describe('duplicate lookups', () => {
  it('search the partial phone and email indexes', () => {
    const db = openSqliteDatabase(':memory:');
    for (const [sql, index] of [
      [DUPLICATES_BY_PHONE, 'leads_by_phone'],
      [DUPLICATES_BY_EMAIL, 'leads_by_email'],
    ] as const) {
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('p', 'x', 0) as { detail: string }[]).map((r) => r.detail).join('; ');
      expect(plan).toContain(`USING INDEX ${index}`);
    }
    db.close();
  });
});
