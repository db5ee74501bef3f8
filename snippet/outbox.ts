// The queue's IndexedDB store: idb-keyval's store in its own database ("leadrelay"/"outbox"), so it never meets
// a page's own keyval store. Each entry carries its project (`p`), and a project's queue sees only its own, so
// two projects on one origin never send, cap or drop each other's leads. An entry without `p` was queued by a
// version without it: the first project whose page flushes takes it, as its visit (visit.ts). Only
// createStore/promisifyRequest are used, to keep the bundle small.
import { createStore, promisifyRequest, type UseStore } from 'idb-keyval';
import type { Entry, LeadStore } from './queue.ts';

export function idbLeadStore(project: string): LeadStore {
  let db: UseStore | undefined;
  // Opened on first use: where IndexedDB is missing this rejects, and the queue logs it and sends anyway.
  const run = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | IDBTransaction) =>
    (db = db || createStore('leadrelay', 'outbox'))(mode, (s) => promisifyRequest(fn(s)) as Promise<T>);
  return {
    all: () => run<Entry[]>('readonly', (s) => s.getAll()).then((all) => all.filter((e) => (e.p || project) == project)),
    put: (e) => run('readwrite', (s) => (s.put({ ...e, p: project }, e.id), s.transaction)),
    del: (id) => run('readwrite', (s) => (s.delete(id), s.transaction)),
  };
}
