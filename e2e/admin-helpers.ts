// Helpers for the admin UI browser tests: a collector with the admin UI on a free port (temp data
// dir), Chromium, and the login step. The CRM is fixtures/crm/webhook-mock.ts.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import type { Page } from 'playwright-core';
import { launchBrowser } from './harness.ts';
import { buildApp } from '../collector/src/app.ts';
import { adminUiRoutes } from '../collector/src/routes/admin-ui.ts';


/** Tests hit the built bundle; build it when a bare `vitest run` comes before `npm run build`. */
export function ensureBuilt(): void {
  if (!existsSync('dist/admin/app.js') || !existsSync('dist/admin/app.css')) execFileSync('node', ['build.mjs'], { stdio: 'ignore' });
}

/** Chromium as every e2e test launches it (e2e/harness.ts). */
export const launchChromium = launchBrowser;

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
  // Registered here until app.ts does it itself; then this is a no-op.
  if (!app.hasRoute({ method: 'GET', url: '/admin/' })) await app.register(adminUiRoutes);
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
