// BENCHMARKS.md: the method, the machine, then each section's figures and a table of targets.
import { closeSync, fsyncSync, openSync, rmSync, writeSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { median } from './stats.ts';

export type TargetStatus = 'met' | 'missed' | 'not available';

export interface Target {
  name: string;
  target: string;
  figure: string;
  status: TargetStatus;
}

export interface Section {
  title: string;
  /** Markdown lines. */
  body: string[];
  targets: Target[];
  /** How long the section took, set by run.ts (the run's duration is the sum of these and its set-up). */
  seconds?: number;
}

export interface RunInfo {
  quick: boolean;
  rounds: number;
  durationSec: number;
  connections: number;
  startedAt: Date;
  elapsedSec: number;
  gitCommit: string;
  /** How the child servers ran (child.ts): compiled JavaScript, or TypeScript under tsx. */
  childRuntime?: 'compiled' | 'tsx';
  /** Median time of one small write + fsync in the bench's temp dir (where the SQLite files are). */
  fsyncMs: number;
}

/** What one durable commit costs at least on this disk: SQLite with synchronous=FULL fsyncs the WAL per commit. */
export function measureFsyncMs(dir: string, n = 50): number {
  const file = join(dir, 'fsync-probe');
  const fd = openSync(file, 'w');
  const block = Buffer.alloc(4096, 1);
  const times: number[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      writeSync(fd, block);
      fsyncSync(fd);
      times.push(performance.now() - t0);
    }
  } finally {
    closeSync(fd);
    rmSync(file, { force: true });
  }
  return median(times);
}

export function machineLines(fsyncMs: number): string[] {
  const c = cpus();
  return [
    `- Disk: one 4 KiB write + fsync takes ${fsyncMs.toFixed(2)} ms (median of 50, in the directory holding the SQLite files): the floor of every durable commit, so at most ${Math.floor(1000 / fsyncMs)} commits/s; whatever commits once per lead cannot pass that rate`,
    `- CPU: ${c[0]?.model ?? 'unknown'}, ${c.length} cores (as Node sees them)`,
    `- Memory: ${(totalmem() / 2 ** 30).toFixed(1)} GiB`,
    `- Node ${process.version} on ${process.platform} ${process.arch}`,
  ];
}

export function targetStatus(ok: boolean | null): TargetStatus {
  return ok === null ? 'not available' : ok ? 'met' : 'missed';
}

export function renderReport(run: RunInfo, sections: Section[]): string {
  const targets = sections.flatMap((s) => s.targets);
  if (!run.quick) targets.push(benchDurationTarget(run.elapsedSec, sections));
  const mark = (s: TargetStatus) => (s === 'met' ? '**met**' : s === 'missed' ? '**missed**' : 'not available');
  return [
    '# Benchmarks',
    '',
    `Written by \`npm run bench\`${run.quick ? ' in quick mode (`BENCH_QUICK=1`: fewer, shorter runs; smoke figures only)' : ''} on ${run.startedAt.toISOString()} at commit \`${run.gitCommit}\`; the run took ${Math.round(run.elapsedSec)} s. Do not edit by hand: rerun the bench.`,
    '',
    '## Machine',
    '',
    ...machineLines(run.fsyncMs),
    '',
    '## Method',
    '',
    '- These are figures, not pass/fail tests: a 2-core virtual machine is small and noisy, so every rate is set beside a baseline measured in the same run, on the same machine, and read as a ratio.',
    `- HTTP figures: autocannon in the bench process, ${run.connections} connections, ${run.durationSec} s per run, against servers in child processes so the load generator never shares the server's event loop. The children run compiled JavaScript, as production runs \`dist/collector/server.js\`: \`bench/compile.ts\` bundles each TypeScript entry with esbuild as build.mjs bundles the collector${run.childRuntime === 'tsx' ? ' — **not in this run**: `BENCH_TSX=1` ran them under tsx, which adds about 50 MiB of resident memory and seconds of start-up' : ' (`BENCH_TSX=1` runs them under tsx instead)'}. Runs are interleaved (bare routes, site lead, proxy lead, config; then again) for ${run.rounds} rounds after a 1 s warm-up, and each figure is the **median of ${run.rounds} runs** (the scaling section: 3 rounds of 2 s; quick mode: fewer). Latency p50/p99 are autocannon's, the median over the runs.`,
    '- The baseline is `bench/bare-server.ts`: a bare Fastify route (no body work, no storage) in its own child process, hit with the same request shape (the same POST body, the same GET query).',
    '- The collector child (`bench/collector-server.ts`) is `buildApp()` on a fresh SQLite file in WAL mode with `synchronous=FULL` (as in production), the delivery worker off, the per-IP rate limits on but set too high to be met, one project with three forms and an enabled webhook integration (so each lead also writes its delivery job). Only responses that acknowledge a stored lead (200/202) count; the stored rows are counted afterwards.',
    "- Where a target is missed (full run only), the bench profiles it with V8's sampling profiler through the inspector: in a fresh collector child, started after a 1 s warm-up so start-up compilation stays out; for delivery, in the bench process that runs the worker. It lists the top self-time frames (native frames such as better-sqlite3's `run`/`all`/`get` are the SQLite work and its fsyncs) beside the leadrelay function each sample was under.",
    '',
    '## Targets',
    '',
    '| target | goal | figure | |',
    '| --- | --- | --- | --- |',
    ...targets.map((t) => `| ${t.name} | ${t.target} | ${t.figure} | ${mark(t.status)} |`),
    '',
    ...sections.flatMap((s) => [`## ${s.title}`, '', ...s.body, '']),
    ...(sections.some((s) => s.seconds !== undefined)
      ? ['## Duration', '', '| section | seconds |', '| --- | --- |', ...sections.map((s) => `| ${s.title} | ${s.seconds === undefined ? 'n/a' : Math.round(s.seconds)} |`), '']
      : []),
  ].join('\n');
}

/** The bench's own length: a full run should finish in under 5 minutes (the longest sections named). */
export function benchDurationTarget(elapsedSec: number, sections: Section[]): Target {
  const longest = [...sections]
    .filter((s) => s.seconds !== undefined)
    .sort((a, b) => b.seconds! - a.seconds!)
    .slice(0, 3)
    .map((s) => `${s.title} ${Math.round(s.seconds!)} s`);
  return {
    name: 'A full `npm run bench` finishes',
    target: `< ${BENCH_DURATION_GOAL_SEC} s`,
    figure: `${Math.round(elapsedSec)} s${longest.length ? ` (longest: ${longest.join(', ')})` : ''}`,
    status: targetStatus(elapsedSec < BENCH_DURATION_GOAL_SEC),
  };
}

export const BENCH_DURATION_GOAL_SEC = 300;
