// The SQLite group commit (store/group-commit.ts): writes queued in one tick share one transaction,
// each in its own savepoint, so a failing write undoes only itself, and each caller gets its own
// outcome, in order. The wrappers are made once, so this also holds across many batches.
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createGroupCommit } from '../../src/store/group-commit.ts';

let db: Database.Database | null = null;
afterEach(() => db?.close());

function open() {
  db = new Database(':memory:');
  db.exec('CREATE TABLE t (v INTEGER PRIMARY KEY)');
  return db;
}

describe('group commit', () => {
  it('runs a tick of writes in one transaction, each undone alone when it fails', async () => {
    const d = open();
    const gc = createGroupCommit(d);
    const insert = d.prepare('INSERT INTO t (v) VALUES (?)');
    let transactions = 0;
    const results = await Promise.allSettled([
      gc.run(() => {
        if (d.inTransaction) transactions += 1;
        return insert.run(1).changes;
      }),
      gc.run(() => {
        insert.run(2);
        // The first row of this write is undone with it: the savepoint, not the batch, rolls back.
        insert.run(1);
        return 'never';
      }),
      gc.run(() => insert.run(3).changes),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[0] as PromiseFulfilledResult<number>).value).toBe(1);
    expect(transactions).toBe(1);
    expect(d.prepare('SELECT v FROM t ORDER BY v').pluck().all()).toEqual([1, 3]);
    expect(d.inTransaction).toBe(false);
  });

  it('keeps working batch after batch, and flushNow commits what is queued', async () => {
    const d = open();
    const gc = createGroupCommit(d);
    const insert = d.prepare('INSERT INTO t (v) VALUES (?)');
    for (let batch = 0; batch < 5; batch++) {
      await Promise.all([1, 2, 3].map((i) => gc.run(() => insert.run(batch * 10 + i))));
    }
    const last = gc.run(() => insert.run(100));
    gc.flushNow();
    expect(d.prepare('SELECT COUNT(*) FROM t').pluck().get()).toBe(16);
    await expect(last).resolves.toMatchObject({ changes: 1 });
  });
});
