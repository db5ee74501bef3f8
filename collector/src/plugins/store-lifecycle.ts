// The delivery worker and the store follow the app's life: the worker starts when the app is ready;
// on close it stops (its attempts in flight finish and are recorded) before the store closes. A store
// passed in by the caller is the caller's to close, after app.close() resolves (see server.ts).
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Worker } from '../delivery/worker.ts';
import type { Store } from '../store/types.ts';

export interface StoreLifecycleOptions {
  store: Store;
  worker: Worker;
  /** Start the worker when the app is ready (false: another process delivers). */
  startWorker: boolean;
  /** Close the store with the app (true when buildApp opened it). */
  ownsStore: boolean;
}

async function storeLifecycle(app: FastifyInstance, opts: StoreLifecycleOptions): Promise<void> {
  app.addHook('onReady', async () => {
    if (opts.startWorker) opts.worker.start();
  });
  app.addHook('onClose', async () => {
    await opts.worker.stop();
    if (opts.ownsStore) await opts.store.close();
  });
}

export const storeLifecyclePlugin = fp(storeLifecycle, { name: 'leadrelay-store-lifecycle' });
