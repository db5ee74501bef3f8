// Delivery jobs stay in the table after they end (docs/data-model.md "Delivery state"): the claim
// must still find due jobs through the partial index of open ones, not by reading the ended ones.
import { describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../src/store/sqlite.ts';
import { OPEN_JOB } from '../../src/store/statements.ts';

describe('the claim', () => {
  it('searches the partial index of open jobs', () => {
    const db = openSqliteDatabase(':memory:');
    const sql = `SELECT id FROM jobs WHERE ${OPEN_JOB} AND run_at <= ? AND (locked_until IS NULL OR locked_until <= ?) ORDER BY run_at, id LIMIT 10`;
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(0, 0) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan).toContain('USING INDEX jobs_due');
    db.close();
  });
});
