// Durable ingest rate: leads/s acknowledged by the proxy and site APIs (SQLite WAL,
// synchronous=FULL, group commit) beside a bare Fastify route on the same machine in the same run,
// so the figure says what durability costs here. Run: node --import tsx bench/ingest-rate.ts
import Fastify from 'fastify';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { buildApp } from '../collector/src/app.ts';

interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<AutocannonResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

const DURATION = Number(process.env['BENCH_SECONDS'] ?? 10);
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 50);

async function run(name: string, opts: Record<string, unknown>) {
  const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
  const line = `${name.padEnd(44)} ${r.requests.average.toFixed(0).padStart(7)} req/s  p50 ${r.latency.p50} ms  p99 ${r.latency.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}`;
  console.log(line);
  return r;
}

const dir = mkdtempSync(join(tmpdir(), 'leadrelay-bench-'));
const { app, ctx } = await buildApp({
  dbFile: join(dir, 'bench.sqlite'),
  adminToken: 'bench',
  worker: false,
  quotas: { leadsPerDay: 0, visitsPerDay: 0 },
  logger: pino({ level: 'silent' }),
});
await app.listen({ port: 0, host: '127.0.0.1' });
const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const project = await ctx.store.createProject('Bench', Date.now());

const bare = Fastify();
bare.get('/bare', async () => ({ status: 'success', data: { id: 'x' } }));
bare.post('/bare', async () => ({ status: 'success', data: { id: 'x' } }));
await bare.listen({ port: 0, host: '127.0.0.1' });
const bareBase = `http://127.0.0.1:${(bare.server.address() as { port: number }).port}`;

console.log(`${DURATION} s each, ${CONNECTIONS} connections, ${process.platform} ${process.arch}, node ${process.version}`);
let n = 0;
// Distinct phones and emails so no lead is a duplicate of another (the duplicate check still runs).
const proxyQuery = () =>
  `key=${project.key}&title=Bench+%7Bvisit%7D&name=%D0%98%D0%B2%D0%B0%D0%BD&phone=%2B7999${String(n++).padStart(7, '0')}&email=b${n}%40example.com&fields%5Bprice%5D=123`;

await run('bare Fastify GET (no storage)', { url: `${bareBase}/bare` });
await run('proxy GET leads/add (durable)', {
  url: base,
  requests: [{ method: 'GET', setupRequest: (req: Record<string, unknown>) => ({ ...req, path: `/api/proxy/1.0/leads/add?${proxyQuery()}` }) }],
});
await run('bare Fastify POST (no storage)', { url: `${bareBase}/bare`, method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
await run('site POST leads (durable)', {
  url: base,
  requests: [
    {
      method: 'POST',
      path: `/api/site/1.0/${project.id}/leads`,
      headers: { 'content-type': 'text/plain' },
      setupRequest: (req: Record<string, unknown>) => ({
        ...req,
        body: JSON.stringify({ clientId: `bench-client-${n++}`, name: 'Ann', phone: `+7998${String(n).padStart(7, '0')}`, fields: { a: '{utmSource}' } }),
      }),
    },
  ],
});

const stored = (await ctx.store.listLeads(project.id, { limit: 1 })).items.length;
console.log(`stored leads present: ${stored > 0}`);
await bare.close();
await app.close();
rmSync(dir, { recursive: true, force: true });
