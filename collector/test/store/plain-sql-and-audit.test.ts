// The plain SQL connection (store/db.ts) and the audit log on both stores.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { listAudit, recordAudit } from '../../src/audit.ts';
import { toPostgresPlaceholders } from '../../src/store/db.ts';
import { openSqliteStore } from '../../src/store/sqlite.ts';
import type { Store } from '../../src/store/types.ts';
import { postgresSchemas } from '../store-helpers.ts';

describe('toPostgresPlaceholders', () => {
  it('numbers ? in order and leaves quoted text alone', () => {
    expect(toPostgresPlaceholders(`SELECT '?' AS q, "a?" FROM t WHERE a = ? AND b = ?`)).toBe(`SELECT '?' AS q, "a?" FROM t WHERE a = $1 AND b = $2`);
  });
});

const pgSchemas = postgresSchemas('plainsql');
const kinds: Array<[string, () => Promise<Store>]> = [
  ['sqlite', async () => openSqliteStore({ file: ':memory:' })],
  ['postgres', () => pgSchemas.open()],
];

describe.each(kinds)('%s', (_name, open) => {
  let store: Store;
  afterEach(async () => {
    await store?.close();
  });
  afterAll(() => pgSchemas.dropAll());

  it('runs statements in one batch, all or none', async () => {
    store = await open();
    await store.db.batch([{ sql: 'INSERT INTO audit_log (project_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)', params: ['p1', 'a', 'x', '{}', 1] }]);
    await expect(
      store.db.batch([
        { sql: 'INSERT INTO audit_log (project_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)', params: ['p1', 'a', 'y', '{}', 2] },
        { sql: 'INSERT INTO audit_log (project_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)', params: ['p1', null, 'z', '{}', 3] },
      ]),
    ).rejects.toThrow();
    const rows = await store.db.all('SELECT action FROM audit_log ORDER BY id');
    expect(rows.map((r) => r.action)).toEqual(['x']);
  });

  it('keeps audit entries newest first, by project, with NULs stripped', async () => {
    store = await open();
    await recordAudit(store.db, { projectId: 'p1', actor: 'ann@example.com', action: 'form.update', detail: { formId: 'f1' } }, 10);
    await recordAudit(store.db, { projectId: null, actor: 'admin\u0000 token', action: 'user.create', detail: { email: 'b@x' } }, 20);
    await recordAudit(store.db, { projectId: 'p2', actor: 'admin token', action: 'form.delete', detail: {} }, 30);
    expect((await listAudit(store.db, { limit: 10 })).map((e) => e.action)).toEqual(['form.delete', 'user.create', 'form.update']);
    const p1 = await listAudit(store.db, { projectId: 'p1', limit: 10 });
    expect(p1).toEqual([{ id: expect.any(Number), projectId: 'p1', actor: 'ann@example.com', action: 'form.update', detail: { formId: 'f1' }, at: 10 }]);
    const global = await listAudit(store.db, { projectId: null, limit: 10 });
    expect(global[0]).toMatchObject({ actor: 'admin token', detail: { email: 'b@x' } });
    const older = await listAudit(store.db, { limit: 10, beforeId: global[0]!.id });
    expect(older.map((e) => e.action)).toEqual(['form.update']);
  });
});
