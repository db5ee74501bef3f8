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
  ...(config.deliveryLeaseMs ? { deliveryLeaseMs: config.deliveryLeaseMs } : {}),
});
app.addHook('onClose', async () => store.close());
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

let closing = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) return;
    closing = true;
    // Finish attempts in flight and close the database cleanly.
    app.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
