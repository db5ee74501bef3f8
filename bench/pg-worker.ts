// One delivery worker on PostgreSQL in its own child process (the scaling bench starts one or two on one
// schema; FOR UPDATE SKIP LOCKED gives each job to one of them). The webhook adapter's rate limit is
// lifted, as in delivery.ts, so the engine's own pace is measured. Env: DATABASE_URL, PG_SCHEMA.
// It prints READY at once and starts claiming on SIGUSR2, so several workers start together.
import pino from 'pino';
import { adapterFor } from '../collector/src/crm/index.ts';
import type { CrmAdapter } from '../collector/src/crm/types.ts';
import { createWorker } from '../collector/src/delivery/worker.ts';
import { openPostgresStore } from '../collector/src/store/postgres.ts';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('DATABASE_URL is required');
const store = await openPostgresStore({ connectionString, ...(process.env.PG_SCHEMA ? { schema: process.env.PG_SCHEMA } : {}), applicationName: 'leadrelay-bench-worker' });

function unlimited(type: Parameters<typeof adapterFor>[0]): CrmAdapter | null {
  const a = adapterFor(type);
  return a && type === 'webhook' ? { ...a, rateLimit: { count: 1_000_000, perMs: 1000, parallel: 1000 } } : a;
}

const worker = createWorker({ store, log: pino({ level: 'silent' }), adapterFor: unlimited });
process.on('SIGUSR2', () => worker.start());
process.stdout.write(`READY ${JSON.stringify({ pid: process.pid })}\n`);
process.on('SIGTERM', async () => {
  await worker.stop();
  await store.close();
  process.exit(0);
});
