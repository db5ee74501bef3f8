// The snippet: its size (minified, gzip, brotli) against the build's gates and the 3,000 B brotli target (issue 18:
// the bytes on the wire, where the collector serves the precompressed .br),
// and the time its submit listener adds to a form submission in Chromium, against the same page
// without the snippet.
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { launchBrowser } from '../test-support/chromium.ts';
import { startChild, type Child } from './child.ts';
import { COLLECTOR_SERVER } from './http-bench.ts';
import { countLeads, type CollectorInfo } from './ingest.ts';
import { targetStatus, type Section, type Target } from './report.ts';
import { fmt, median, percentile } from './stats.ts';

export const SNIPPET_BROTLI_TARGET = 3000;

export interface SnippetSizes {
  raw: number;
  gzip: number;
  brotli: number;
}

/** Sizes as build.mjs computes them (gzip level 9, brotli defaults). */
export function snippetSizes(file = 'dist/s.js'): SnippetSizes | null {
  if (!existsSync(file)) return null;
  const code = readFileSync(file);
  return { raw: code.length, gzip: gzipSync(code, { level: 9 }).length, brotli: brotliCompressSync(code).length };
}

/** Minified bytes each source file puts into s.js, largest first (from esbuild's metafile). */
export function snippetContributors(metaFile = 'dist/s.meta.json'): { file: string; bytes: number }[] {
  if (!existsSync(metaFile)) return [];
  const meta = JSON.parse(readFileSync(metaFile, 'utf8')) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const out = Object.entries(meta.outputs).find(([name]) => name.endsWith('s.js'))?.[1];
  return Object.entries(out?.inputs ?? {})
    .map(([file, v]) => ({ file: file.replace(/^(\.\.\/)+[^/]+\/node_modules\//, 'node_modules/'), bytes: v.bytesInOutput }))
    .sort((a, b) => b.bytes - a.bytes);
}

/** The gzip budget build.mjs enforces, read from it so the two never disagree. */
export function buildBudget(file = 'build.mjs'): number | null {
  const m = existsSync(file) ? /SNIPPET_GZIP_BUDGET\s*=\s*(\d+)/.exec(readFileSync(file, 'utf8')) : null;
  return m ? Number(m[1]) : null;
}

/** A page with a form the bench project's config matches; the page prevents the navigation itself. */
export function fixturePage(collector: string | null, projectId: string): string {
  const script = collector ? `<script async crossorigin="anonymous" src="${collector}/s.js" data-project="${projectId}"></script>` : '';
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>bench</title>${script}</head><body>
<form id="lead-form" action="/thanks" method="post">
  <input name="name" value="Ivan Petrov"><input name="phone" type="tel"><input name="email" type="email" value="ivan@example.com">
  <textarea name="comment">Call me after 6 pm</textarea><input name="budget" value="100000"><button type="submit">Send</button>
</form>
<script>document.getElementById('lead-form').addEventListener('submit', function (e) { e.preventDefault(); });</script>
</body></html>`;
}

/**
 * Serves the fixture page cross-origin isolated (COOP + COEP), so performance.now() has its fine
 * resolution in Chromium; the snippet is loaded with crossorigin and CORS.
 */
async function startPageServer(pages: Record<string, string>): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    if (req.url === '/sink') return void req.resume().on('end', () => res.writeHead(204).end());
    const page = pages[req.url ?? ''];
    if (!page) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp', 'cache-control': 'no-store' });
    res.end(page);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://localhost:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export interface HandlerTimes {
  /** Milliseconds per dispatched submit, pooled over the rounds. */
  without: number[];
  with: number[];
  /** A bare `fetch(…, {keepalive: true})` call on the page without the snippet: what any send costs. */
  fetchCall: number[];
  isolated: boolean;
}

/** Dispatches `submits` submit events per page and round, timing each dispatchEvent. */
export async function measureSubmitHandler(o: {
  collector: string;
  projectId: string;
  submits: number;
  rounds: number;
  /** Called after each page with the snippet, before it closes: waits for its sends to land. */
  settle?: () => Promise<void>;
}): Promise<HandlerTimes> {
  const site = await startPageServer({ '/with': fixturePage(o.collector, o.projectId), '/without': fixturePage(null, o.projectId) });
  const browser = await launchBrowser();
  const out: HandlerTimes = { without: [], with: [], fetchCall: [], isolated: true };
  try {
    for (let round = 0; round < o.rounds; round++) {
      for (const variant of ['without', 'with'] as const) {
        const page = await browser.newPage();
        const config = variant === 'with' ? page.waitForResponse((r) => r.url().includes('/config'), { timeout: 15_000 }) : null;
        await page.goto(`${site.url}/${variant}`);
        if (config) await config;
        await page.waitForLoadState('networkidle');
        const r = await page.evaluate(async ({ n, tag, withSnippet }) => {
          const form = document.getElementById('lead-form') as HTMLFormElement;
          const phone = form.elements.namedItem('phone') as HTMLInputElement;
          const times: number[] = [];
          for (let i = 0; i < n; i++) {
            // A new phone each time, so the snippet's 10-second repeat filter never skips the work.
            phone.value = `+7 (9${tag}) ${String(i).padStart(7, '0')}`;
            const event = new Event('submit', { bubbles: true, cancelable: true });
            const t0 = performance.now();
            form.dispatchEvent(event);
            times.push(performance.now() - t0);
            // Between submits the page is idle, as between real ones: the snippet's async work runs there.
            await new Promise((resolve) => setTimeout(resolve, 0));
          }
          const fetchTimes: number[] = [];
          for (let i = 0; i < (withSnippet ? 0 : n); i++) {
            const body = JSON.stringify({ i, text: 'x'.repeat(600) });
            const t0 = performance.now();
            fetch('/sink', { method: 'POST', body, keepalive: true, headers: { 'content-type': 'text/plain' } }).catch(() => {});
            fetchTimes.push(performance.now() - t0);
            await new Promise((resolve) => setTimeout(resolve, 0));
          }
          return { times, fetchTimes, isolated: crossOriginIsolated };
        }, { n: o.submits, tag: `${round}${variant === 'with' ? 1 : 0}`, withSnippet: variant === 'with' });
        out[variant].push(...r.times);
        out.fetchCall.push(...r.fetchTimes);
        out.isolated &&= r.isolated;
        if (variant === 'with') await o.settle?.();
        await page.close();
      }
    }
  } finally {
    await browser.close();
    await site.close();
  }
  return out;
}

export async function benchSnippet(cfg: { submits: number; rounds: number; workDir: string }, log: (line: string) => void): Promise<Section> {
  const sizes = snippetSizes();
  const budget = buildBudget();
  const targets: Target[] = [
    { name: 's.js brotli size', target: `≤ ${SNIPPET_BROTLI_TARGET.toLocaleString('en-US')} B`, figure: sizes ? `${sizes.brotli.toLocaleString('en-US')} B` : 'dist/s.js is not built', status: targetStatus(sizes ? sizes.brotli <= SNIPPET_BROTLI_TARGET : null) },
  ];
  const body: string[] = sizes
    ? [
        '| dist/s.js | bytes | build gate | target |',
        '| --- | --- | --- | --- |',
        `| minified | ${sizes.raw.toLocaleString('en-US')} | | |`,
        `| gzip -9 | ${sizes.gzip.toLocaleString('en-US')} | ${budget ?? 'n/a'} (${budget ? Math.round((sizes.gzip / budget) * 100) : '?'}% used) | |`,
        `| brotli | ${sizes.brotli.toLocaleString('en-US')} | | ${SNIPPET_BROTLI_TARGET.toLocaleString('en-US')} |`,
      ]
    : ['dist/s.js is not built: run `npm run build`.'];

  if (sizes && sizes.brotli > SNIPPET_BROTLI_TARGET) {
    const parts = snippetContributors();
    body.push(
      '',
      `Over the ${SNIPPET_BROTLI_TARGET.toLocaleString('en-US')} B brotli target: where the minified bytes come from (esbuild's metafile, before terser), to see what to cut:`,
      '',
      '| source | minified bytes | share |',
      '| --- | --- | --- |',
      ...parts.slice(0, 12).map((p) => `| \`${p.file}\` | ${p.bytes.toLocaleString('en-US')} | ${Math.round((p.bytes / sizes.raw) * 100)}% |`),
    );
  }

  if (sizes) {
    const dbFile = join(cfg.workDir, 'snippet.sqlite');
    const col: Child<CollectorInfo> = await startChild(COLLECTOR_SERVER, { env: { DB_FILE: dbFile } });
    let t: HandlerTimes;
    try {
      log(`snippet: ${cfg.rounds} rounds of ${cfg.submits} submits, without and with the snippet`);
      let expected = 0;
      const settle = async () => {
        expected += cfg.submits;
        for (const until = Date.now() + 10_000; Date.now() < until && countLeads(dbFile, col.info.projectId) < expected; ) {
          await new Promise((r) => setTimeout(r, 100));
        }
      };
      t = await measureSubmitHandler({ collector: `http://127.0.0.1:${col.info.port}`, projectId: col.info.projectId, submits: cfg.submits, rounds: cfg.rounds, settle });
    } finally {
      await col.stop();
    }
    const leads = countLeads(dbFile, col.info.projectId);
    const us = (ms: number) => `${fmt(ms * 1000)} µs`;
    const w = { p50: median(t.with), p99: percentile(t.with, 99) };
    const wo = { p50: median(t.without), p99: percentile(t.without, 99) };
    body.push(
      '',
      `Time a submit takes to dispatch in Chromium (headless, \`/usr/bin/chromium\`), measured with \`performance.now()\` around \`form.dispatchEvent(new Event('submit'))\` on a form the project's config matches; the page's own listener prevents the navigation. ${cfg.rounds} round${cfg.rounds === 1 ? '' : 's'} × ${cfg.submits} submits per variant, alternating the page without and with the snippet; every submit has a new phone so none is skipped as a repeat; the page idles a tick between submits.${t.isolated ? ' The page is cross-origin isolated (COOP/COEP), so the timer resolution is fine (5 µs).' : ' **The page was not cross-origin isolated**: the timer resolution is coarse (100 µs), read medians with care.'}`,
      '',
      '| page | median | p99 |',
      '| --- | --- | --- |',
      `| without the snippet (baseline) | ${us(wo.p50)} | ${us(wo.p99)} |`,
      `| with the snippet | ${us(w.p50)} | ${us(w.p99)} |`,
      `| added by the snippet | ${us(w.p50 - wo.p50)} (${fmt(w.p50 / wo.p50)}×) | ${us(w.p99 - wo.p99)} (${fmt(w.p99 / wo.p99)}×) |`,
      `| for scale: one bare \`fetch(…, {keepalive: true})\` call on the page | ${us(median(t.fetchCall))} | ${us(percentile(t.fetchCall, 99))} |`,
      '',
      '- Any send costs the submit handler what a `fetch` call costs in Chromium (the request is handed to the network service synchronously); a snippet close to that row does little else in the handler.',
      `- The collector stored ${leads} leads from the ${t.with.length} submits with the snippet (each page stayed open up to 10 s for its sends to land; fewer means the snippet skipped or lost some).`,
    );
  }
  return { title: 'Snippet', body, targets };
}
