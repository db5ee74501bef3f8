// buildApp: the whole collector as a Fastify instance, apart from any listening socket, so tests
// drive it with app.inject() and server.ts only adds the listener.
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import pino, { type Logger } from 'pino';
import { hasZodFastifySchemaValidationErrors, jsonSchemaTransform, serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { LIMITS } from '../../shared/schemas.ts';
import { systemClock, type Clock } from './clock.ts';
import { createWorker, type Worker } from './delivery/worker.ts';
import { openGeo, type GeoLookup } from './geo.ts';
import { createMetrics, type Metrics } from './metrics.ts';
import { ApiError, ERRORS, errorBody } from './errors.ts';
import { adminRoutes } from './routes/admin.ts';
import { adminUiRoutes } from './routes/admin-ui.ts';
import { proxyRoutes } from './routes/proxy.ts';
import { siteRoutes } from './routes/site.ts';
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
  rateLimit?: { sitePerMinute: number; proxyPerMinute: number };
  /** The origin written into the install snippet (PUBLIC_URL); default: the origin the admin used. */
  publicUrl?: string;
}

/** Per-IP limits of the public endpoints, from RATE_LIMIT_SITE_PER_MINUTE and RATE_LIMIT_PROXY_PER_MINUTE. */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env) {
  const read = (name: string, fallback: number) => {
    const value = env[name];
    if (value === undefined || value === '') return fallback;
    const n = Number(value);
    if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number of requests per minute (0: no limit)`);
    return n;
  };
  return { sitePerMinute: read('RATE_LIMIT_SITE_PER_MINUTE', 600), proxyPerMinute: read('RATE_LIMIT_PROXY_PER_MINUTE', 6000) };
}

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
}

export interface App {
  app: FastifyInstance;
  ctx: AppContext;
  worker: Worker;
  metrics: Metrics;
}

export async function buildApp(opts: AppOptions): Promise<App> {
  const log = opts.logger ?? pino({ level: process.env.LOG_LEVEL ?? 'info', redact: ['req.headers.authorization', 'settings'] });
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
    geo: opts.geo ?? (await openGeo()),
    publicUrl: opts.publicUrl ? opts.publicUrl.replace(/\/+$/, '') : null,
    siteConfig: createSiteConfigCache(store, now),
  };

  const app = Fastify({
    // Request lines are noise at this volume; errors and the app's own events still log.
    loggerInstance: log.child({}, { level: 'warn' }) as FastifyBaseLogger,
    bodyLimit: LIMITS.bodyBytes,
        routerOptions: { maxParamLength: 500 },
    // PHP sites send long Cyrillic text by GET (4096 letters are 24 KiB encoded): take a 64 KiB
    // query string, beyond Node's default 16 KiB header limit.
    http: { maxHeaderSize: 80 * 1024 },
    trustProxy: process.env.TRUST_PROXY === '1',
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof ApiError) return reply.code(err.statusCode).send(errorBody(err.code, err.message));
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation
        .map((v) => `${v.instancePath ? v.instancePath.slice(1).replace(/\//g, '.') : err.validationContext}: ${v.message}`)
        .join('; ');
      return reply.code(400).send(errorBody('VALIDATION_ERROR', details));
    }
    switch (err.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return reply.code(413).send(errorBody('PAYLOAD_TOO_LARGE', ERRORS.PAYLOAD_TOO_LARGE.message));
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return reply.code(415).send(errorBody('UNSUPPORTED_MEDIA_TYPE', ERRORS.UNSUPPORTED_MEDIA_TYPE.message));
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return reply.code(400).send(errorBody('BAD_JSON', ERRORS.BAD_JSON.message));
    }
    if (err.statusCode === 429) return reply.code(429).send(errorBody('RATE_LIMITED', ERRORS.RATE_LIMITED.message));
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(errorBody('BAD_REQUEST', err.message));
    }
    req.log.error({ err }, 'request failed');
    return reply.code(500).send(errorBody('INTERNAL', ERRORS.INTERNAL.message));
  });
  app.setNotFoundHandler((_req, reply) => reply.code(404).send(errorBody('NOT_FOUND', ERRORS.NOT_FOUND.message)));

  const snippetFile = opts.snippetFile ?? join(process.cwd(), 'dist/s.js');
  let snippet: { body: Buffer; etag: string } | null = null;
  app.get('/s.js', async (req, reply) => {
    if (!snippet) {
      if (!existsSync(snippetFile)) throw new ApiError('NOT_FOUND', 'The snippet is not built: run `npm run build`.');
      const body = readFileSync(snippetFile);
      snippet = { body, etag: `"${createHash('sha1').update(body).digest('base64url')}"` };
    }
    reply
      .header('content-type', 'application/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=300')
      .header('access-control-allow-origin', '*')
      .header('etag', snippet.etag);
    if (req.headers['if-none-match'] === snippet.etag) return reply.code(304).send();
    return reply.send(snippet.body);
  });

  // Public endpoints are limited per IP; the admin API sits behind its token instead.
  const limits = opts.rateLimit ?? rateLimitFromEnv();
  app.addHook('onRoute', (route) => {
    const perMinute = route.url.startsWith('/api/site/') ? limits.sitePerMinute : route.url.startsWith('/api/proxy/') ? limits.proxyPerMinute : 0;
    if (perMinute > 0 && route.method !== 'OPTIONS') route.config = { ...(route.config ?? {}), rateLimit: { max: perMinute, timeWindow: 60_000 } };
  });
  await app.register(rateLimit, {
    global: false,
    errorResponseBuilder: (_req, context) =>
      Object.assign(new ApiError('RATE_LIMITED', `Too many requests from this address: at most ${context.max} a minute; retry in ${Math.ceil(context.ttl / 1000)} s.`), { statusCode: 429 }),
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'leadrelay', description: 'Site, proxy (Roistat-compatible) and admin APIs of the leadrelay collector.', version: '1.0.0' },
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });

  // Liveness for load balancers and orchestrators: the database answers.
  app.get('/healthz', async (req, reply) => {
    reply.header('cache-control', 'no-store');
    try {
      await store.queueStats(now());
    } catch (err) {
      req.log.error({ err }, 'health check: the database does not answer');
      return reply.code(503).send(errorBody('UNAVAILABLE', 'The database does not answer.'));
    }
    return reply.send({ status: 'ok' });
  });
  // Prometheus scrape endpoint: delivery queue, attempts, latency (no lead data, no secrets).
  app.get('/metrics', async (_req, reply) => {
    return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(await metrics.render());
  });

  await app.register(siteRoutes(ctx));
  await app.register(proxyRoutes(ctx));
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
