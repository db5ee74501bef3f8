// Helpers for the admin UI browser tests: a collector with the admin UI on a free port (temp data
// dir), a webhook CRM that can be told to fail, Chromium, and the login step.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { chromium, type Browser, type Page } from 'playwright-core';
import { buildApp } from '../collector/src/app.ts';
import { adminUiRoutes } from '../collector/src/routes/admin-ui.ts';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Tests hit the built bundle; build it when a bare `vitest run` comes before `npm run build`. */
export function ensureBuilt(): void {
  if (!existsSync('dist/admin/app.js') || !existsSync('dist/admin/app.css')) execFileSync('node', ['build.mjs'], { stdio: 'ignore' });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

export interface MockCrm {
  url: string;
  /** Leads the CRM accepted, in order. */
  received: { id: string; name: string }[];
  /** From now on answer this HTTP status with this message (500: transient, 4xx: permanent). */
  fail(status: number, message: string): void;
  recover(): void;
  close(): Promise<void>;
}

export async function startMockCrm(): Promise<MockCrm> {
  let failure: { status: number; message: string } | null = null;
  const received: MockCrm['received'] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      res.setHeader('content-type', 'application/json');
      if (failure) {
        res.statusCode = failure.status;
        res.end(JSON.stringify({ message: failure.message }));
        return;
      }
      const body = JSON.parse(raw || '{}') as { id?: string; name?: string; type?: string };
      if (body.type === 'test') return res.end('{"ok":true}');
      received.push({ id: String(body.id), name: String(body.name ?? '') });
      res.end(JSON.stringify({ id: `DEAL-${received.length}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received,
    fail: (status, message) => (failure = { status, message }),
    recover: () => (failure = null),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

export interface AdminCollector {
  origin: string;
  token: string;
  api<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Sends a lead as the snippet does (JSON as text/plain to the site API). */
  siteLead(projectId: string, lead: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export async function startAdminCollector(): Promise<AdminCollector> {
  ensureBuilt();
  const dir = mkdtempSync(join(tmpdir(), 'leadrelay-admin-e2e-'));
  const token = 'e2e-admin-token-0123456789';
  const { app } = await buildApp({ dbFile: join(dir, 'db.sqlite'), adminToken: token, workerPollMs: 100, logger: pino({ level: 'silent' }) });
  await app.register(adminUiRoutes);
  const origin = await app.listen({ port: 0, host: '127.0.0.1' });
  const api = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${origin}/api/v1${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  let n = 0;
  return {
    origin,
    token,
    api,
    async siteLead(projectId, lead) {
      const res = await fetch(`${origin}/api/site/1.0/${projectId}/leads`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ clientId: `e2e-client-${Date.now()}-${++n}`, ...lead }),
      });
      const json = (await res.json()) as { data: { id: string } };
      if (res.status !== 202) throw new Error(`site lead: ${res.status} ${JSON.stringify(json)}`);
      return json.data.id;
    },
    async close() {
      await app.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Problems the page must never have: script errors, CSP violations, dialogs (an XSS would open one). */
export function watchPage(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.type()} ${d.message()}`);
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) problems.push(`csp: ${m.text()}`);
  });
  return problems;
}

export async function logIn(page: Page, origin: string, token: string): Promise<void> {
  await page.goto(`${origin}/admin/`);
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByRole('link', { name: 'Forms', exact: true }).waitFor();
}
