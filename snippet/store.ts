// The queue's IndexedDB store: database "leadrelay", object store "outbox" (the names idb-keyval used, so
// leads queued by earlier builds still load), keyed by lead id. Plain IndexedDB: a library costs more bytes.
import type { Entry, LeadStore } from './queue.ts';

/** A request or a transaction as a promise (a transaction settles when it commits or aborts). */
const settled = <T>(r: IDBRequest<T> | IDBTransaction) =>
  new Promise<T>((ok, fail) => {
    (r as IDBRequest).onsuccess = (r as IDBTransaction).oncomplete = () => ok((r as IDBRequest<T>).result);
    r.onerror = (r as IDBTransaction).onabort = () => fail(r.error);
  });

export function idbLeadStore(): LeadStore {
  // Opened per operation (leads are few) and closed once its transaction is queued, so no connection is
  // kept to go stale. async: where IndexedDB is missing this rejects, and the queue logs it and sends anyway.
  async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | IDBTransaction) {
    const open = indexedDB.open('leadrelay');
    open.onupgradeneeded = () => open.result.createObjectStore('outbox');
    const db = await settled(open);
    const done = settled(fn(db.transaction('outbox', mode).objectStore('outbox')) as IDBRequest<T>);
    db.close();
    return done;
  }
  return {
    all: () => run<Entry[]>('readonly', (s) => s.getAll()),
    put: (e) => run('readwrite', (s) => (s.put(e, e.id), s.transaction)),
    del: (id) => run('readwrite', (s) => (s.delete(id), s.transaction)),
  };
}
