// Starts the collector: reads the environment, opens the store, listens, and on the first start
// sets up the demo project so a newcomer sees a lead travel from a form to a (built-in mock) CRM.
import { join } from 'node:path';
import pino from 'pino';
import { buildApp } from './app.ts';
import { readConfig, type ServerConfig } from './config.ts';
import { demoRoutes, ensureDemoProject } from './demo.ts';
import { openGeo } from './geo.ts';
import { looseFileModes, prepareDataDir, resolveAdminToken, SQLITE_FILE, startBanner, storageError } from './startup.ts';
import { openPostgresStore } from './store/postgres.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { Store } from './store/types.ts';
import { LOG_REDACT } from './log-redact.ts';

function refuseToStart(err: unknown): never {
  process.stderr.write(`leadrelay cannot start: ${(err as Error).message}\n`);
  process.exit(1);
}

let config: ServerConfig;
try {
  config = readConfig();
} catch (err) {
  refuseToStart(err);
}
const log = pino({ level: config.logLevel, redact: LOG_REDACT });
let store: Store;
const storageName = config.databaseUrl ? 'PostgreSQL, DATABASE_URL' : join(config.dataDir, SQLITE_FILE);
try {
  // postgres://… selects PostgreSQL (several collector processes may share it); else SQLite in DATA_DIR.
  if (config.databaseUrl) {
    store = await openPostgresStore({
      connectionString: config.databaseUrl,
      onConnectionError: (err) => log.warn({ err }, 'a PostgreSQL connection was lost; the pool opens a new one'),
    });
  } else {
    prepareDataDir(config.dataDir);
    store = openSqliteStore({ file: join(config.dataDir, SQLITE_FILE) });
  }
  // A read-only or full disk would answer every lead with 500: refuse to start instead.
  await store.probeWrite(Date.now());
} catch (err) {
  refuseToStart(storageError(err, storageName));
}
const adminToken = await resolveAdminToken(config.adminToken, store, { shared: !!config.databaseUrl, dataDir: config.dataDir });
// DATA_DIR 0700, its files 0600 (they hold CRM secrets and personal data): say so when looser.
if (!config.databaseUrl) for (const warning of looseFileModes(config.dataDir)) log.warn(warning);

const { app, ctx, worker } = await buildApp({
  store,
  adminToken: adminToken.token,
  logger: log,
  // Only an explicit PUBLIC_URL overrides the origin the admin UI is opened at.
  ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
  ...(config.deliveryLeaseMs ? { deliveryLeaseMs: config.deliveryLeaseMs } : {}),
  ...(config.proxySyncTimeoutMs ? { proxySyncTimeoutMs: config.proxySyncTimeoutMs } : {}),
  rateLimit: config.rateLimit,
  quotas: config.quotas,
  trustProxy: config.trustProxy,
  http: config.http,
  geo: await openGeo(config.geoipDb ?? ''),
  shutdownTimeoutMs: config.shutdownTimeoutMs,
});
// The store is closed after app.close() resolves (see the stop below), never in an onClose hook.
if (config.demo) await app.register(demoRoutes(ctx));

const urlAt = (port: number) => config.publicUrl ?? `http://${config.host.includes(':') ? `[${config.host}]` : config.host}:${port}`;
// The demo project exists before the first request; with PORT=0 its URL is known only once listening.
let demo = config.demo && config.port !== 0 ? await ensureDemoProject(ctx, urlAt(config.port)) : null;
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const publicUrl = urlAt(typeof address === 'object' && address ? address.port : config.port);
if (config.demo && !demo) demo = await ensureDemoProject(ctx, publicUrl);

process.stdout.write(
  startBanner({ publicUrl, adminToken, dataDir: config.dataDir, databaseUrl: config.databaseUrl, demoProjectId: demo ? demo.projectId : null }),
);

// A graceful stop: stop listening, stop claiming delivery jobs and let the CRM calls in flight finish
// and be recorded (up to SHUTDOWN_TIMEOUT_MS), then close the store. The worker is stopped here and
// not only in Fastify's onClose hook, because Fastify runs that hook only once every HTTP connection
// has ended: a client polling /healthz over a keep-alive connection (a load balancer, a test) would
// hold the stop, and the attempts would not be recorded before the deadline. Open connections get a
// few seconds to end, then are closed. The store is closed last (an onClose hook would close it before
// the worker's, as Fastify runs them last-registered-first). A second signal exits at once (as kill -9
// would: every acknowledged lead is durable, and a job whose lease is still held is sent after it ends).
const CONNECTIONS_GRACE_MS = 5000;
let closing = false;
async function gracefulStop(): Promise<void> {
  const appClosed = app.close();
  await worker.stop();
  let timer: NodeJS.Timeout | undefined;
  const drained = await Promise.race([
    appClosed.then(() => true),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), CONNECTIONS_GRACE_MS);
    }),
  ]);
  clearTimeout(timer);
  if (!drained) {
    log.warn('stopping: closing the HTTP connections still open');
    app.server.closeAllConnections();
    await appClosed;
  }
  await store.close();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (closing) process.exit(1);
    closing = true;
    // Whatever hangs (a stuck store) must not hold the exit past the deadline.
    setTimeout(() => {
      process.stderr.write('leadrelay: the graceful stop took too long; exiting\n');
      process.exit(1);
    }, config.shutdownTimeoutMs + 15_000).unref();
    gracefulStop().then(
      () => process.exit(0),
      (err: unknown) => {
        process.stderr.write(`leadrelay: stop failed: ${err instanceof Error ? err.message : String(err)}\n`);
        process.exit(1);
      },
    );
  });
}
