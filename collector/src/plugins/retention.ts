// Retention follows the app's life (docs/privacy.md "Retention"): its first pass starts when the app is
// ready, and on close it stops after the batch in progress. Registered after store-lifecycle.ts, so
// its onClose hook runs first (Fastify runs them last-registered-first) and no batch meets a closed store.
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Retention } from '../privacy/retention.ts';

async function retentionLifecycle(app: FastifyInstance, opts: { retention: Retention | null }): Promise<void> {
  const { retention } = opts;
  if (!retention) return;
  app.addHook('onReady', async () => retention.start());
  app.addHook('onClose', async () => retention.stop());
}

export const retentionPlugin = fp(retentionLifecycle, { name: 'leadrelay-retention' });
