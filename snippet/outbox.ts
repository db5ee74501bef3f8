// The queue's IndexedDB store, in its own database ("leadrelay"/"outbox") so it never meets a page's own stores.
// Each entry carries its project (`p`), and a project's queue sees only its own, so two projects on one origin
// never send, cap or drop each other's leads. An entry without `p` was queued by a version without it: the first
// project whose page flushes takes it, as its visit (visit.ts). A few lines of our own instead of a library: the
// snippet needs one store and three calls (ARCHITECTURE.md "Size").
import type { Entry, LeadStore } from './queue.ts';

type Req = IDBRequest & IDBTransaction;

/** A request's result, or a transaction's end (its `result` is undefined), as a promise. */
const done = <T>(r: IDBRequest<T> | IDBTransaction): Promise<T> =>
  new Promise((ok, fail) => {
    (r as Req).oncomplete = (r as Req).onsuccess = () => ok((r as Req).result);
    (r as Req).onabort = (r as Req).onerror = () => fail(r.error);
  });

export function idbLeadStore(project: string): LeadStore {
  let db: Promise<IDBDatabase> | undefined;
  // Opened on first use: where IndexedDB is missing this rejects, and the queue logs it and sends anyway. A failed
  // or closed connection (Safari closes them) is opened again by the next call.
  const open = () => {
    const r = indexedDB.open('leadrelay');
    r.onupgradeneeded = () => r.result.createObjectStore('outbox');
    const p = done(r);
    p.then((d) => (d.onclose = () => (db = undefined)), () => (db = undefined));
    return p;
  };
  const run = <T>(mode: IDBTransactionMode, fn: (s: IDBObjectStore) => IDBRequest<T> | IDBTransaction) =>
    (db ||= open()).then((d) => done<T>(fn(d.transaction('outbox', mode).objectStore('outbox'))));
  return {
    all_: () => run<Entry[]>('readonly', (s) => s.getAll()).then((all) => all.filter((e) => (e.p || project) == project)),
    put_: (e) => run('readwrite', (s) => (s.put({ ...e, p: project }, e.id), s.transaction)),
    del_: (id) => run('readwrite', (s) => (s.delete(id), s.transaction)),
  };
}
