// Only the ingest scenarios (site lead, new visit, proxy lead), this tree against another build of
// the collector, interleaved in one run, so a change is measured as a ratio while other work loads
// the machine (BENCHMARKS.md "Method"). The full `npm run bench` stays the figure of record.
//
//   BENCH_AB_OTHER=/tmp/leadrelay-base node --import tsx bench/ingest-ab.ts
//
// BENCH_AB_OTHER: the root of another checkout (e.g. `git archive <commit> | tar -x -C dir` with a
// node_modules symlink); without it only this tree runs. BENCH_AB_ROUNDS (3), BENCH_AB_SECONDS (3),
// BENCH_AB_SCENARIOS (site,visit,proxy). BENCH_AB_DIR: where the SQLite files go (default: the
// temporary directory); /dev/shm takes the disk's fsync out, to compare CPU work alone on a machine
// whose disk is busy (the figure of record keeps a real disk).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startChild, type Child } from './child.ts';
import { BARE_SERVER, COLLECTOR_SERVER } from './http-bench.ts';
import { PROXY_PATH, siteLeadsPath, siteVisitsPath, countLeads, type CollectorInfo } from './ingest.ts';
import { proxyRequest, runLoad, siteLeadRequest, siteVisitRequest, type LoadOptions } from './load.ts';
import { median } from './stats.ts';

const rounds = Number(process.env.BENCH_AB_ROUNDS ?? 3);
const seconds = Number(process.env.BENCH_AB_SECONDS ?? 3);
const wanted = (process.env.BENCH_AB_SCENARIOS ?? 'site,visit,proxy').split(',').map((s) => s.trim());
const other = process.env.BENCH_AB_OTHER;
const connections = 32;

type Load = Omit<LoadOptions, 'connections' | 'durationSec'> & { pid: number };

/**
 * CPU time the server process has used so far, in ms (user + system, /proc; clock ticks of 10 ms).
 * Per answered request it is the figure a loaded machine disturbs least: a busy neighbour slows the
 * server down but does not add work to it.
 */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of the line; after the name they are at 11 and 12.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

const workDir = mkdtempSync(join(process.env.BENCH_AB_DIR ?? tmpdir(), 'leadrelay-ab-'));
const children: Child<unknown>[] = [];
try {
  const bare = await startChild<{ port: number }>(BARE_SERVER);
  children.push(bare);
  const builds: { tag: string; col: Child<CollectorInfo>; file: string }[] = [];
  for (const [tag, script] of [['new', COLLECTOR_SERVER], ...(other ? [['old', join(other, 'bench/collector-server.ts')]] : [])] as [string, string][]) {
    const file = join(workDir, `${tag}.sqlite`);
    const col = await startChild<CollectorInfo>(script, { env: { DB_FILE: file } });
    children.push(col as Child<unknown>);
    builds.push({ tag, col, file });
  }
  const b = `http://127.0.0.1:${bare.info.port}`;
  const key0 = builds[0]!.col.info.key;
  const baselines: Record<string, Load> = {
    'bare POST': { url: b, requests: [siteLeadRequest('/bare', null)], okStatus: [202], pid: bare.pid },
    'bare GET query': { url: b, requests: [proxyRequest('/bare', key0)], okStatus: [200], pid: bare.pid },
  };
  const measured: Record<string, Load> = {};
  for (const { tag, col } of builds) {
    const c = `http://127.0.0.1:${col.info.port}`;
    const pid = col.pid;
    if (wanted.includes('site')) measured[`site ${tag}`] = { url: c, requests: [siteLeadRequest(siteLeadsPath(col.info.projectId), col.info.formId)], okStatus: [202], pid };
    if (wanted.includes('visit')) measured[`visit ${tag}`] = { url: c, requests: [siteVisitRequest(siteVisitsPath(col.info.projectId))], okStatus: [200], pid };
    if (wanted.includes('proxy')) measured[`proxy ${tag}`] = { url: c, requests: [proxyRequest(PROXY_PATH, col.info.key)], okStatus: [200, 201, 202], pid };
  }
  const all = { ...baselines, ...measured };
  for (const load of Object.values(all)) await runLoad({ ...load, connections, durationSec: 1 });
  const rps = new Map<string, number[]>(Object.keys(all).map((k) => [k, []]));
  const cpuPerRequest = new Map<string, number[]>(Object.keys(all).map((k) => [k, []]));
  const acked = new Map<string, number>();
  for (let round = 1; round <= rounds; round++) {
    // Alternate the order of the builds each round, so neither always runs first.
    const names = Object.keys(all).sort((x, y) => (round % 2 === 0 ? y.localeCompare(x) : x.localeCompare(y)));
    for (const name of names) {
      const cpu0 = cpuMs(all[name]!.pid);
      const r = await runLoad({ ...all[name]!, connections, durationSec: seconds });
      cpuPerRequest.get(name)!.push(((cpuMs(all[name]!.pid) - cpu0) * 1000) / Math.max(1, r.ok + Object.values(r.other).reduce((a, n) => a + n, 0)));
      rps.get(name)!.push(r.rps);
      acked.set(name, (acked.get(name) ?? 0) + r.ok);
      console.log(`round ${round} ${name}: ${Math.round(r.rps)}/s, ${Math.round(cpuPerRequest.get(name)!.at(-1)!)} µs CPU per request${Object.keys(r.other).length ? ` other ${JSON.stringify(r.other)}` : ''}`);
    }
  }
  const med = (name: string) => median(rps.get(name)!);
  const cpu = (name: string) => median(cpuPerRequest.get(name)!);
  console.log('\nmedians (ratio to the bare route of the same run):');
  for (const name of Object.keys(all)) {
    const base = name.startsWith('proxy') ? med('bare GET query') : med('bare POST');
    const baseCpu = name.startsWith('proxy') ? cpu('bare GET query') : cpu('bare POST');
    const vsBare = name.startsWith('bare') ? '' : `  ${((100 * med(name)) / base).toFixed(1)}% of bare; bare's CPU per request / this one's: ${((100 * baseCpu) / cpu(name)).toFixed(1)}%`;
    console.log(`  ${name.padEnd(16)} ${String(Math.round(med(name))).padStart(6)}/s, ${String(Math.round(cpu(name))).padStart(5)} µs CPU per request${vsBare}`);
  }
  if (other) {
    // The two builds of a scenario run back to back in each round: the median of the per-round
    // ratios is the steadiest figure when the machine's load swings between rounds.
    for (const s of wanted) {
      const news = rps.get(`${s} new`)!;
      const olds = rps.get(`${s} old`)!;
      const paired = news.map((n, i) => n / olds[i]!);
      console.log(`  ${s}: new/old = ${(med(`${s} new`) / med(`${s} old`)).toFixed(2)} (medians), ${median(paired).toFixed(2)} (median of the rounds' ratios: ${paired.map((r) => r.toFixed(2)).join(', ')})`);
      console.log(`  ${s}: CPU per request new/old = ${(cpu(`${s} new`) / cpu(`${s} old`)).toFixed(2)}`);
    }
  }
  for (const { tag, col, file } of builds) {
    await col.stop();
    const ack = (acked.get(`site ${tag}`) ?? 0) + (acked.get(`proxy ${tag}`) ?? 0);
    console.log(`  ${tag}: ${ack} leads acknowledged in the measured runs, ${countLeads(file, col.info.projectId)} stored (warm-up included)`);
  }
} finally {
  for (const c of children) await c.stop();
  rmSync(workDir, { recursive: true, force: true });
}
