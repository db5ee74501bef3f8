// buildApp: the whole collector as a Fastify instance, apart from any listening socket, so tests
// drive it with app.inject() and server.ts only adds the listener. Each concern is a plugin under
// plugins/; this file only wires them. It never reads the environment: server.ts passes the config.
import Fastify, { type FastifyBaseLogger } from 'fastify';
import pino from 'pino';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { LIMITS } from '../../shared/schemas.ts';
import { DEFAULT_PASSWORD_COST } from './auth/passwords.ts';
import { systemClock } from './clock.ts';
import { DEFAULT_HTTP_LIMITS, DEFAULT_QUOTAS, DEFAULT_RATE_LIMITS, type TrustProxy } from './config.ts';
import type { App, AppContext, AppOptions } from './context.ts';
import { createAdapterRegistry } from './crm/index.ts';
import { createWorker } from './delivery/worker.ts';
import { openGeo } from './geo.ts';
import { createMetrics } from './metrics.ts';
import { errorHandler } from './error-handler.ts';
import { sendError } from './errors.ts';
import { apiDocsPlugin } from './plugins/api-docs.ts';
import { opsPlugin } from './plugins/ops.ts';
import { retentionPlugin } from './plugins/retention.ts';
import { createRetention } from './privacy/retention.ts';
import { rateLimitsPlugin } from './plugins/rate-limits.ts';
import { snippetPlugin } from './plugins/snippet.ts';
import { storeLifecyclePlugin } from './plugins/store-lifecycle.ts';
import { adminRoutes } from './routes/admin.ts';
import { adminUiRoutes } from './routes/admin-ui.ts';
import { auditRoutes } from './routes/audit.ts';
import { projectRoutes } from './routes/projects.ts';
import { sessionRoutes } from './routes/session.ts';
import { userRoutes } from './routes/users.ts';
import { proxyRoutes } from './routes/proxy.ts';
import { SITE_API_PREFIX, siteRoutes } from './routes/site.ts';
import { createSiteConfigCache } from './site-config.ts';
import { openSqliteStore } from './store/sqlite.ts';
import { LOG_REDACT } from './log-redact.ts';

export type { App, AppContext, AppOptions } from './context.ts';

/**
 * Fastify (5.12 on) ignores a bare hop count, so a count becomes the function proxy-addr calls for
 * each address from the socket's back: the socket's peer is hop 0, and `hops` of them are proxies.
 */
function trustProxyOption(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

export async function buildApp(opts: AppOptions): Promise<App> {
  const log = opts.logger ?? pino({ level: opts.logLevel ?? 'info', redact: LOG_REDACT });
  const store = opts.store ?? openSqliteStore({ file: opts.dbFile ?? ':memory:' });
  const clock = opts.clock ?? systemClock;
  const now = () => clock.now();
  const metrics = createMetrics({ defaultMetrics: true });
  const adapters = createAdapterRegistry();
  const worker = createWorker({
    store,
    adapterFor: adapters.adapterFor,
    log,
    clock,
    metrics,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.workerPollMs ? { pollMs: opts.workerPollMs } : {}),
    ...(opts.deliveryLeaseMs ? { leaseMs: opts.deliveryLeaseMs } : {}),
    ...(opts.shutdownTimeoutMs !== undefined ? { stopTimeoutMs: opts.shutdownTimeoutMs } : {}),
  });
  const ctx: AppContext = {
    store,
    adminToken: opts.adminToken,
    log,
    now,
    fetch: opts.fetch ?? fetch,
    onLeadStored: () => worker.wake(),
    geo: opts.geo ?? (await openGeo('')),
    publicUrl: opts.publicUrl ? opts.publicUrl.replace(/\/+$/, '') : null,
    siteConfig: createSiteConfigCache(store, now),
    quotas: opts.quotas ?? DEFAULT_QUOTAS,
    passwordCost: opts.passwordCost ?? DEFAULT_PASSWORD_COST,
    adapters,
  };

  const http = { ...DEFAULT_HTTP_LIMITS, ...opts.http };
  const handleError = errorHandler({ metrics, now });
  const app = Fastify({
    // A URL the router cannot read (bad percent-encoding, a parameter past maxParamLength) gets the
    // same error shape as every other refusal, not Fastify's own.
    frameworkErrors: (err, req, reply) => handleError(err, req, reply),
    // Request lines are noise at this volume; errors and the app's own events still log.
    loggerInstance: log.child({}, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: LIMITS.bodyBytes,
    routerOptions: { maxParamLength: 500 },
    // A client that sends its request slowly (a byte at a time) or not at all must not keep a socket.
    requestTimeout: http.requestTimeoutMs,
    connectionTimeout: http.connectionTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    http: {
      // PHP sites send long Cyrillic text by GET (4096 letters are 24 KiB encoded): take a 64 KiB
      // query string, beyond Node's default 16 KiB header limit.
      maxHeaderSize: 80 * 1024,
      headersTimeout: http.headersTimeoutMs,
      requestTimeout: http.requestTimeoutMs,
      // Node checks the two timeouts above on this interval (30 s by default, which would stretch a
      // short timeout): a few checks per timeout, at most one a second.
      connectionsCheckingInterval: Math.max(10, Math.min(1000, Math.floor(http.headersTimeoutMs / 4))),
    },
    trustProxy: trustProxyOption(opts.trustProxy ?? false),
  });
  // Connections over the cap are closed at once (file descriptors are finite).
  app.server.maxConnections = http.maxConnections;
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((_req, reply) => sendError(reply, 'NOT_FOUND'));

  // Order matters: the docs and rate-limit plugins see each route as it is added after them.
  await app.register(apiDocsPlugin);
  await app.register(snippetPlugin(opts.snippetFile));
  await app.register(rateLimitsPlugin, opts.rateLimit ?? DEFAULT_RATE_LIMITS);
  await app.register(opsPlugin({ store, metrics, now }));
  await app.register(siteRoutes(ctx), { prefix: SITE_API_PREFIX });
  await app.register(proxyRoutes(ctx, opts.proxySyncTimeoutMs ? { syncTimeoutMs: opts.proxySyncTimeoutMs } : {}), { prefix: '/api/proxy' });
  await app.register(adminRoutes(ctx), { prefix: '/api/v1' });
  await app.register(projectRoutes(ctx), { prefix: '/api/v1' });
  await app.register(userRoutes(ctx), { prefix: '/api/v1' });
  await app.register(auditRoutes(ctx), { prefix: '/api/v1' });
  await app.register(sessionRoutes(ctx, opts.loginHashSlots), { prefix: '/api/v1' });
  await app.register(adminUiRoutes);
  await app.register(storeLifecyclePlugin, { store, worker, startWorker: opts.worker !== false, ownsStore: !opts.store });
  const retentionOn = opts.retention === undefined ? opts.worker !== false : opts.retention !== false;
  const retention = retentionOn ? createRetention({ store, clock, log, metrics, ...(opts.retention || {}) }) : null;
  // After store-lifecycle: its onClose hook runs before the store closes.
  await app.register(retentionPlugin, { retention });

  return { app, ctx, worker, metrics, retention };
}
