// Migration 0008 moves the delivery state from the lead row to the job row: leads stored before it
// (pending, retrying, sent, failed, parked for want of an integration, not sent) answer exactly as
// they did, on both dialects.
import Database from 'better-sqlite3';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, test } from 'vitest';
import { postgresDialect, sqliteDialect, type Dialect } from '../../src/store/dialect.ts';
import { migrationFiles, migrationsDir } from '../../src/store/migrate.ts';
import { openPostgresStore } from '../../src/store/postgres.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/types.ts';
import { PG_URL } from '../store-helpers.ts';

const T0 = 1_800_000_000_000;
const BEFORE = (d: Dialect) => migrationFiles(d).filter((f) => f < '0008');
const schema = `lr_mig_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const dir = mkdtempSync(join(tmpdir(), 'lr-mig-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  const c = new pg.Client({ connectionString: PG_URL });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await c.end();
});

/** The rows the store wrote before 0008: [lead id, status, attempt_count, next_attempt_at, last_error, create job?]. */
const OLD: [string, string, number, number | null, string | null, { attempts: number; lastError: string | null } | null][] = [
  ['L1', 'pending', 0, T0, null, { attempts: 0, lastError: null }],
  ['L2', 'retrying', 2, T0 + 600_000, 'HTTP 503: down', { attempts: 2, lastError: 'HTTP 503: down' }],
  ['L3', 'sent', 3, null, null, null],
  ['L4', 'failed', 5, null, 'gave up after 5 attempts: HTTP 502', null],
  ['L5', 'no_integration', 1, null, 'no enabled integration', null],
  ['L6', 'not_sent', 0, null, 'form switched off', null],
];

const oldSql = () => [
  `INSERT INTO projects (id, name, key, created_at) VALUES ('p1', 'P', 'k1', ${T0})`,
  ...OLD.map(
    ([id, status, count, next, error]) => `INSERT INTO leads (id, project_id, source, title, name, phone, email, comment, fields, client_fields,
      order_creation_method, page, referrer, landing_page, utm, ip, user_agent, callback, created_at, status, crm_id, attempt_count,
      next_attempt_at, last_error, phone_norm, email_norm) VALUES ('${id}', 'p1', 'form', 'T', 'Анна ${id}', '', '', '', '{}', '{}', 'form', '', '', '',
      '{}', '', '', 0, ${T0}, '${status}', ${status === 'sent' ? "'D-3'" : 'NULL'}, ${count}, ${next ?? 'NULL'}, ${error ? `'${error}'` : 'NULL'}, '', '')`,
  ),
  ...OLD.filter((o) => o[5]).map(
    ([id, , , next, , job]) => `INSERT INTO jobs (lead_id, project_id, kind, payload, run_at, attempts, first_attempt_at, last_error, created_at)
      VALUES ('${id}', 'p1', 'create', '{}', ${next}, ${job!.attempts}, ${job!.attempts ? T0 : 'NULL'}, ${job!.lastError ? `'${job!.lastError}'` : 'NULL'}, ${T0})`,
  ),
];

async function expectSameAnswers(store: Store) {
  const shape = async (id: string) => {
    const l = (await store.getLead('p1', id))!;
    return [l.status, l.attemptCount, l.nextAttemptAt && Date.parse(l.nextAttemptAt), l.lastError, l.crmId];
  };
  try {
    expect(await shape('L1')).toEqual(['pending', 0, T0, null, null]);
    expect(await shape('L2')).toEqual(['retrying', 2, T0 + 600_000, 'HTTP 503: down', null]);
    expect(await shape('L3')).toEqual(['sent', 3, null, null, 'D-3']);
    expect(await shape('L4')).toEqual(['failed', 5, null, 'gave up after 5 attempts: HTTP 502', null]);
    expect(await shape('L5')).toEqual(['no_integration', 1, null, 'no enabled integration', null]);
    expect(await shape('L6')).toEqual(['not_sent', 0, null, 'form switched off', null]);
    expect((await store.queueStats(T0 + 600_000)).depth).toBe(2);
    expect((await store.listLeads('p1', { limit: 10, q: 'анна l4' })).items.map((l) => l.id)).toEqual(['L4']);
    const [due] = await store.claimJobs('w', T0 + 600_000, 10, 1000);
    expect(due).toMatchObject({ leadId: 'L1' });
  } finally {
    await store.close();
  }
}

describe('migration 0008 on leads stored before it', () => {
  test('SQLite', async () => {
    const file = join(dir, 'old.db');
    const db = new Database(file);
    for (const f of BEFORE(sqliteDialect)) db.exec(readFileSync(join(migrationsDir(sqliteDialect), f), 'utf8'));
    db.exec('CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
    for (const f of BEFORE(sqliteDialect)) db.prepare('INSERT INTO migrations VALUES (?, 0)').run(f);
    for (const sql of oldSql()) db.exec(sql);
    db.close();
    await expectSameAnswers(openSqliteStore({ file }));
  });

  test('PostgreSQL', async () => {
    const c = new pg.Client({ connectionString: PG_URL });
    await c.connect();
    await c.query(`CREATE SCHEMA ${schema}`);
    await c.query(`SET search_path = ${schema}`);
    for (const f of BEFORE(postgresDialect)) await c.query(readFileSync(join(migrationsDir(postgresDialect), f), 'utf8'));
    await c.query('CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
    for (const f of BEFORE(postgresDialect)) await c.query('INSERT INTO migrations VALUES ($1, 0)', [f]);
    for (const sql of oldSql()) await c.query(sql);
    await c.end();
    await expectSameAnswers(await openPostgresStore({ connectionString: PG_URL, schema, max: 2 }));
  });
});
