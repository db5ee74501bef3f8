// A real collector on a free port (its own temp data dir, SQLite) with an admin client: what the
// e2e tests, the admin UI browser tests and the screenshot script start. The tests that need no
// socket use app.inject() instead (collector/test/helpers.ts).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { IntegrationInput, Lead } from '../shared/schemas.ts';
import type { FormConfigInput } from '../shared/form-config.ts';
import { buildApp, type App } from '../collector/src/app.ts';

/** Tests hit the built bundle; build it when a bare `vitest run` comes before `npm run build`. */
export function ensureBuilt(): void {
  if (!existsSync('dist/admin/app.js') || !existsSync('dist/admin/app.css')) execFileSync('node', ['build.mjs'], { stdio: 'ignore' });
}

export interface Collector {
  url: string;
  port: number;
  adminToken: string;
  app: App;
  /** Calls the admin API; throws with the answer on a non-2xx status. */
  admin<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  createProject(name?: string): Promise<{ id: string; key: string }>;
  addForm(projectId: string, form: FormConfigInput): Promise<{ id: string }>;
  setIntegration(projectId: string, integration: IntegrationInput): Promise<void>;
  leads(projectId: string): Promise<Lead[]>;
  /** Sends a lead as the snippet does (JSON as text/plain to the site API); returns its id. */
  siteLead(projectId: string, lead: Record<string, unknown>): Promise<string>;
  /** Stops listening (the site sees the collector down); `start()` brings it back on the same port. */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** Stops it; a data dir this starter made is removed, one passed in is kept. */
  close(): Promise<void>;
}

export async function startCollector(opts: { dataDir?: string; workerPollMs?: number } = {}): Promise<Collector> {
  const ownDataDir = !opts.dataDir;
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'leadrelay-e2e-'));
  const adminToken = 'e2e-admin-token-0123456789';
  let port = 0;
  let current: App | null = null;
  let sent = 0;

  async function start() {
    current = await buildApp({
      dbFile: join(dataDir, 'leadrelay.sqlite'),
      adminToken,
      logger: pino({ level: process.env.E2E_LOG ?? 'silent' }),
      workerPollMs: opts.workerPollMs ?? 100,
    });
    await current.app.listen({ port, host: '127.0.0.1' });
    port = (current.app.server.address() as AddressInfo).port;
  }
  await start();

  const collector: Collector = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    adminToken,
    get app() {
      return current!;
    },
    async admin<T>(method: string, path: string, body?: unknown): Promise<T> {
      const res = await fetch(`http://127.0.0.1:${port}/api/v1${path}`, {
        method,
        headers: { authorization: `Bearer ${adminToken}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
      return (text ? JSON.parse(text) : undefined) as T;
    },
    createProject: (name = 'e2e') => collector.admin('POST', '/projects', { name }),
    addForm: (projectId, form) => collector.admin('POST', `/projects/${projectId}/forms`, form),
    async setIntegration(projectId, integration) {
      await collector.admin('PUT', `/projects/${projectId}/integration`, integration);
    },
    async leads(projectId) {
      return (await collector.admin<{ items: Lead[] }>('GET', `/projects/${projectId}/leads?limit=500`)).items;
    },
    async siteLead(projectId, lead) {
      const res = await fetch(`http://127.0.0.1:${port}/api/site/1.0/${projectId}/leads`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ clientId: `e2e-client-${Date.now()}-${++sent}`, ...lead }),
      });
      const json = (await res.json()) as { data: { id: string } };
      if (res.status !== 202) throw new Error(`site lead: ${res.status} ${JSON.stringify(json)}`);
      return json.data.id;
    },
    async stop() {
      await current?.app.close();
      current = null;
    },
    start,
    async close() {
      await current?.app.close();
      current = null;
      if (ownDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return collector;
}

/** The admin UI tests' view of a collector: its origin, token, admin API and site API. */
export interface AdminCollector {
  origin: string;
  token: string;
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  siteLead(projectId: string, lead: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

/** A collector whose admin UI bundle is built (the browser loads dist/admin/app.js). */
export async function startAdminCollector(): Promise<AdminCollector> {
  ensureBuilt();
  const collector = await startCollector();
  return {
    origin: collector.url,
    token: collector.adminToken,
    api: (method, path, body) => collector.admin(method, path, body),
    siteLead: (projectId, lead) => collector.siteLead(projectId, lead),
    close: () => collector.close(),
  };
}
