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
  let db: Promise<IDBDatabase> | undefined;
  const open = () => {
    const req = indexedDB.open('leadrelay');
    req.onupgradeneeded = () => req.result.createObjectStore('outbox');
    return settled(req);
  };
  // The connection is opened on first use and kept: a lead made just before the page navigates away must
  // reach its transaction in the same turn, with no open to wait for. async: where IndexedDB is missing
  // this rejects, and the queue logs it and sends anyway.
  async function run<T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | IDBTransaction) {
    try {
      const conn = await (db ||= open());
      return await settled(fn(conn.transaction('outbox', mode).objectStore('outbox')) as IDBRequest<T>);
    } catch (e) {
      // A failed open, or a connection the browser closed (storage cleared): the next operation opens again.
      db = undefined;
      throw e;
    }
  }
  return {
    all: () => run<Entry[]>('readonly', (s) => s.getAll()),
    put: (e) => run('readwrite', (s) => (s.put(e, e.id), s.transaction)),
    del: (id) => run('readwrite', (s) => (s.delete(id), s.transaction)),
  };
}
