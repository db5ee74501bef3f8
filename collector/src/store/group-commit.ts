// SQLite's group commit: every write queued in the same tick of the event loop shares one
// transaction (and one fsync), each inside its own savepoint so one failing write does not undo the
// others. Durability costs one fsync per batch, not per lead (docs/architecture.md "Store").
import type Database from 'better-sqlite3';

export interface GroupCommit {
  run<T>(work: () => T): Promise<T>;
  /** Commits what is queued now (before closing). */
  flushNow(): void;
}

export function createGroupCommit(db: Database.Database): GroupCommit {
  let queue: { work: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;
  // Both wrappers are made once: better-sqlite3 builds four functions for every transaction() call,
  // which was a measurable part of each write's cost when made per write (bench/store-ab.ts).
  // Inside the batch's transaction, `inSavepoint` runs a write in its own savepoint.
  const inSavepoint = db.transaction((work: () => unknown) => work());
  const inBatch = db.transaction((batch: typeof queue, outcomes: { ok: boolean; value: unknown }[]) => {
    for (const item of batch) {
      try {
        outcomes.push({ ok: true, value: inSavepoint(item.work) });
      } catch (err) {
        outcomes.push({ ok: false, value: err });
      }
    }
  });

  function flushNow() {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      inBatch(batch, outcomes);
    } catch (err) {
      for (const item of batch) item.reject(err);
      return;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.value);
    });
  }

  return {
    run<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flushNow);
        }
      });
    },
    flushNow,
  };
}
