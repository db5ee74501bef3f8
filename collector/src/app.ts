// buildApp: the whole collector as a Fastify instance, apart from any listening socket, so tests
// drive it with app.inject() and server.ts only adds the listener.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { LIMITS } from '../../shared/schemas.ts';
import { systemClock, type Clock } from './clock.ts';
import { DEFAULT_HTTP_LIMITS, DEFAULT_QUOTAS, DEFAULT_RATE_LIMITS, type DailyQuotas, type HttpLimits, type RateLimits, type TrustProxy } from './config.ts';
import { createWorker, type Worker } from './delivery/worker.ts';
import { openGeo, type GeoLookup } from './geo.ts';
import { packageRoot } from './package-root.ts';
import { precompressedFiles } from './precompressed.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { errorHandler } from './error-handler.ts';
import { ApiError, sendError } from './errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { openApiTransform } from './routes/api-docs.ts';
import { adminUiRoutes } from './routes/admin-ui.ts';
import { proxyRoutes } from './routes/proxy.ts';
import { SITE_API_PREFIX, siteRoutes } from './routes/site.ts';
import { createSiteConfigCache, type SiteConfigCache } from './site-config.ts';
import { openSqliteStore } from './store/sqlite.ts';
import type { Store } from './store/types.ts';

export interface AppOptions {
  /** SQLite file; ':memory:' in unit tests. Ignored when `store` is given. */
  dbFile?: string;
  store?: Store;
  adminToken: string;
  logger?: Logger;
  now?: () => number;
  /** Time and waiting for the delivery worker (tests pass a manual clock); its now() wins over `now`. */
  clock?: Clock;
  /** How long a delivery job is leased before another worker may take it (default 60 s). */
  deliveryLeaseMs?: number;
  /** How long closing the app waits for delivery attempts in flight (default 20 s). */
  shutdownTimeoutMs?: number;
  fetch?: typeof fetch;
  /** Run the delivery worker inside this process (default true). */
  worker?: boolean;
  workerPollMs?: number;
  /** Where the built snippet is (default dist/s.js). */
  snippetFile?: string;
  /** IP → place for {city}/{region}/{country}; default: the MaxMind file named by GEOIP_DB, if any. */
  geo?: GeoLookup;
  /**
   * Requests per minute per IP on the public site API and on the proxy API (0: no limit).
   * The proxy API is called by the site's own server, so one IP sends every lead: its limit is higher.
   */
  rateLimit?: RateLimits;
  /** Leads and visits one project may store a UTC day (0: no quota); a project's own setting wins. Default: DEFAULT_QUOTAS. */
  quotas?: DailyQuotas;
  /** The origin written into the install snippet (PUBLIC_URL); default: the origin the admin used. */
  publicUrl?: string;
  /** Level of the default logger (LOG_LEVEL; default info). */
  logLevel?: string;
  /** Which proxies in front may name the client's address in X-Forwarded-For (TRUST_PROXY; default none). */
  trustProxy?: TrustProxy;
  /** Request, header and connection timeouts and the connection cap (default: DEFAULT_HTTP_LIMITS). */
  http?: Partial<HttpLimits>;
  /** How long a `sync=1` proxy call waits for the CRM (PROXY_SYNC_TIMEOUT_MS). */
  proxySyncTimeoutMs?: number;
}

export { rateLimitFromEnv, quotasFromEnv, type DailyQuotas } from './config.ts';

/** What the route plugins share. */
export interface AppContext {
  store: Store;
  adminToken: string;
  log: Logger;
  now: () => number;
  fetch: typeof fetch;
  /** Tells the delivery worker that there is new work. */
  onLeadStored: () => void;
  geo: GeoLookup;
  publicUrl: string | null;
  /** The built public config per project; admin form changes invalidate it. */
  siteConfig: SiteConfigCache;
  /** The collector's daily quotas per project (a project's own setting wins, in the store). */
  quotas: DailyQuotas;
}

export interface App {
  app: FastifyInstance;
  ctx: AppContext;
  worker: Worker;
  metrics: Metrics;
}

/**
 * Fastify (5.12 on) ignores a bare hop count, so a count becomes the function proxy-addr calls for
 * each address from the socket's back: the socket's peer is hop 0, and `hops` of them are proxies.
 */
function trustProxyOption(trust: TrustProxy): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof trust !== 'number') return trust;
  return (_address, hop) => hop < trust;
}

export async function buildApp(opts: AppOptions): Promise<App> {
  const log = opts.logger ?? pino({ level: opts.logLevel ?? 'info', redact: ['req.headers.authorization', 'settings'] });
  const store = opts.store ?? openSqliteStore({ file: opts.dbFile ?? ':memory:' });
  const clock = opts.clock ?? (opts.now ? { now: opts.now, sleep: systemClock.sleep } : systemClock);
  const now = () => clock.now();
  const metrics = createMetrics({ defaultMetrics: true });
  const worker = createWorker({
    store,
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

  // Static files (the snippet, the admin UI) and the demo are not API: they stay out of /docs.
  app.addHook('onRoute', (route) => {
    if (route.url === '/s.js' || /^\/(admin|demo)(\/|$)/.test(route.url)) route.schema = { ...(route.schema ?? {}), hide: true };
  });

  const snippetFile = opts.snippetFile ?? join(packageRoot, 'dist/s.js');
  await app.register(
    precompressedFiles([
      {
        url: '/s.js',
        file: snippetFile,
        contentType: 'application/javascript; charset=utf-8',
        headers: (reply) => reply.header('cache-control', 'public, max-age=300').header('access-control-allow-origin', '*'),
        missing: (reply) => sendError(reply, 'NOT_FOUND', 'The snippet is not built: run `npm run build`.'),
      },
    ]),
  );

  // Public endpoints are limited per IP; the admin API sits behind its token instead.
  const limits = opts.rateLimit ?? DEFAULT_RATE_LIMITS;
  app.addHook('onRoute', (route) => {
    const perMinute = route.url.startsWith('/api/site/') ? limits.sitePerMinute : route.url.startsWith('/api/proxy/') ? limits.proxyPerMinute : 0;
    if (perMinute > 0 && route.method !== 'OPTIONS') route.config = { ...(route.config ?? {}), rateLimit: { max: perMinute, timeWindow: 60_000 } };
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) =>
      new ApiError('RATE_LIMITED', `Too many requests from this address: at most ${context.max} a minute; retry in ${Math.ceil(context.ttl / 1000)} s.`),
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'leadrelay', description: 'Site, proxy (Roistat-compatible) and admin APIs of the leadrelay collector.', version: '1.0.0' },
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN (printed at first start)' } } },
      tags: [
        { name: 'admin', description: 'Admin API: Authorization: Bearer <ADMIN_TOKEN> ("Authorize" above).' },
        { name: 'site', description: 'Site API, used by the snippet (public, CORS open).' },
        { name: 'proxy', description: "Proxy API, compatible with Roistat's: called by the site's own server with the project key." },
        { name: 'operations', description: 'Health and metrics.' },
      ],
    },
    transform: openApiTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // Health for load balancers and orchestrators: the database takes a write (a read-only or full
  // disk makes every lead fail, so it is not healthy), and how far behind delivery is. The probe is
  // shared by the calls of one second, so polling /healthz cannot turn into a stream of fsyncs.
  let probe: { at: number; done: Promise<void> } | null = null;
  app.get('/healthz', { schema: { tags: ['operations'] } }, async (req, reply) => {
    reply.header('cache-control', 'no-store');
    const at = now();
    if (!probe || at - probe.at >= 1000 || at < probe.at) probe = { at, done: store.probeWrite(at) };
    let queue: { depth: number; oldestDueAt: number | null };
    try {
      await probe.done;
      queue = await store.queueStats(at);
    } catch (err) {
      req.log.error({ err }, 'health check: the database cannot be written');
      return sendError(reply, 'STORAGE_UNAVAILABLE');
    }
    return reply.send({
      status: 'ok',
      queue: {
        depth: queue.depth,
        oldestDueAt: queue.oldestDueAt === null ? null : new Date(queue.oldestDueAt).toISOString(),
        oldestDueSeconds: queue.oldestDueAt === null ? null : Math.max(0, Math.floor((at - queue.oldestDueAt) / 1000)),
      },
    });
  });
  // Prometheus scrape endpoint: delivery queue, attempts, latency (no lead data, no secrets).
  app.get('/metrics', { schema: { tags: ['operations'] } }, async (_req, reply) => {
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(await metrics.render());
  });

  await app.register(siteRoutes(ctx), { prefix: SITE_API_PREFIX });
  await app.register(proxyRoutes(ctx, opts.proxySyncTimeoutMs ? { syncTimeoutMs: opts.proxySyncTimeoutMs } : {}), { prefix: '/api/proxy' });
  await app.register(adminRoutes(ctx), { prefix: '/api/v1' });
  await app.register(adminUiRoutes);

  app.addHook('onReady', async () => {
    if (opts.worker !== false) worker.start();
  });
  // The worker stops (its attempts in flight finish and are recorded) before the store closes. A
  // store passed in is the caller's to close, after app.close() resolves (see server.ts).
  app.addHook('onClose', async () => {
    await worker.stop();
    if (!opts.store) await store.close();
  });

  return { app, ctx, worker, metrics };
}
