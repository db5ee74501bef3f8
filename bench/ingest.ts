// Ingest: durable leads per second on the site API and the proxy API, config revalidations per
// second, each against the bare route in the same run; and the collector's peak memory under it.
import Database from 'better-sqlite3';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startChild, type Child } from './child.ts';
import { describeMemoryPeak } from './memory-peak.ts';
import type { BenchProject } from './fixture.ts';
import { BARE_SERVER, COLLECTOR_SERVER, runInterleaved, type HttpBenchConfig, type Scenario, type ScenarioFigures } from './http-bench.ts';
import { proxyQuery, proxyRequest, runLoad, siteLeadBody, siteLeadRequest, siteVisitRequest } from './load.ts';
import { profileMarkdown, remapProfile, summarizeProfile, type CpuProfile } from './profile.ts';
import { targetStatus, type Section, type Target } from './report.ts';
import { fmt, pct } from './stats.ts';

export type CollectorInfo = BenchProject & { port: number };
export const PROXY_PATH = '/api/proxy/1.0/leads/add';

export function siteLeadsPath(projectId: string): string {
  return `/api/site/1.0/${projectId}/leads`;
}

export function siteVisitsPath(projectId: string): string {
  return `/api/site/1.0/${projectId}/visits`;
}

/** The goals (issue 18): durable ingest at 30% of the bare route for now (50% is the long-term aim). */
const INGEST_GOAL = 0.3;
const VISIT_GOAL = 0.4;
const CONFIG_GOAL = 0.8;

/** Whether the collector answers a proxy lead; the reason when it does not. */
export async function probeProxy(base: string, key: string): Promise<{ ok: true } | { ok: false; why: string }> {
  const res = await fetch(`${base}${PROXY_PATH}?${proxyQuery(key)}`);
  const text = await res.text();
  if (res.status >= 200 && res.status < 300 && text.includes('"success"')) return { ok: true };
  return { ok: false, why: `GET ${PROXY_PATH} answered HTTP ${res.status}${res.status === 404 ? ' (the proxy API is not on this build)' : `: ${text.slice(0, 120)}`}` };
}

/** The config's ETag, after checking that sending it back gets a 304. */
export async function probeConfigEtag(base: string, projectId: string): Promise<{ ok: true; etag: string } | { ok: false; why: string }> {
  const url = `${base}/api/site/1.0/${projectId}/config`;
  const first = await fetch(url);
  const etag = first.headers.get('etag');
  if (!first.ok || !etag) return { ok: false, why: `GET config answered HTTP ${first.status} ${etag ? '' : 'without an ETag'}` };
  const again = await fetch(url, { headers: { 'if-none-match': etag } });
  if (again.status !== 304) return { ok: false, why: `revalidation answered HTTP ${again.status}, not 304` };
  return { ok: true, etag };
}

export function countLeads(dbFile: string, projectId: string): number {
  const db = new Database(dbFile, { readonly: true });
  try {
    return Number((db.prepare('SELECT COUNT(*) AS n FROM leads WHERE project_id = ?').get(projectId) as { n: number }).n);
  } finally {
    db.close();
  }
}

function mib(bytes: number | null): string {
  return bytes === null ? 'n/a' : `${(bytes / 2 ** 20).toFixed(0)} MiB`;
}

interface Scenarios {
  /** The same request every time, the shape of a config revalidation. */
  bareStatic: Scenario;
  /** A fresh PHP-style query each time, the shape of a proxy lead (its making costs the load generator too). */
  bareGet: Scenario;
  barePost: Scenario;
  site: Scenario;
  /** A new visitor's visit (`POST …/visits`), measured against the bare POST. */
  visit: Scenario;
  proxy: Scenario | null;
  config: Scenario | null;
}

function scenariosFor(bare: number, col: CollectorInfo, etag: string | null, proxyOk: boolean, memory?: Scenario['memory']): Scenarios {
  const b = `http://127.0.0.1:${bare}`;
  const c = `http://127.0.0.1:${col.port}`;
  const m = memory ? { memory } : {};
  return {
    bareStatic: { name: 'bare GET', url: b, requests: [{ method: 'GET', path: '/bare', headers: { 'if-none-match': '"bench"' } }], okStatus: [200] },
    bareGet: { name: 'bare GET query', url: b, requests: [proxyRequest('/bare', col.key)], okStatus: [200] },
    barePost: { name: 'bare POST', url: b, requests: [siteLeadRequest('/bare', col.formId)], okStatus: [202] },
    site: { name: 'site lead', url: c, requests: [siteLeadRequest(siteLeadsPath(col.projectId), col.formId)], okStatus: [202], ...m },
    visit: { name: 'site visit', url: c, requests: [siteVisitRequest(siteVisitsPath(col.projectId))], okStatus: [200], ...m },
    proxy: proxyOk ? { name: 'proxy lead', url: c, requests: [proxyRequest(PROXY_PATH, col.key)], okStatus: [200, 201, 202], ...m } : null,
    config: etag
      ? { name: 'config 304', url: c, requests: [{ method: 'GET', path: `/api/site/1.0/${col.projectId}/config`, headers: { 'if-none-match': etag } }], okStatus: [304], ...m }
      : null,
  };
}

/**
 * Runs one scenario on a fresh collector child with the CPU profiler on (started after a warm-up,
 * so start-up compilation stays out) and summarizes the profile.
 */
export async function profileScenario(
  make: (col: CollectorInfo) => Promise<Scenario>,
  cfg: HttpBenchConfig,
  tag: string,
  /** A pre-filled database to run on (its file and project) instead of a fresh one. */
  db?: { file: string; projectId: string },
): Promise<string[]> {
  const safe = tag.replace(/\W+/g, '-');
  const file = join(cfg.workDir, `prof-${safe}.cpuprofile`);
  const env: Record<string, string> = db ? { DB_FILE: db.file, PROJECT_ID: db.projectId } : { DB_FILE: join(cfg.workDir, `prof-${safe}.sqlite`) };
  const col = await startChild<CollectorInfo>(COLLECTOR_SERVER, { env: { ...env, CPU_PROFILE: file } });
  try {
    const scenario = await make(col.info);
    await runLoad({ ...scenario, connections: cfg.connections, durationSec: 1 });
    col.signal('SIGUSR2');
    await new Promise((r) => setTimeout(r, 200));
    await runLoad({ ...scenario, connections: cfg.connections, durationSec: cfg.durationSec });
  } finally {
    await col.stop();
  }
  if (!existsSync(file)) return ['(no CPU profile was written)'];
  return profileMarkdown(summarizeProfile(remapProfile(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile)));
}

function row(name: string, f: ScenarioFigures, base: ScenarioFigures | null): string {
  return `| ${name} | ${fmt(f.rps)} | ${base ? pct(f.rps / base.rps) : '—'} | ${fmt(f.p50Ms)} | ${fmt(f.p99Ms)} | ${base ? mib(f.peakRss) : '—'} |`;
}

/** The collector's peak memory goal under each scenario. */
const RSS_GOAL_MIB = 150;

export async function benchIngest(cfg: HttpBenchConfig, log: (line: string) => void): Promise<Section> {
  const dbFile = join(cfg.workDir, 'ingest.sqlite');
  const bare: Child<{ port: number }> = await startChild(BARE_SERVER);
  const col: Child<CollectorInfo> = await startChild(COLLECTOR_SERVER, { env: { DB_FILE: dbFile } });
  // Idle: just started and listening, before any request.
  const idleRss = col.rss();
  const base = `http://127.0.0.1:${col.info.port}`;
  let figures: Map<string, ScenarioFigures>;
  let proxy: Awaited<ReturnType<typeof probeProxy>>;
  let config: Awaited<ReturnType<typeof probeConfigEtag>>;
  let probeLeads = 0;
  try {
    const first = await fetch(`${base}${siteLeadsPath(col.info.projectId)}`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: siteLeadBody(col.info.formId) });
    if (first.status !== 202) throw new Error(`the site API answered ${first.status}: ${await first.text()}`);
    probeLeads += 1;
    proxy = await probeProxy(base, col.info.key);
    if (proxy.ok) probeLeads += 1;
    config = await probeConfigEtag(base, col.info.projectId);
    const s = scenariosFor(bare.info.port, col.info, config.ok ? config.etag : null, proxy.ok, col);
    const list = [s.bareStatic, s.proxy ? s.bareGet : null, s.barePost, s.site, s.visit, s.proxy, s.config].filter((x): x is Scenario => x !== null);
    log(`ingest: ${list.map((x) => x.name).join(', ')}`);
    figures = await runInterleaved(list, cfg, log);
  } finally {
    await col.stop();
    await bare.stop();
  }
  const memory = col.memoryPeak();
  const bareStatic = figures.get('bare GET')!;
  const bareGet = figures.get('bare GET query') ?? null;
  const barePost = figures.get('bare POST')!;
  const site = figures.get('site lead')!;
  const visitF = figures.get('site visit')!;
  const proxyF = figures.get('proxy lead') ?? null;
  const configF = figures.get('config 304') ?? null;
  const acknowledged = site.ok + (proxyF?.ok ?? 0) + probeLeads;
  const stored = countLeads(dbFile, col.info.projectId);

  const siteRatio = site.rps / barePost.rps;
  const visitRatio = visitF.rps / barePost.rps;
  const proxyRatio = proxyF && bareGet ? proxyF.rps / bareGet.rps : Number.NaN;
  const configRatio = configF ? configF.rps / bareStatic.rps : Number.NaN;
  const targets: Target[] = [
    { name: 'Durable ingest, site API', target: `≥ ${pct(INGEST_GOAL)} of the bare POST route`, figure: `${fmt(site.rps)} leads/s = ${pct(siteRatio)} of ${fmt(barePost.rps)}/s`, status: targetStatus(siteRatio >= INGEST_GOAL) },
    proxyF && bareGet
      ? { name: 'Durable ingest, proxy API', target: `≥ ${pct(INGEST_GOAL)} of the bare GET route`, figure: `${fmt(proxyF.rps)} leads/s = ${pct(proxyRatio)} of ${fmt(bareGet.rps)}/s`, status: targetStatus(proxyRatio >= INGEST_GOAL) }
      : { name: 'Durable ingest, proxy API', target: `≥ ${pct(INGEST_GOAL)} of the bare GET route`, figure: proxy.ok ? 'n/a' : proxy.why, status: 'not available' },
    { name: 'New visits (`/visits`)', target: `≥ ${pct(VISIT_GOAL)} of the bare POST route`, figure: `${fmt(visitF.rps)} visits/s = ${pct(visitRatio)} of ${fmt(barePost.rps)}/s`, status: targetStatus(visitRatio >= VISIT_GOAL) },
    configF
      ? { name: 'Config revalidation (304)', target: `≥ ${pct(CONFIG_GOAL)} of the bare GET route`, figure: `${fmt(configF.rps)} req/s = ${pct(configRatio)} of ${fmt(bareStatic.rps)}/s`, status: targetStatus(configRatio >= CONFIG_GOAL) }
      : { name: 'Config revalidation (304)', target: `≥ ${pct(CONFIG_GOAL)} of the bare GET route`, figure: config.ok ? 'n/a' : config.why, status: 'not available' },
  ];
  const peaks = [site, visitF, proxyF, configF].flatMap((f) => (f && f.peakRss !== null ? [f.peakRss] : []));
  const worst = peaks.length ? Math.max(...peaks) : null;
  targets.push({
    name: 'Collector peak RSS under each ingest scenario',
    target: `≤ ${RSS_GOAL_MIB} MiB`,
    figure: worst === null ? 'n/a' : `${mib(worst)} at most (idle ${mib(idleRss)}; site ${mib(site.peakRss)}, visits ${mib(visitF.peakRss)}, proxy ${mib(proxyF?.peakRss ?? null)}, config ${mib(configF?.peakRss ?? null)})`,
    status: worst === null ? 'not available' : targetStatus(worst <= RSS_GOAL_MIB * 2 ** 20),
  });

  const body = [
    `${cfg.rounds} interleaved round${cfg.rounds === 1 ? '' : 's'} of ${cfg.durationSec} s per scenario, ${cfg.connections} connections; medians.`,
    '',
    '| scenario | successes/s | vs bare | p50 ms | p99 ms | collector peak RSS |',
    '| --- | --- | --- | --- | --- | --- |',
    row('bare GET, the same request each time (baseline for config)', bareStatic, null),
    ...(bareGet ? [row('bare GET, a fresh PHP-style query each time (baseline for proxy)', bareGet, null)] : []),
    row('bare POST (baseline)', barePost, null),
    row('site API lead (`POST /api/site/1.0/:projectId/leads`, text/plain JSON)', site, barePost),
    row('new visit (`POST /api/site/1.0/:projectId/visits`, a new landing page each time, so each is stored)', visitF, barePost),
    proxyF ? row(`proxy API lead (\`GET ${PROXY_PATH}?key=…\`, PHP query)`, proxyF, bareGet) : `| proxy API lead | not available: ${proxy.ok ? '' : proxy.why} | | | | |`,
    configF ? row('config with `If-None-Match` (304)', configF, bareStatic) : `| config 304 | not available: ${config.ok ? '' : config.why} | | | | |`,
    '',
    `- Every run: ${Object.keys({ ...site.other, ...(proxyF?.other ?? {}) }).length ? `non-success answers ${JSON.stringify({ site: site.other, proxy: proxyF?.other ?? {} })}` : 'no non-success answer'}.`,
    `- Durability check: ${acknowledged} leads acknowledged, ${stored} rows stored${stored >= acknowledged ? ' (requests in flight when a run stops are stored but not counted)' : ' (**fewer than acknowledged**)'}.`,
    `- Peak RSS of the collector child (VmHWM): per scenario above (the peak is started over before each run, the highest over the rounds)${memory ? `; over all the ingest runs, ${describeMemoryPeak(memory)}` : ''}.`,
  ];
  const missed: [string, (c: CollectorInfo) => Promise<Scenario>][] = [];
  if (siteRatio < INGEST_GOAL) missed.push(['site API lead', async (c) => scenariosFor(0, c, null, false).site]);
  if (visitRatio < VISIT_GOAL) missed.push(['new visit', async (c) => scenariosFor(0, c, null, false).visit]);
  if (proxyF && proxyRatio < INGEST_GOAL) missed.push(['proxy API lead', async (c) => scenariosFor(0, c, null, true).proxy!]);
  if (configF && configRatio < CONFIG_GOAL) {
    missed.push([
      'config 304',
      async (c) => {
        // A fresh child has fresh form ids, so its own ETag is fetched first.
        const p = await probeConfigEtag(`http://127.0.0.1:${c.port}`, c.projectId);
        return scenariosFor(0, c, p.ok ? p.etag : '"none"', false).config!;
      },
    ]);
  }
  if (cfg.profile) {
    for (const [tag, make] of missed) {
      log(`ingest: profiling ${tag}`);
      body.push('', `### Profile: ${tag} (target missed)`, '', ...(await profileScenario(make, cfg, tag)));
    }
  }
  return { title: 'Ingest', body, targets };
}
