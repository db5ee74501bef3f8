// Every visit registration first looks for the same visit registered a moment ago: that lookup must
// be an index search, not a scan of the project's visits, or registering slows down as they grow.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('the repeated-visit lookup', () => {
  it('searches the partial fingerprint index', () => {
    const source = readFileSync(new URL('./sqlite.ts', import.meta.url), 'utf8');
    const db = new Database(':memory:');
    for (const file of ['0001_initial.sql', '0002_quotas_and_visit_repeats.sql']) {
      db.exec(readFileSync(new URL(`../../migrations/${file}`, import.meta.url), 'utf8'));
    }
    const sql = /visitByFingerprint: db\.prepare\(\s*'([^']+)'/.exec(source)?.[1];
    expect(sql, 'visitByFingerprint query').toBeTruthy();
    const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('p', 'f', 0) as { detail: string }[]).map((r) => r.detail).join('; ');
    expect(plan).toContain('USING INDEX visits_by_fingerprint');
    db.close();
  });
});
