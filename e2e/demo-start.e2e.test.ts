// `npm start`'s promise, in a real browser: the server process brings up the demo site, and a
// submitted demo form shows up delivered in the built-in mock CRM.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser } from '../test-support/chromium.ts';
import { watchPage } from './harness.ts';

const PORT = 18000 + Math.floor(Math.random() * 2000);
const origin = `http://127.0.0.1:${PORT}`;
let server: ChildProcess;
let output = '';
let browser: Browser;

beforeAll(async () => {
  server = spawn(process.execPath, ['--import', 'tsx', 'collector/src/server.ts'], {
    env: { ...process.env, PORT: String(PORT), DATA_DIR: mkdtempSync(join(tmpdir(), 'leadrelay-demo-')), ADMIN_TOKEN: '', LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  browser = await launchBrowser();
  const until = Date.now() + 30_000;
  while (!output.includes('demo site:')) {
    if (Date.now() > until || server.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  server?.kill('SIGTERM');
});

test('the start command prints the admin URL and token, and the demo form reaches the mock CRM', async () => {
  expect(output).toContain(`${origin}/admin/`);
  expect(output).toMatch(/admin token: \S{20,}/);
  const page = await browser.newPage();
  const watched = watchPage(page);
  const config = page.waitForResponse((r) => r.url().includes('/config'));
  await page.goto(`${origin}/demo/`);
  await config;
  await page.fill('input[name=your-name]', 'Demo Visitor');
  await page.fill('input[name=tel]', '+7 912 345-67-89');
  await page.fill('input[name=email]', 'demo@example.com');
  await Promise.all([page.waitForURL(`${origin}/demo/thanks`), page.click('button[type=submit]')]);
  let items: { name: string; phone: string; crmId: string; title: string }[] = [];
  const until = Date.now() + 15_000;
  while (Date.now() < until) {
    items = ((await (await fetch(`${origin}/demo/crm/received.json`)).json()) as { items: typeof items }).items;
    if (items.length) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect(items).toHaveLength(1);
  expect(items[0]).toMatchObject({ name: 'Demo Visitor', phone: '+7 912 345-67-89', crmId: 'DEMO-1' });
  expect(items[0]!.title).toBe('Request from the contact form (127.0.0.1)');
  await page.goto(`${origin}/demo/crm/`);
  expect(await page.textContent('tbody')).toContain('Demo Visitor');
  expect(watched.errors).toEqual([]);
});
