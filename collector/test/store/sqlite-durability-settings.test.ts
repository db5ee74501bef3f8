// The SQLite file's settings (store/sqlite.ts): WAL with synchronous=FULL, so an acknowledged lead
// survives a power cut, and the longer WAL between checkpoints that the ingest path is measured with.
import type Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openSqliteDatabase, WAL_AUTOCHECKPOINT_PAGES } from '../../src/store/sqlite.ts';

let dir: string | null = null;
let db: Database.Database | null = null;
afterEach(() => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('SQLite settings', () => {
  it('keeps WAL, synchronous=FULL and checkpoints every WAL_AUTOCHECKPOINT_PAGES pages', () => {
    dir = mkdtempSync(join(tmpdir(), 'leadrelay-sqlite-'));
    db = openSqliteDatabase(join(dir, 'db.sqlite'));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    // 2 is FULL.
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(WAL_AUTOCHECKPOINT_PAGES).toBe(4000);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_AUTOCHECKPOINT_PAGES);
  });
});
