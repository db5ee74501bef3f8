// Every visit registration first looks for the same visit registered a moment ago: that lookup must
// be an index search, not a scan of the project's visits, or registering slows down as they grow.
import { describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../src/store/sqlite.ts';
import { VISIT_BY_FINGERPRINT } from '../../src/store/statements.ts';

describe('the repeated-visit lookup', () => {
  it('searches the partial fingerprint index', () => {
    const db = openSqliteDatabase(':memory:');
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${VISIT_BY_FINGERPRINT}`).all('p', 'f', 0) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan).toContain('USING INDEX visits_by_fingerprint');
    db.close();
  });
});
