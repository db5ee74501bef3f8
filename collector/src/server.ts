// Starts the collector: reads the environment, opens the store, listens, and on the first start
// sets up the demo project so a newcomer sees a lead travel from a form to a (built-in mock) CRM.
import { join } from 'node:path';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { demoRoutes, ensureDemoProject } from './demo.ts';
import { openPostgresStore } from './store/postgres.ts';
import { openSqliteStore } from './store/sqlite.ts';

const config = readConfig();
// postgres://… selects PostgreSQL (several collector processes may share it); else SQLite in DATA_DIR.
const store = config.databaseUrl
  ? await openPostgresStore({ connectionString: config.databaseUrl })
  : openSqliteStore({ file: join(config.dataDir, 'leadrelay.sqlite') });
const { app, ctx } = await buildApp({
  store,
  adminToken: config.adminToken,
  // Only an explicit PUBLIC_URL overrides the origin the admin UI is opened at.
  ...(process.env.PUBLIC_URL ? { publicUrl: config.publicUrl } : {}),
  ...(config.deliveryLeaseMs ? { deliveryLeaseMs: config.deliveryLeaseMs } : {}),
  shutdownTimeoutMs: config.shutdownTimeoutMs,
});
await app.register(demoRoutes(ctx));

const demo = await ensureDemoProject(ctx, config.publicUrl);
await app.listen({ port: config.port, host: config.host });

const lines = [
  '',
  `leadrelay is running at ${config.publicUrl}`,
  `  admin:       ${config.publicUrl}/admin/`,
  `  admin token: ${config.adminToken}${config.adminTokenGenerated ? '   (generated now, kept in DATA_DIR/admin-token)' : ''}`,
  `  demo site:   ${config.publicUrl}/demo/   (project ${demo.projectId})`,
  `  demo CRM:    ${config.publicUrl}/demo/crm/   (what the built-in mock CRM received)`,
  `  data:        ${config.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : config.dataDir}`,
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);

// A graceful stop, in this order: stop listening, stop claiming delivery jobs and let the CRM calls
// in flight finish and be recorded (up to SHUTDOWN_TIMEOUT_MS), then close the store. Closing the
// store in an onClose hook would run before the worker's (Fastify runs them last-registered-first),
// so it is closed here, after app.close() resolves. A second signal exits at once (as kill -9 would:
// every acknowledged lead is durable, and a job whose lease is still held is sent after it ends).
let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1);
    closing = true;
    // HTTP requests that never end (a stuck client) must not hold the exit past the deadline.
    setTimeout(() => {
      process.stderr.write('leadrelay: the graceful stop took too long; exiting\n');
      process.exit(1);
    }, config.shutdownTimeoutMs + 15_000).unref();
    app
      .close()
      .then(() => store.close())
      .then(
        () => process.exit(0),
        (err: unknown) => {
          process.stderr.write(`leadrelay: stop failed: ${err instanceof Error ? err.message : String(err)}\n`);
          process.exit(1);
        },
      );
  });
}
