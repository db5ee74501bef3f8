// PostgreSQL with 2 processes beside 1 (docs/architecture.md: several collector processes may share
// PostgreSQL): site API ingest with one collector child, then with two (the load spread over both), and
// a fixed backlog drained by one worker child, then by two. Everything runs in a fresh schema of the
// database given (BENCH_PG_URL, default postgres://postgres@127.0.0.1:5432/test), dropped afterwards.
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { timeOrderedId } from '../shared/ids.ts';
import { openPostgresStore } from '../collector/src/store/postgres.ts';
import { startChild, type Child } from './child.ts';
import type { BenchProject } from './fixture.ts';
import { siteLeadsPath } from './ingest.ts';
import { runLoad, siteLeadRequest, type LoadResult } from './load.ts';
import type { Section } from './report.ts';
import { fmt, median } from './stats.ts';

export const DEFAULT_BENCH_PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const PG_COLLECTOR = fileURLToPath(new URL('./pg-collector-server.ts', import.meta.url));
const PG_WORKER = fileURLToPath(new URL('./pg-worker.ts', import.meta.url));
const MOCK_CRM = fileURLToPath(new URL('./mock-crm-server.ts', import.meta.url));

export interface PgScalingConfig {
  url: string;
  /** Interleaved rounds (1 process, then 2) for ingest and for delivery; figures are medians. */
  rounds: number;
  durationSec: number;
  connections: number;
  backlogLeads: number;
  /** A drain that takes longer is stopped and its rate taken over the cap. */
  drainCapSec: number;
}

/** Projects the load goes to (half per process with two): ingests of one project are serialized across processes. */
const PG_PROJECTS = 4;

type PgCollectorInfo = { port: number; projects: BenchProject[] };

/** "2 vs 1" as a ratio with two decimals (1.00 means no gain from the second process). */
export function scaleRatio(two: number, one: number): string {
  return Number.isFinite(two / one) && one > 0 ? `${(two / one).toFixed(2)}×` : 'n/a';
}

/** The section's table: one row per measure, its medians with 1 and 2 processes and their ratio. */
export function pgScalingTable(rows: { measure: string; one: number; two: number; unit: string }[]): string[] {
  return [
    '| measure | 1 process | 2 processes | 2 vs 1 |',
    '| --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.measure} | ${fmt(r.one)} ${r.unit} | ${fmt(r.two)} ${r.unit} | ${scaleRatio(r.two, r.one)} |`),
  ];
}

/** Pending leads, each with its delivery job due now, spread over the projects (multi-row inserts, one transaction). */
export async function queueBacklog(pool: pg.Pool, schema: string, projectIds: string[], n: number, tag: string): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const now = Date.now();
    for (let start = 0; start < n; start += 500) {
      const leads: unknown[] = [];
      const jobs: unknown[] = [];
      const leadRows: string[] = [];
      const jobRows: string[] = [];
      for (let i = start; i < Math.min(n, start + 500); i++) {
        const id = timeOrderedId(now - n + i);
        const projectId = projectIds[i % projectIds.length]!;
        const seq = String(i).padStart(9, '0');
        const p = leads.length;
        leads.push(id, projectId, `${tag}-${seq}`, `+7${tag}${seq}`, `${tag}-${seq}@example.org`, now - n + i, `7${tag}${seq}`);
        leadRows.push(
          `($${p + 1}, $${p + 2}, NULL, $${p + 3}, 'form', NULL, 'Request from the site', 'Ivan Petrov', $${p + 4}, $${p + 5}, 'Please call me after 6 pm', '{"budget":"100000"}', '{}', 'form', 'https://shop.example.com/contacts', '', '', '{}', '203.0.113.7', 'Mozilla/5.0 (bench)', 0, $${p + 6}, 'pending', NULL, $${p + 7}, $${p + 5}, '')`,
        );
        const q = jobs.length;
        jobs.push(id, projectId, now);
        jobRows.push(`($${q + 1}, $${q + 2}, 'create', '{}', $${q + 3}, $${q + 3}, 'queued', 0, 0)`);
      }
      await client.query(
        `INSERT INTO ${schema}.leads (id, project_id, form_id, client_id, source, visit, title, name, phone, email, comment, fields, client_fields,
          order_creation_method, page, referrer, landing_page, utm, ip, user_agent, callback, created_at, status, crm_id, phone_norm, email_norm, search)
          VALUES ${leadRows.join(', ')}`,
        leads,
      );
      await client.query(`INSERT INTO ${schema}.jobs (lead_id, project_id, kind, payload, run_at, created_at, state, attempts, tries) VALUES ${jobRows.join(', ')}`, jobs);
    }
    await client.query('COMMIT');
  } catch (err) {
    await client.query('ROLLBACK');
    throw err;
  } finally {
    client.release();
  }
}

/**
 * Marks done the delivery jobs still open (those of the ingest runs: their collectors run with the
 * worker off), so a drain starts from its own backlog only; returns how many. Left queued, they were
 * older than the backlog, claimed first and counted in its depth: the first drain (1 worker) drained
 * thousands of them and was credited with ~2 leads/s.
 */
export async function setAsideOpenJobs(pool: pg.Pool, schema: string): Promise<number> {
  const r = await pool.query(`UPDATE ${schema}.jobs SET state = 'done' WHERE state IN ('queued', 'retrying')`);
  return r.rowCount ?? 0;
}

/** Site API leads/s with the load on these (collector, project) pairs at once, the connections split evenly. */
async function ingestRun(targets: { port: number; project: BenchProject }[], connections: number, durationSec: number): Promise<LoadResult[]> {
  return Promise.all(
    targets.map(({ port, project }) =>
      runLoad({
        url: `http://127.0.0.1:${port}`,
        requests: [siteLeadRequest(siteLeadsPath(project.projectId), project.formId)],
        okStatus: [202],
        connections: Math.max(1, Math.round(connections / targets.length)),
        durationSec,
      }),
    ),
  );
}

export async function benchPgScaling(cfg: PgScalingConfig, log: (line: string) => void): Promise<Section> {
  const title = 'PostgreSQL: 2 processes beside 1';
  const pool = new pg.Pool({ connectionString: cfg.url, max: 2 });
  // Errors of idle connections (the server going away) must not end the bench.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (err) {
    await pool.end();
    return { title, body: [`Not measured: PostgreSQL at \`${cfg.url.replace(/\/\/[^@/]*@/, '//…@')}\` did not answer (${(err as Error).message}).`], targets: [] };
  }
  const schema = `bench_${randomBytes(6).toString('hex')}`;
  const env = { DATABASE_URL: cfg.url, PG_SCHEMA: schema };
  const children: Child<unknown>[] = [];
  const ingest = { one: [] as number[], two: [] as number[] };
  const drains = { one: [] as number[], two: [] as number[] };
  let acknowledged = 0;
  let stored = 0;
  let capped = 0;
  try {
    const mock = await startChild<{ url: string }>(MOCK_CRM);
    children.push(mock);
    // The first child creates the schema (migrations) and the projects; the second uses them.
    const a = await startChild<PgCollectorInfo>(PG_COLLECTOR, { env: { ...env, WEBHOOK_URL: mock.info.url, PROJECTS: String(PG_PROJECTS) }, timeoutMs: 90_000 });
    children.push(a);
    const projects = a.info.projects;
    const b = await startChild<PgCollectorInfo>(PG_COLLECTOR, { env: { ...env, WEBHOOK_URL: mock.info.url, PROJECT_IDS: projects.map((p) => p.projectId).join(',') }, timeoutMs: 90_000 });
    children.push(b);
    const oneProcess = projects.map((project) => ({ port: a.info.port, project }));
    // Each process takes its own half of the projects.
    const twoProcesses = projects.map((project, i) => ({ port: (i % 2 === 0 ? a : b).info.port, project }));
    const count = (rs: LoadResult[]) => rs.reduce((s, r) => s + r.ok, 0);
    // Warm-up of both children: JIT, pools, PostgreSQL's caches. Not counted as a figure.
    acknowledged += count(await ingestRun(twoProcesses, cfg.connections, 1));
    for (let round = 1; round <= cfg.rounds; round++) {
      // The order alternates by round, so neither variant always runs on the colder or warmer database.
      const variants = [
        ['1 process', oneProcess, ingest.one],
        ['2 processes', twoProcesses, ingest.two],
      ] as const;
      for (const [name, targets, into] of round % 2 ? variants : [...variants].reverse()) {
        const rs = await ingestRun(targets, cfg.connections, cfg.durationSec);
        acknowledged += count(rs);
        const rate = rs.reduce((s, r) => s + r.rps, 0);
        into.push(rate);
        log(`  round ${round}/${cfg.rounds} postgres ingest, ${name}: ${Math.round(rate)} leads/s${rs.some((r) => r.errors || Object.keys(r.other).length) ? ` (other answers ${JSON.stringify(rs.map((r) => r.other))}, errors ${rs.map((r) => r.errors).join('+')})` : ''}`);
      }
    }
    stored = Number((await pool.query(`SELECT count(*) AS n FROM ${schema}.leads`)).rows[0].n);
    await a.stop();
    await b.stop();
    const setAside = await setAsideOpenJobs(pool, schema);
    log(`  ${setAside} delivery jobs of the ingest runs set aside: the drains measure their backlogs only`);

    const store = await openPostgresStore({ connectionString: cfg.url, schema, max: 1, applicationName: 'leadrelay-bench-probe' });
    try {
      let tag = 10;
      for (let round = 1; round <= cfg.rounds; round++) {
        const variants = [
          [1, drains.one],
          [2, drains.two],
        ] as const;
        for (const [workers, into] of round % 2 ? variants : [...variants].reverse()) {
          tag += 1;
          // The workers start while the backlog is written: they claim nothing until told (SIGUSR2).
          const [ws] = await Promise.all([
            Promise.all(Array.from({ length: workers }, () => startChild<unknown>(PG_WORKER, { env, timeoutMs: 90_000 }))),
            queueBacklog(pool, schema, projects.map((p) => p.projectId), cfg.backlogLeads, String(tag)),
          ]);
          children.push(...ws);
          const start = performance.now();
          for (const w of ws) w.signal('SIGUSR2');
          let depth = cfg.backlogLeads;
          while (depth > 0 && performance.now() - start < cfg.drainCapSec * 1000) {
            await new Promise((r) => setTimeout(r, 50));
            depth = (await store.queueStats(Date.now())).depth;
          }
          const seconds = (performance.now() - start) / 1000;
          for (const w of ws) await w.stop();
          if (depth > 0) capped += 1;
          const rate = (cfg.backlogLeads - depth) / seconds;
          into.push(rate);
          log(`  round ${round}/${cfg.rounds} postgres delivery, ${workers} worker${workers > 1 ? 's' : ''}: ${cfg.backlogLeads - depth}/${cfg.backlogLeads} in ${seconds.toFixed(1)} s = ${Math.round(rate)}/s`);
          // The next backlog starts from an empty queue (a capped drain leaves jobs behind).
          if (depth > 0) await setAsideOpenJobs(pool, schema);
        }
      }
    } finally {
      await store.close();
    }
  } finally {
    for (const c of children.reverse()) await c.stop();
    await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).catch(() => {});
    await pool.end();
  }
  const rows = [
    { measure: `site API leads/s, ${cfg.connections} connections spread over the processes`, one: median(ingest.one), two: median(ingest.two), unit: '/s' },
    { measure: `delivery, a backlog of ${cfg.backlogLeads.toLocaleString('en-US')} leads drained by 1 or 2 workers`, one: median(drains.one), two: median(drains.two), unit: '/s' },
  ];
  return {
    title,
    body: [
      `The collector on PostgreSQL (\`bench/pg-collector-server.ts\`: \`buildApp()\` on \`openPostgresStore\`, the worker off) in one child process, then in two sharing one fresh schema, the load spread over them; then a backlog of pending leads drained by one worker child (\`bench/pg-worker.ts\`, the webhook adapter's rate limit lifted, the mock CRM in its own child), then by two claiming from the same queue; the jobs the ingest runs left queued (their collectors run with the worker off) are set aside first, so each drain measures its own backlog. ${cfg.rounds} interleaved round${cfg.rounds === 1 ? '' : 's'} (1 then 2, 2 then 1, …) of ${cfg.durationSec} s for ingest and of one drain each for delivery; medians. The load goes to ${PG_PROJECTS} projects, half of them per process in the 2-process runs, because ingests of one project are serialized across processes (an advisory lock, \`store/dialect.ts\`).`,
      '',
      ...pgScalingTable(rows),
      '',
      `- ${cpus().length} cores are shared by PostgreSQL, the load generator and the collectors: a ratio near 1.00× with the CPU full says the machine, not the design, is the limit; it shows the second process costs nothing in correctness and what it adds where cores are free.`,
      `- Durability check: ${acknowledged} leads acknowledged, ${stored} rows stored${stored >= acknowledged ? '' : ' — **fewer rows than acknowledged leads**'}.`,
      ...(capped ? [`- ${capped} drain${capped > 1 ? 's' : ''} hit the ${cfg.drainCapSec} s cap; the rate is over the cap.`] : []),
    ],
    targets: [],
  };
}
