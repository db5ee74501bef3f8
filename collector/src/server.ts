// Starts the collector: reads the environment, opens the store, listens, and on the first start
// sets up the demo project so a newcomer sees a lead travel from a form to a (built-in mock) CRM.
import { join } from 'node:path';
import { buildApp } from './app.ts';
import { readConfig } from './config.ts';
import { demoRoutes, ensureDemoProject } from './demo.ts';

const config = readConfig();
if (config.databaseUrl) {
  console.error('DATABASE_URL (PostgreSQL) is not supported by this build yet; unset it to use SQLite under DATA_DIR.');
  process.exit(1);
}
const { app, ctx } = await buildApp({ dbFile: join(config.dataDir, 'leadrelay.sqlite'), adminToken: config.adminToken });
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
  `  data:        ${config.dataDir}`,
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
