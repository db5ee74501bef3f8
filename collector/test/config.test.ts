// The environment is read once, in config.ts, and a wrong value stops the start with a clear message.
import { expect, test } from 'vitest';
import { DEFAULT_HTTP_LIMITS, demoFromEnv, readConfig, trustProxyFromEnv } from '../src/config.ts';

test('TRUST_PROXY takes a hop count or the proxies\' addresses, never "trust everyone"', () => {
  expect(trustProxyFromEnv(undefined)).toBe(false);
  expect(trustProxyFromEnv('0')).toBe(false);
  expect(trustProxyFromEnv('1')).toBe(1);
  expect(trustProxyFromEnv('2')).toBe(2);
  expect(trustProxyFromEnv('10.0.0.0/8, 127.0.0.1,::1,fd00::/8,loopback')).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'fd00::/8', 'loopback']);
  expect(() => trustProxyFromEnv('true')).toThrow(/TRUST_PROXY.*choose its own address/);
  expect(() => trustProxyFromEnv('10.0.0.0/33')).toThrow(/TRUST_PROXY/);
  expect(() => trustProxyFromEnv('proxy.local')).toThrow(/TRUST_PROXY/);
});

test('timeouts and the connection cap have defaults, and take whole numbers from the environment', () => {
  expect(readConfig({}).http).toEqual(DEFAULT_HTTP_LIMITS);
  expect(DEFAULT_HTTP_LIMITS.requestTimeoutMs).toBeGreaterThan(0);
  expect(DEFAULT_HTTP_LIMITS.maxConnections).toBeGreaterThan(0);
  const env = { REQUEST_TIMEOUT_MS: '5000', HEADERS_TIMEOUT_MS: '4000', CONNECTION_TIMEOUT_MS: '7000', KEEP_ALIVE_TIMEOUT_MS: '3000', MAX_CONNECTIONS: '50' };
  expect(readConfig(env).http).toEqual({ requestTimeoutMs: 5000, headersTimeoutMs: 4000, connectionTimeoutMs: 7000, keepAliveTimeoutMs: 3000, maxConnections: 50 });
  expect(() => readConfig({ REQUEST_TIMEOUT_MS: '0' })).toThrow(/REQUEST_TIMEOUT_MS.*at least 1/);
  expect(() => readConfig({ MAX_CONNECTIONS: 'lots' })).toThrow(/MAX_CONNECTIONS/);
  expect(() => readConfig({ REQUEST_TIMEOUT_MS: '1000', HEADERS_TIMEOUT_MS: '2000' })).toThrow(/HEADERS_TIMEOUT_MS.*REQUEST_TIMEOUT_MS/);
});

test('the demo is on for `npm start`, off with PostgreSQL or in production unless DEMO=1', () => {
  expect(demoFromEnv({})).toBe(true);
  expect(demoFromEnv({ DATABASE_URL: 'postgres://db/leads' })).toBe(false);
  expect(demoFromEnv({ NODE_ENV: 'production' })).toBe(false);
  expect(demoFromEnv({ NODE_ENV: 'production', DEMO: '1' })).toBe(true);
  expect(demoFromEnv({ DEMO: '0' })).toBe(false);
  expect(() => demoFromEnv({ DEMO: 'yes please' })).toThrow(/DEMO must be 1 \(on\) or 0 \(off\)/);
});

test('every setting comes from the environment given, with a clear error for a wrong one', () => {
  const config = readConfig({
    PORT: '9000',
    DATA_DIR: '/srv/leadrelay',
    ADMIN_TOKEN: 'given-token-0123456789',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_SITE_PER_MINUTE: '10',
    PROXY_SYNC_TIMEOUT_MS: '5000',
    GEOIP_DB: '/srv/GeoLite2-City.mmdb',
    PUBLIC_URL: 'https://leads.example.com/',
  });
  expect(config).toMatchObject({
    port: 9000,
    dataDir: '/srv/leadrelay',
    adminToken: 'given-token-0123456789',
    logLevel: 'warn',
    rateLimit: { sitePerMinute: 10, proxyPerMinute: 6000 },
    proxySyncTimeoutMs: 5000,
    geoipDb: '/srv/GeoLite2-City.mmdb',
    publicUrl: 'https://leads.example.com',
    trustProxy: false,
  });
  expect(readConfig({}).adminToken).toBeNull();
  expect(() => readConfig({ PROXY_SYNC_TIMEOUT_MS: 'soon' })).toThrow(/PROXY_SYNC_TIMEOUT_MS/);
});
