// Keeps the bench from rotting: one tiny measurement end to end (a collector child on a pre-filled
// SQLite file, autocannon against its site API, the stored rows counted), and the profile summary
// and report it feeds.
import { describeMemoryPeak } from './memory-peak.ts';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { transform } from 'esbuild';
import pg from 'pg';
import { afterAll, expect, test } from 'vitest';
import { openPostgresStore } from '../collector/src/store/postgres.ts';
import { CHILD_RUNTIME, startChild } from './child.ts';
import { ensureBenchProject } from './fixture.ts';
import { COLLECTOR_SERVER, runInterleaved } from './http-bench.ts';
import { countLeads, siteLeadsPath, type CollectorInfo } from './ingest.ts';
import { siteLeadRequest } from './load.ts';
import { DEFAULT_BENCH_PG_URL, pgScalingTable, queueBacklog } from './pg-scaling.ts';
import { remapProfile, summarizeProfile, type CpuProfile } from './profile.ts';
import { renderReport } from './report.ts';
import { createPrefilledDb } from './scaling.ts';
import { median, percentile } from './stats.ts';

const workDir = mkdtempSync(join(tmpdir(), 'leadrelay-bench-smoke-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

test('a one-second ingest run on a pre-filled database stores every lead it acknowledged', async () => {
  const file = join(workDir, 'smoke.sqlite');
  const { projectId } = await createPrefilledDb(file, 200);
  expect(countLeads(file, projectId)).toBe(200);
  const col = await startChild<CollectorInfo>(COLLECTOR_SERVER, { env: { DB_FILE: file, PROJECT_ID: projectId } });
  let figures: Awaited<ReturnType<typeof runInterleaved>>;
  try {
    expect(col.peakRss()).toBeGreaterThan(10 * 2 ** 20);
    // The child runs the compiled bundle, as production runs dist/collector/server.js, not tsx.
    const cmdline = readFileSync(`/proc/${col.pid}/cmdline`, 'utf8').split('\0');
    expect(cmdline.some((a) => a.endsWith('dist/bench/collector-server.mjs'))).toBe(CHILD_RUNTIME === 'compiled');
    expect(cmdline.includes('tsx')).toBe(CHILD_RUNTIME === 'tsx');
    figures = await runInterleaved(
      [{ name: 'site lead', url: `http://127.0.0.1:${col.info.port}`, requests: [siteLeadRequest(siteLeadsPath(projectId), col.info.formId)], okStatus: [202] }],
      { rounds: 1, durationSec: 1, connections: 4, warmupSec: 0 },
    );
  } finally {
    await col.stop();
  }
  const site = figures.get('site lead')!;
  expect(site.other).toEqual({});
  expect(site.ok).toBeGreaterThan(0);
  expect(site.rps).toBeGreaterThan(0);
  expect(site.p99Ms).toBeGreaterThanOrEqual(site.p50Ms);
  expect(countLeads(file, projectId) - 200).toBeGreaterThanOrEqual(site.ok);
  // On stop the child said what its memory was made of at its highest RSS: the parts add up to at most it.
  const memory = col.memoryPeak();
  expect(memory).not.toBeNull();
  expect(memory!.rss).toBeGreaterThan(memory!.heapTotal);
  expect(memory!.heapTotal).toBeGreaterThanOrEqual(memory!.heapUsed);
  expect(memory!.heapTotal).toBeGreaterThan(memory!.newSpace);
  expect(describeMemoryPeak(memory!)).toMatch(/^at its highest RSS \(\d+ MiB.*V8 heap of \d+ MiB reserved/);
}, 20_000);

test('BENCH_QUICK=1 with BENCH_SECTIONS runs only the named section and writes its report (the CI smoke path)', () => {
  const out = join(workDir, 'quick.md');
  execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./run.ts', import.meta.url))], {
    env: { ...process.env, BENCH_QUICK: '1', BENCH_SECTIONS: 'freshness', BENCH_OUT: out },
    stdio: 'pipe',
  });
  const md = readFileSync(out, 'utf8');
  expect(md).toContain('in quick mode');
  expect(md).toContain('## Config freshness');
  expect(md).not.toContain('## Ingest');
  expect(md).toMatch(/\| Config freshness \| \d+ \|/);
}, 120_000);

test('medians and percentiles of small samples', () => {
  expect(median([3, 1, 2])).toBe(2);
  expect(median([4, 1, 3, 2])).toBe(2.5);
  expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 99)).toBe(10);
  expect(Number.isNaN(median([]))).toBe(true);
});

test('a profile charges native SQLite time to the leadrelay function that called it', () => {
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: 0 }, children: [2, 4] },
      { id: 2, callFrame: { functionName: 'findOriginal', url: 'file:///repo/collector/src/store/sqlite.ts', lineNumber: 0 }, children: [3] },
      { id: 3, callFrame: { functionName: 'all', url: '', lineNumber: 0 } },
      { id: 4, callFrame: { functionName: '(idle)', url: '', lineNumber: 0 } },
    ],
    samples: [3, 3, 3, 4],
  };
  const s = summarizeProfile(profile);
  expect(s.topFrames[0]).toEqual({ frame: 'all', share: 0.75 });
  expect(s.byProjectFunction[0]).toEqual({ frame: 'findOriginal (collector/src/store)', share: 0.75 });
});

test("a compiled child's profile names the TypeScript source of each frame (through the bundle's source map)", async () => {
  const { code, map } = await transform('export function hello(n: number): number {\n  return n + 1;\n}\n', { loader: 'ts', format: 'esm', sourcemap: 'external', sourcefile: 'fake.ts' });
  const bundle = join(workDir, 'fake.mjs');
  writeFileSync(bundle, code);
  writeFileSync(`${bundle}.map`, JSON.stringify({ ...JSON.parse(map), sources: ['collector/src/fake.ts'] }));
  const profile: CpuProfile = {
    nodes: [
      { id: 1, callFrame: { functionName: '(root)', url: '', lineNumber: 0 }, children: [2] },
      { id: 2, callFrame: { functionName: 'hello', url: pathToFileURL(bundle).href, lineNumber: 0, columnNumber: 7 } },
    ],
    samples: [2, 2],
  };
  expect(summarizeProfile(profile).byProjectFunction[0]!.frame).toBe('(outside leadrelay code)');
  expect(summarizeProfile(remapProfile(profile)).byProjectFunction[0]).toEqual({ frame: 'hello (collector/src/fake.ts)', share: 1 });
});

test('the PostgreSQL section reads 2 processes beside 1 as a ratio', () => {
  expect(pgScalingTable([{ measure: 'ingest', one: 400, two: 600, unit: '/s' }])).toContain('| ingest | 400 /s | 600 /s | 1.50× |');
});

test('a PostgreSQL backlog is queued in a fresh schema the migrations made, and the schema is dropped', async () => {
  const url = process.env.BENCH_PG_URL ?? DEFAULT_BENCH_PG_URL;
  const schema = `bench_smoke_${process.pid}`;
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const store = await openPostgresStore({ connectionString: url, schema, max: 1 });
  try {
    const { projectId } = await ensureBenchProject(store, 'http://127.0.0.1:9/unused');
    await queueBacklog(pool, schema, [projectId], 7, '3');
    expect((await store.queueStats(Date.now())).depth).toBe(7);
  } finally {
    await store.close();
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pool.end();
  }
}, 30_000);

test('the report lists each target with its figure and verdict', () => {
  const md = renderReport(
    { quick: true, rounds: 2, durationSec: 1, connections: 4, startedAt: new Date(0), elapsedSec: 1, gitCommit: 'abc1234', fsyncMs: 4 },
    [{ title: 'Ingest', body: ['figures'], targets: [{ name: 'Durable ingest, site API', target: '≥ 50%', figure: '40%', status: 'missed' }], seconds: 12.4 }],
  );
  expect(md).toContain('| Ingest | 12 |');
  expect(md).toContain('bench/compile.ts');
  expect(md).toContain('| Durable ingest, site API | ≥ 50% | 40% | **missed** |');
  expect(md).toContain('median of 2 runs');
  expect(md).toContain('## Ingest');
  expect(md).toContain('at most 250 commits/s');
});

test('a full run reports its own length against the 5-minute goal, naming the longest sections; a quick run does not', () => {
  const sections = [
    { title: 'Ingest', body: [], targets: [], seconds: 135.2 },
    { title: 'Snippet', body: [], targets: [], seconds: 17 },
    { title: 'Delivery', body: [], targets: [], seconds: 57 },
  ];
  const run = { rounds: 5, durationSec: 3, connections: 32, startedAt: new Date(0), gitCommit: 'abc1234', fsyncMs: 0.3 };
  expect(renderReport({ ...run, quick: false, elapsedSec: 312.4 }, sections)).toContain('| A full `npm run bench` finishes | < 300 s | 312 s (longest: Ingest 135 s, Delivery 57 s, Snippet 17 s) | **missed** |');
  expect(renderReport({ ...run, quick: false, elapsedSec: 250 }, sections)).toContain('| A full `npm run bench` finishes | < 300 s | 250 s');
  expect(renderReport({ ...run, quick: true, elapsedSec: 20 }, sections)).not.toContain('npm run bench` finishes');
});
