// The queue's IndexedDB store: idb-keyval's store in a database of the project's own ("leadrelay_<project>"/
// "outbox"), so it never meets a page's own keyval store nor another project's leads. Only
// createStore/promisifyRequest are used, to keep the bundle small.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import type { Entry, LeadStore } from './queue.ts';

export function idbLeadStore(project: string): LeadStore {
  let db: UseStore | undefined;
  // Opened on first use: where IndexedDB is missing this rejects, and the queue logs it and sends anyway.
  const run = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | IDBTransaction) =>
    (db = db || createStore('leadrelay_' + project, 'outbox'))(mode, (s) => promisifyRequest(fn(s)) as Promise<T>);
  return {
    all: () => run<Entry[]>('readonly', (s) => s.getAll()),
    put: (e) => run('readwrite', (s) => (s.put(e, e.id), s.transaction)),
    del: (id) => run('readwrite', (s) => (s.delete(id), s.transaction)),
  };
}
