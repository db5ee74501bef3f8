// Interleaved HTTP runs: each round runs every scenario once, so drift of a noisy machine hits the
// baseline and the measured route alike; each figure is the median over the rounds.
import type { AutocannonRequest } from 'autocannon';
import { fileURLToPath } from 'node:url';
import { runLoad, type LoadResult } from './load.ts';
import { median } from './stats.ts';

export interface HttpBenchConfig {
  rounds: number;
  durationSec: number;
  connections: number;
  /** Where SQLite files and CPU profiles go. */
  workDir: string;
  /** Profile a scenario whose target is missed. */
  profile: boolean;
}

export interface Scenario {
  name: string;
  url: string;
  requests: AutocannonRequest[];
  okStatus: readonly number[];
  /** The server's memory, for a peak per scenario (the collector child; none for the bare baseline). */
  memory?: { peakRss(): number | null; resetPeakRss(): void };
}

export interface ScenarioFigures {
  runs: LoadResult[];
  rps: number;
  p50Ms: number;
  p99Ms: number;
  /** Successes summed over the runs and the warm-up (leads stored, for the row count check). */
  ok: number;
  other: Record<string, number>;
  /** Socket errors and timeouts summed over the runs (autocannon gives up on a request after 10 s). */
  errors: number;
  /** The highest peak RSS of the server over this scenario's runs, in bytes (null: not measured). */
  peakRss: number | null;
}

export const BARE_SERVER = fileURLToPath(new URL('./bare-server.ts', import.meta.url));
export const COLLECTOR_SERVER = fileURLToPath(new URL('./collector-server.ts', import.meta.url));

export async function runInterleaved(
  scenarios: Scenario[],
  cfg: Pick<HttpBenchConfig, 'rounds' | 'durationSec' | 'connections'> & { warmupSec?: number },
  log: (line: string) => void = () => {},
): Promise<Map<string, ScenarioFigures>> {
  // Warm-up: JIT, SQLite page cache, sockets. Not counted.
  const warmOk = new Map<string, number>();
  const warmupSec = cfg.warmupSec ?? 1;
  for (const s of scenarios) if (warmupSec > 0) warmOk.set(s.name, (await runLoad({ ...s, connections: cfg.connections, durationSec: warmupSec })).ok);
  const runs = new Map<string, LoadResult[]>(scenarios.map((s) => [s.name, []]));
  const peaks = new Map<string, number>();
  for (let round = 1; round <= cfg.rounds; round++) {
    for (const s of scenarios) {
      s.memory?.resetPeakRss();
      const r = await runLoad({ ...s, connections: cfg.connections, durationSec: cfg.durationSec });
      const peak = s.memory?.peakRss() ?? null;
      if (peak !== null) peaks.set(s.name, Math.max(peaks.get(s.name) ?? 0, peak));
      runs.get(s.name)!.push(r);
      log(`  round ${round}/${cfg.rounds} ${s.name}: ${Math.round(r.rps)}/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms${Object.keys(r.other).length ? `, other ${JSON.stringify(r.other)}` : ''}${r.errors ? `, ${r.errors} errors/timeouts` : ''}`);
    }
  }
  const out = new Map<string, ScenarioFigures>();
  for (const [name, rs] of runs) {
    const other: Record<string, number> = {};
    for (const r of rs) for (const [k, v] of Object.entries(r.other)) other[k] = (other[k] ?? 0) + v;
    out.set(name, {
      runs: rs,
      rps: median(rs.map((r) => r.rps)),
      p50Ms: median(rs.map((r) => r.p50Ms)),
      p99Ms: median(rs.map((r) => r.p99Ms)),
      ok: rs.reduce((a, r) => a + r.ok, warmOk.get(name) ?? 0),
      errors: rs.reduce((a, r) => a + r.errors, 0),
      peakRss: peaks.get(name) ?? null,
      other,
    });
  }
  return out;
}
