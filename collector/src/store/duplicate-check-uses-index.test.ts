// The duplicate check runs on every lead: it must be an index search, not a scan of the project's
// leads, or ingest slows down as the table grows.
import Database from 'better-sqlite3';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

describe('duplicate lookups', () => {
  it('search the partial phone and email indexes', () => {
    const source = readFileSync(new URL('./sqlite.ts', import.meta.url), 'utf8');
    const db = new Database(':memory:');
    db.exec(readFileSync(new URL('../../migrations/0001_initial.sql', import.meta.url), 'utf8'));
    for (const [name, index] of [
      ['byPhone', 'leads_by_phone'],
      ['byEmail', 'leads_by_email'],
    ] as const) {
      const sql = new RegExp(`${name}: db\\.prepare\\(\\s*(?://[^\\n]*\\n\\s*)?"([^"]+)"`).exec(source)?.[1];
      expect(sql, `${name} query`).toBeTruthy();
      const plan = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all('p', 'x', 0) as { detail: string }[]).map((r) => r.detail).join('; ');
      expect(plan).toContain(`USING INDEX ${index}`);
    }
    db.close();
  });
});
