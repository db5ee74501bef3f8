// How ingest cost grows with the stored history: a SQLite file pre-filled with 10^4, 10^5, 10^6
// leads (a direct bulk insert in one transaction, the schema from collector/migrations via the
// store), then the same interleaved runs as the ingest section.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { bulkInsertLeads, createBenchDb } from './bulk.ts';
import { startChild, type Child } from './child.ts';
import { BARE_SERVER, COLLECTOR_SERVER, runInterleaved, type HttpBenchConfig } from './http-bench.ts';
import { countLeads, profileScenario, siteLeadsPath, type CollectorInfo } from './ingest.ts';
import { siteLeadRequest } from './load.ts';
import type { Section } from './report.ts';
import { fmt, pct } from './stats.ts';

const DAY_MS = 86_400_000;

/** A database with the bench project and `n` delivered leads spread over 90 days. */
export async function createPrefilledDb(file: string, n: number): Promise<{ projectId: string; ms: number }> {
  const started = performance.now();
  const { projectId } = await createBenchDb(file, 'http://127.0.0.1:9/unused');
  bulkInsertLeads(file, projectId, n, { status: 'sent', spreadMs: 90 * DAY_MS, tag: '5' });
  return { projectId, ms: performance.now() - started };
}

export async function benchScaling(cfg: HttpBenchConfig, sizes: number[], log: (line: string) => void): Promise<Section> {
  const rows: string[] = [];
  const rates: number[] = [];
  let largest: { file: string; projectId: string } | null = null;
  const bare: Child<{ port: number }> = await startChild(BARE_SERVER);
  try {
    // One file grown from size to size (topped up to exactly n leads each time, the leads the runs
    // stored included): the fill is the section's longest wait, and the smaller sizes' rows need not
    // be written twice.
    const file = join(cfg.workDir, 'scale.sqlite');
    let projectId = '';
    for (const [i, n] of sizes.entries()) {
      const started = performance.now();
      if (!projectId) projectId = (await createBenchDb(file, 'http://127.0.0.1:9/unused')).projectId;
      const missing = n - countLeads(file, projectId);
      if (missing > 0) bulkInsertLeads(file, projectId, missing, { status: 'sent', spreadMs: 90 * DAY_MS, tag: String(5 + i) });
      const ms = performance.now() - started;
      const mb = statSync(file).size / 2 ** 20;
      log(`scaling: topped up to ${n} leads in ${(ms / 1000).toFixed(1)} s (${mb.toFixed(0)} MiB)`);
      const col: Child<CollectorInfo> = await startChild(COLLECTOR_SERVER, { env: { DB_FILE: file, PROJECT_ID: projectId } });
      try {
        const figures = await runInterleaved(
          [
            { name: 'bare POST', url: `http://127.0.0.1:${bare.info.port}`, requests: [siteLeadRequest('/bare', col.info.formId)], okStatus: [202] },
            { name: 'site lead', url: `http://127.0.0.1:${col.info.port}`, requests: [siteLeadRequest(siteLeadsPath(projectId), col.info.formId)], okStatus: [202] },
          ],
          cfg,
          log,
        );
        const b = figures.get('bare POST')!;
        const s = figures.get('site lead')!;
        const stored = countLeads(file, projectId) - n;
        rates.push(s.rps / b.rps);
        largest = { file, projectId };
        // autocannon records latency of answered requests only: with none answered, say so.
        const latency = s.ok > 0 ? `${fmt(s.p50Ms)} | ${fmt(s.p99Ms)}` : `none answered within the ${cfg.durationSec} s runs | ${s.errors ? `${s.errors} timed out (10 s)` : ''}`;
        rows.push(`| ${n.toLocaleString('en-US')} | ${mb.toFixed(0)} MiB | ${fmt(s.rps)} | ${pct(s.rps / b.rps)} | ${latency} | ${stored >= s.ok ? `yes (${stored} stored)` : `**no** (${stored} of ${s.ok})`} |`);
      } finally {
        await col.stop();
      }
    }
  } finally {
    await bare.stop();
  }
  const grows = rates.length > 1 && rates[rates.length - 1]! < rates[0]! * 0.5;
  const profile: string[] = [];
  if (grows && cfg.profile && largest) {
    const db = largest;
    log(`scaling: profiling site leads on the ${sizes[sizes.length - 1]!.toLocaleString('en-US')}-lead database`);
    profile.push(
      '',
      `### Profile: site API lead with ${sizes[sizes.length - 1]!.toLocaleString('en-US')} stored leads`,
      '',
      ...(await profileScenario(
        async (c) => ({ name: 'site lead', url: `http://127.0.0.1:${c.port}`, requests: [siteLeadRequest(siteLeadsPath(db.projectId), c.formId)], okStatus: [202] }),
        cfg,
        'scaling',
        db,
      )),
    );
  }
  return {
    title: 'How ingest cost grows with stored leads',
    body: [
      `Site API leads on a database pre-filled with delivered leads (spread over 90 days, unique phones and emails; one file topped up from size to size), ${cfg.rounds} interleaved round${cfg.rounds === 1 ? '' : 's'} of ${cfg.durationSec} s against the bare POST route; medians.${sizes.length === 1 ? ' Quick mode: 10^4 only; the full run adds 10^5 and 10^6.' : ''}`,
      '',
      '| stored leads | file | leads/s | vs bare | p50 ms | p99 ms | every acknowledged lead stored |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      ...(rates.length > 1
        ? [
            '',
            `At ${sizes[sizes.length - 1]!.toLocaleString('en-US')} stored leads the ratio to the bare route is ${pct(rates[rates.length - 1]! / rates[0]!)} of what it is at ${sizes[0]!.toLocaleString('en-US')}${grows ? ': the cost of storing one lead grows with the leads already stored, not only with the request rate.' : ': the cost of a lead barely depends on the history.'}`,
          ]
        : []),
      ...profile,
    ],
    targets: [],
  };
}
