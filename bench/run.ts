// `npm run bench`: measures the snippet, ingest, scaling and delivery, and writes BENCHMARKS.md.
// BENCH_QUICK=1 makes a 1–2 minute smoke run with fewer, shorter runs. BENCH_SECTIONS=snippet,ingest
// runs only the named sections (snippet, freshness, ingest, scaling, postgres, delivery).
// BENCH_PG_URL names the PostgreSQL database of the postgres section (a fresh schema in it, dropped after). BENCH_OUT names another file.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHILD_RUNTIME } from './child.ts';
import { benchConfigFreshness } from './config-freshness.ts';
import { benchDelivery } from './delivery.ts';
import { benchIngest } from './ingest.ts';
import { measureFsyncMs, renderReport, type Section } from './report.ts';
import { DEFAULT_BENCH_PG_URL, benchPgScaling } from './pg-scaling.ts';
import { benchScaling } from './scaling.ts';
import { benchSnippet } from './snippet.ts';

const quick = process.env.BENCH_QUICK === '1';
const only = process.env.BENCH_SECTIONS?.split(',').map((s) => s.trim());
const out = process.env.BENCH_OUT ?? 'BENCHMARKS.md';

const plan = quick
  ? {
      http: { rounds: 2, durationSec: 2, connections: 32 },
      scalingSizes: [10_000],
      snippet: { rounds: 1, submits: 100 },
      postgres: { rounds: 1, durationSec: 2, backlogLeads: 500, drainCapSec: 10 },
      delivery: { rounds: 1, runLeads: 200, runCapSec: 6, backlogLeads: 1_000, backlogMinCapSec: 5, mockDurationSec: 2 },
    }
  : {
      http: { rounds: 5, durationSec: 3, connections: 32 },
      scalingSizes: [10_000, 100_000, 1_000_000],
      snippet: { rounds: 2, submits: 200 },
      postgres: { rounds: 3, durationSec: 2, backlogLeads: 1_000, drainCapSec: 10 },
      delivery: { rounds: 3, runLeads: 2_000, runCapSec: 12, backlogLeads: 100_000, backlogMinCapSec: 60, mockDurationSec: 4 },
    };

const workDir = mkdtempSync(join(tmpdir(), 'leadrelay-bench-'));
const started = new Date();
const t0 = performance.now();
const log = (line: string) => console.log(`[${((performance.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${line}`);
const wanted = (name: string) => !only || only.includes(name);

function gitCommit(): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

const sections: Section[] = [];
async function section(name: string, run: () => Promise<Section>) {
  if (!wanted(name)) return;
  log(`${name}…`);
  const started = performance.now();
  try {
    sections.push({ ...(await run()), seconds: (performance.now() - started) / 1000 });
  } catch (err) {
    // One broken section must not lose the others' figures.
    console.error(err);
    sections.push({ title: name, body: [`This section failed: \`${String(err instanceof Error ? err.message : err).slice(0, 300)}\``], targets: [], seconds: (performance.now() - started) / 1000 });
  }
}

const fsyncMs = measureFsyncMs(workDir);
log(`one write + fsync: ${fsyncMs.toFixed(2)} ms`);

try {
  // Profiles of missed targets take a minute: the full run only.
  const httpCfg = { ...plan.http, workDir, profile: !quick };
  await section('snippet', () => benchSnippet({ ...plan.snippet, workDir }, log));
  await section('freshness', () => benchConfigFreshness());
  await section('ingest', () => benchIngest(httpCfg, log));
  await section('scaling', () => benchScaling({ ...httpCfg, rounds: quick ? 1 : 3, durationSec: 2 }, plan.scalingSizes, log));
  await section('postgres', () => benchPgScaling({ ...plan.postgres, connections: plan.http.connections, url: process.env.BENCH_PG_URL ?? DEFAULT_BENCH_PG_URL }, log));
  await section('delivery', () => benchDelivery({ ...plan.delivery, workDir, profile: !quick, fsyncMs }, log));
  const report = renderReport(
    { quick, rounds: plan.http.rounds, durationSec: plan.http.durationSec, connections: plan.http.connections, startedAt: started, elapsedSec: (performance.now() - t0) / 1000, gitCommit: gitCommit(), fsyncMs, childRuntime: CHILD_RUNTIME },
    sections,
  );
  writeFileSync(out, report);
  log(`wrote ${out}`);
  for (const t of sections.flatMap((s) => s.targets)) console.log(`  ${t.status.padEnd(13)} ${t.name}: ${t.figure} (goal ${t.target})`);
} finally {
  rmSync(workDir, { recursive: true, force: true });
}
