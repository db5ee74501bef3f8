// The e2e harness: fixture sites served from fixtures/sites on another origin than the collector
// (test-support/collector.ts, Chromium from test-support/chromium.ts), and one readable assertion
// helper, `expectLeads`, in the spirit of Plausible's expectPlausibleInAction.
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import type { Lead } from '../shared/schemas.ts';
import type { Collector } from '../test-support/collector.ts';

const SITES_ROOT = resolve('fixtures/sites');

export interface SiteServer {
  /** The site's origin, e.g. http://localhost:PORT (another origin than the collector's 127.0.0.1). */
  url: string;
  /** Values substituted for {{NAME}} in served HTML (COLLECTOR and PROJECT at least). */
  vars: Record<string, string>;
  /** Extra response headers per path (e.g. a strict CSP). */
  headers: (path: string) => Record<string, string>;
  /** Requests the site itself received (form POSTs land here). */
  hits: { method: string; path: string; body: string }[];
  close(): Promise<void>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
};

/** Serves fixtures/sites/** as a plain static site; any POST answers a small "thanks" page. */
export async function startSiteServer(vars: Record<string, string> = {}): Promise<SiteServer> {
  const site: SiteServer = { url: '', vars, headers: () => ({}), hits: [], close: async () => {} };
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      site.hits.push({ method: req.method ?? 'GET', path: url.pathname, body: Buffer.concat(chunks).toString('utf8') });
      const extra = site.headers(url.pathname);
      if (req.method === 'POST') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...extra });
        res.end('<!doctype html><title>Thanks</title><h1>Thank you</h1>');
        return;
      }
      let file = normalize(join(SITES_ROOT, decodeURIComponent(url.pathname)));
      if (!file.startsWith(SITES_ROOT)) {
        res.writeHead(403).end();
        return;
      }
      if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
      if (!existsSync(file)) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      let body: string | Buffer = readFileSync(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      if (type.startsWith('text/html')) {
        body = body.toString('utf8').replace(/\{\{([A-Z_]+)\}\}/g, (whole, name: string) => site.vars[name] ?? whole);
      }
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store', ...extra });
      res.end(body);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  site.url = `http://localhost:${(server.address() as AddressInfo).port}`;
  site.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return site;
}

export type LeadMatch = Partial<Pick<Lead, 'name' | 'phone' | 'email' | 'comment' | 'title' | 'status' | 'formId' | 'source'>> & {
  fields?: Record<string, unknown>;
};

function matches(lead: Lead, m: LeadMatch): boolean {
  for (const [k, v] of Object.entries(m)) {
    if (k === 'fields') {
      for (const [fk, fv] of Object.entries(v as Record<string, unknown>)) {
        if (JSON.stringify(lead.fields[fk]) !== JSON.stringify(fv)) return false;
      }
    } else if ((lead as unknown as Record<string, unknown>)[k] !== v) return false;
  }
  return true;
}

/**
 * Does `action` on the page, then waits until every `expected` lead is stored exactly once in the
 * collector, and checks that no `refuted` lead arrived (after a settle time). On failure the
 * message lists every lead that did arrive.
 */
export async function expectLeads(opts: {
  collector: Collector;
  projectId: string;
  action: () => Promise<unknown>;
  expected?: LeadMatch[];
  refuted?: LeadMatch[];
  timeoutMs?: number;
  settleMs?: number;
}): Promise<Lead[]> {
  const before = new Set((await opts.collector.leads(opts.projectId)).map((l) => l.id));
  await opts.action();
  const expected = opts.expected ?? [];
  const until = Date.now() + (opts.timeoutMs ?? 10_000);
  let fresh: Lead[] = [];
  const describe = () => JSON.stringify(fresh.map((l) => ({ name: l.name, phone: l.phone, email: l.email, status: l.status, fields: l.fields })));
  for (;;) {
    fresh = (await opts.collector.leads(opts.projectId)).filter((l) => !before.has(l.id));
    if (expected.every((m) => fresh.some((l) => matches(l, m)))) break;
    if (Date.now() > until) throw new Error(`expected leads ${JSON.stringify(expected)} did not all arrive; arrived: ${describe()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await new Promise((r) => setTimeout(r, opts.settleMs ?? 700));
  fresh = (await opts.collector.leads(opts.projectId)).filter((l) => !before.has(l.id));
  for (const m of expected) {
    const n = fresh.filter((l) => matches(l, m)).length;
    if (n !== 1) throw new Error(`expected exactly one lead like ${JSON.stringify(m)}, got ${n}; arrived: ${describe()}`);
  }
  for (const m of opts.refuted ?? []) {
    if (fresh.some((l) => matches(l, m))) throw new Error(`a lead like ${JSON.stringify(m)} must not arrive; arrived: ${describe()}`);
  }
  if (!opts.expected?.length && !opts.refuted?.length && fresh.length) {
    throw new Error(`no lead was expected; arrived: ${describe()}`);
  }
  return fresh;
}

/** Collects page errors and console errors so a test can assert the host page never broke. */
export function watchPage(page: Page): { errors: string[] } {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { errors };
}
