// Settings from the environment (the README's "Configuration" table), read and checked once at
// start. Nothing else reads process.env: server.ts passes these values down.
import { isIP } from 'node:net';
import { resolve } from 'node:path';

export interface RateLimits {
  sitePerMinute: number;
  proxyPerMinute: number;
}

/** Timeouts and the connection cap of the HTTP server (slow or idle clients must not hold sockets). */
export interface HttpLimits {
  /** REQUEST_TIMEOUT_MS: the whole request (headers and body) must arrive within this. */
  requestTimeoutMs: number;
  /** HEADERS_TIMEOUT_MS: the request's headers must arrive within this. */
  headersTimeoutMs: number;
  /** CONNECTION_TIMEOUT_MS: a socket with no traffic either way for this long is closed. */
  connectionTimeoutMs: number;
  /** KEEP_ALIVE_TIMEOUT_MS: how long an idle keep-alive connection waits for its next request. */
  keepAliveTimeoutMs: number;
  /** MAX_CONNECTIONS: connections over this are refused (closed at once). */
  maxConnections: number;
}

/**
 * TRUST_PROXY as Fastify's trustProxy takes it: false (the socket's address is the client's), a hop
 * count (the address that many proxies back), or the addresses/CIDRs of the proxies to trust.
 */
export type TrustProxy = false | number | string[];

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  /** PUBLIC_URL when set: the origin written into the install snippet. */
  publicUrl: string | null;
  /** ADMIN_TOKEN when set; otherwise one is generated on the first start and kept (startup.ts). */
  adminToken: string | null;
  databaseUrl: string | null;
  /** DELIVERY_LEASE_MS: how long a delivery job stays claimed by a worker that may have died. */
  deliveryLeaseMs: number | null;
  logLevel: string;
  rateLimit: RateLimits;
  /** QUOTA_LEADS_PER_DAY, QUOTA_VISITS_PER_DAY: per project and UTC day. */
  quotas: DailyQuotas;
  trustProxy: TrustProxy;
  http: HttpLimits;
  /** DEMO: the demo site and its mock CRM (default on, off with DATABASE_URL or NODE_ENV=production). */
  demo: boolean;
  /** PROXY_SYNC_TIMEOUT_MS: how long a `sync=1` proxy call waits for the CRM. */
  proxySyncTimeoutMs: number | null;
  /** GEOIP_DB: a MaxMind .mmdb file for {city}, {region}, {country}. */
  geoipDb: string | null;
  /** SHUTDOWN_TIMEOUT_MS: how long a stop (SIGTERM) waits for CRM calls in flight. */
  shutdownTimeoutMs: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 15_000,
  // Longer than a `sync=1` proxy call may wait for the CRM (25 s) with no byte on the socket.
  connectionTimeoutMs: 60_000,
  // Longer than the usual 60 s idle timeout of a load balancer in front, so the balancer closes first.
  keepAliveTimeoutMs: 72_000,
  maxConnections: 1000,
};

/** Leads and visits one project may store a UTC day (0: no quota). */
export interface DailyQuotas {
  leadsPerDay: number;
  visitsPerDay: number;
}

export const DEFAULT_QUOTAS: DailyQuotas = { leadsPerDay: 10_000, visitsPerDay: 100_000 };

/** Per-project daily quotas, from QUOTA_LEADS_PER_DAY and QUOTA_VISITS_PER_DAY. */
export function quotasFromEnv(env: NodeJS.ProcessEnv = process.env): DailyQuotas {
  const what = 'a day per project (0: no quota)';
  return {
    leadsPerDay: wholeNumber(env, 'QUOTA_LEADS_PER_DAY', DEFAULT_QUOTAS.leadsPerDay, 0, what),
    visitsPerDay: wholeNumber(env, 'QUOTA_VISITS_PER_DAY', DEFAULT_QUOTAS.visitsPerDay, 0, what),
  };
}

export const DEFAULT_RATE_LIMITS: RateLimits = { sitePerMinute: 600, proxyPerMinute: 6000 };

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const host = env.HOST ?? '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const publicUrl = env.PUBLIC_URL ? env.PUBLIC_URL.replace(/\/+$/, '') : null;
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must be a postgres:// URL (leave it unset to use SQLite under DATA_DIR)');
  }
  const deliveryLeaseMs = env.DELIVERY_LEASE_MS ? Number(env.DELIVERY_LEASE_MS) : null;
  if (deliveryLeaseMs !== null && !(Number.isInteger(deliveryLeaseMs) && deliveryLeaseMs >= 1000)) {
    throw new Error(`DELIVERY_LEASE_MS must be a whole number of milliseconds, at least 1000, not "${env.DELIVERY_LEASE_MS}"`);
  }
  return {
    port,
    host,
    dataDir,
    publicUrl,
    adminToken: env.ADMIN_TOKEN || null,
    databaseUrl,
    deliveryLeaseMs,
    logLevel: env.LOG_LEVEL || 'info',
    rateLimit: rateLimitFromEnv(env),
    quotas: quotasFromEnv(env),
    trustProxy: trustProxyFromEnv(env.TRUST_PROXY),
    http: httpLimitsFromEnv(env),
    demo: demoFromEnv(env),
    proxySyncTimeoutMs: env.PROXY_SYNC_TIMEOUT_MS ? wholeNumber(env, 'PROXY_SYNC_TIMEOUT_MS', 0, 1) : null,
    geoipDb: env.GEOIP_DB || null,
    shutdownTimeoutMs: wholeNumber(env, 'SHUTDOWN_TIMEOUT_MS', 20_000),
  };
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0, what = 'milliseconds'): number {
  const value = env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number of ${what}${min > 0 ? `, at least ${min}` : ''}, not "${value}"`);
  return n;
}

/** Per-IP limits of the public endpoints, from RATE_LIMIT_SITE_PER_MINUTE and RATE_LIMIT_PROXY_PER_MINUTE. */
export function rateLimitFromEnv(env: NodeJS.ProcessEnv = process.env): RateLimits {
  const what = 'requests per minute (0: no limit)';
  return {
    sitePerMinute: wholeNumber(env, 'RATE_LIMIT_SITE_PER_MINUTE', DEFAULT_RATE_LIMITS.sitePerMinute, 0, what),
    proxyPerMinute: wholeNumber(env, 'RATE_LIMIT_PROXY_PER_MINUTE', DEFAULT_RATE_LIMITS.proxyPerMinute, 0, what),
  };
}

const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/**
 * TRUST_PROXY: unset or 0: no proxy; a whole number: that many proxies in front (1: one reverse
 * proxy, the client is the address it saw); or a comma-separated list of the proxies' addresses or
 * CIDRs (and proxy-addr's names loopback, linklocal, uniquelocal). Trusting every hop would let a
 * client choose its own address with X-Forwarded-For, so "true" is refused.
 */
export function trustProxyFromEnv(value: string | undefined): TrustProxy {
  const text = (value ?? '').trim();
  if (text === '' || text === '0' || text === 'false') return false;
  if (/^\d+$/.test(text)) return Number(text);
  const list = text.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = list.filter((entry) => {
    if (NAMED_RANGES.has(entry)) return false;
    const [address, bits, extra] = entry.split('/');
    if (extra !== undefined || !address || !isIP(address)) return true;
    if (bits === undefined) return false;
    const max = isIP(address) === 4 ? 32 : 128;
    return !/^\d+$/.test(bits) || Number(bits) > max;
  });
  if (bad.length || !list.length) {
    throw new Error(
      `TRUST_PROXY must be a number of proxies in front (1: one reverse proxy) or a comma-separated list of their addresses or CIDRs (e.g. 10.0.0.0/8,127.0.0.1), not "${value}"` +
        (text === 'true' ? ': trusting every X-Forwarded-For hop would let a client choose its own address' : ''),
    );
  }
  return list;
}

export function httpLimitsFromEnv(env: NodeJS.ProcessEnv): HttpLimits {
  const limits: HttpLimits = {
    requestTimeoutMs: wholeNumber(env, 'REQUEST_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.requestTimeoutMs, 1),
    headersTimeoutMs: wholeNumber(env, 'HEADERS_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.headersTimeoutMs, 1),
    connectionTimeoutMs: wholeNumber(env, 'CONNECTION_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.connectionTimeoutMs, 1),
    keepAliveTimeoutMs: wholeNumber(env, 'KEEP_ALIVE_TIMEOUT_MS', DEFAULT_HTTP_LIMITS.keepAliveTimeoutMs, 1),
    maxConnections: wholeNumber(env, 'MAX_CONNECTIONS', DEFAULT_HTTP_LIMITS.maxConnections, 1, 'connections'),
  };
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new Error(`HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not be longer than REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`);
  }
  return limits;
}

/** DEMO=1 or DEMO=0 decides; unset, the demo runs except with DATABASE_URL or NODE_ENV=production. */
export function demoFromEnv(env: NodeJS.ProcessEnv): boolean {
  const value = (env.DEMO ?? '').trim();
  if (value === '1' || value === 'true') return true;
  if (value === '0' || value === 'false') return false;
  if (value !== '') throw new Error(`DEMO must be 1 (on) or 0 (off), not "${env.DEMO}"`);
  return !env.DATABASE_URL && env.NODE_ENV !== 'production';
}
