// Settings from the environment (SPEC §3), read once at start.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { secretToken } from '../../shared/ids.ts';

export interface ServerConfig {
  port: number;
  host: string;
  dataDir: string;
  publicUrl: string;
  adminToken: string;
  /** True when the token was generated on this start (it is printed once). */
  adminTokenGenerated: boolean;
  databaseUrl: string | null;
  /** DELIVERY_LEASE_MS: how long a delivery job stays claimed by a worker that may have died. */
  deliveryLeaseMs: number | null;
  /** SHUTDOWN_TIMEOUT_MS: how long a stop (SIGTERM) waits for CRM calls in flight. */
  shutdownTimeoutMs: number;
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, not "${env.PORT}"`);
  const host = env.HOST ?? '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR ?? './data');
  mkdirSync(dataDir, { recursive: true });
  const publicUrl = (env.PUBLIC_URL ?? `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, '');

  let adminToken = env.ADMIN_TOKEN ?? '';
  let adminTokenGenerated = false;
  if (!adminToken) {
    // Generated once, kept in the data dir so restarts keep the same token.
    const file = join(dataDir, 'admin-token');
    if (existsSync(file)) adminToken = readFileSync(file, 'utf8').trim();
    if (!adminToken) {
      adminToken = secretToken(24);
      writeFileSync(file, `${adminToken}\n`, { mode: 0o600 });
      adminTokenGenerated = true;
    }
  }
  const databaseUrl = env.DATABASE_URL || null;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must be a postgres:// URL (leave it unset to use SQLite under DATA_DIR)');
  }
  const deliveryLeaseMs = env.DELIVERY_LEASE_MS ? Number(env.DELIVERY_LEASE_MS) : null;
  if (deliveryLeaseMs !== null && !(Number.isInteger(deliveryLeaseMs) && deliveryLeaseMs >= 1000)) {
    throw new Error(`DELIVERY_LEASE_MS must be a whole number of milliseconds, at least 1000, not "${env.DELIVERY_LEASE_MS}"`);
  }
  const shutdownTimeoutMs = env.SHUTDOWN_TIMEOUT_MS ? Number(env.SHUTDOWN_TIMEOUT_MS) : 20_000;
  if (!(Number.isInteger(shutdownTimeoutMs) && shutdownTimeoutMs >= 0)) {
    throw new Error(`SHUTDOWN_TIMEOUT_MS must be a whole number of milliseconds, not "${env.SHUTDOWN_TIMEOUT_MS}"`);
  }
  return { port, host, dataDir, publicUrl, adminToken, adminTokenGenerated, databaseUrl, deliveryLeaseMs, shutdownTimeoutMs };
}
