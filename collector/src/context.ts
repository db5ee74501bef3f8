// The collector's shared shapes: what buildApp takes (AppOptions), what it returns (App) and what the
// route plugins share (AppContext). Apart from app.ts so routes need not import the module that
// registers them.
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Clock } from './clock.ts';
import type { DailyQuotas, HttpLimits, RateLimits, TrustProxy } from './config.ts';
import type { AdapterRegistry } from './crm/index.ts';
import type { Worker } from './delivery/worker.ts';
import type { GeoLookup } from './geo.ts';
import type { Metrics } from './metrics.ts';
import type { Retention, RetentionOptions } from './privacy/retention.ts';
import type { SiteConfigCache } from './site-config.ts';
import type { Store } from './store/types.ts';
import type { HashSlotLimits } from './auth/hash-slots.ts';

export interface AppOptions {
  /** SQLite file; ':memory:' in unit tests. Ignored when `store` is given. */
  dbFile?: string;
  store?: Store;
  adminToken: string;
  logger?: Logger;
  /** Time and waiting for the app and its delivery worker (tests pass a manual clock; default: the system's). */
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
  /** IP → place for {city}/{region}/{country}; default: none (server.ts opens the file GEOIP_DB names). */
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
  /** How long a `sync=1` proxy call waits for the CRM (PROXY_SYNC_TIMEOUT_MS; default 25 s). */
  proxySyncTimeoutMs?: number;
  /**
   * Deleting leads and visits past their project's retentionDays (docs/privacy.md "Retention"): on by
   * default where the delivery worker runs (`worker` not false), off with `false`; tests pass options
   * (and a manual clock) to run it.
   */
  retention?: RetentionOptions | false;
  /** log2 of scrypt's N for new password hashes (default 17: auth/passwords.ts); tests pass less. */
  passwordCost?: number;
  /** Password hashes at once and waiting during logins (default: auth/hash-slots.ts). */
  loginHashSlots?: HashSlotLimits;
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
  /** The collector's daily quotas per project (a project's own setting wins, in the store). */
  quotas: DailyQuotas;
  /** log2 of scrypt's N for new password hashes (auth/passwords.ts). */
  passwordCost: number;
  /** This app's CRM adapters (their state, e.g. Megaplan's tokens, is never shared with another app). */
  adapters: AdapterRegistry;
}

export interface App {
  app: FastifyInstance;
  ctx: AppContext;
  worker: Worker;
  metrics: Metrics;
  /** null when retention is off in this process. */
  retention: Retention | null;
}
