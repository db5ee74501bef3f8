// The collector as the bench runs it: a child process on a given SQLite file (WAL,
// synchronous=FULL, as in production), built by buildApp with the delivery worker off so ingest is
// measured alone. Env: DB_FILE, PROJECT_ID (optional, a pre-filled project), WEBHOOK_URL, and
// CPU_PROFILE (a file): SIGUSR2 starts the CPU profiler (after the bench's warm-up, so start-up
// compilation stays out of it) and SIGTERM writes the profile.
import pino from 'pino';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../collector/src/app.ts';
import { quotasFromEnv, rateLimitFromEnv } from '../collector/src/config.ts';
import { writeFileSync } from 'node:fs';
import { ensureBenchProject } from './fixture.ts';
import { startProfiler } from './profile.ts';
import { MEMORY_LINE, trackMemoryPeak } from './memory-peak.ts';

// The per-IP limits stay on, so their cost per request is measured, but set so high that the
// load generator's one IP never meets them.
process.env.RATE_LIMIT_SITE_PER_MINUTE ??= '1000000000';
process.env.RATE_LIMIT_PROXY_PER_MINUTE ??= '1000000000';
// A benchmark stores far more than a day's default quota of leads in one project.
process.env.QUOTA_LEADS_PER_DAY ??= '0';
process.env.QUOTA_VISITS_PER_DAY ??= '0';

const memoryPeak = trackMemoryPeak();
const dbFile = process.env.DB_FILE;
if (!dbFile) throw new Error('DB_FILE is required');
const { app, ctx } = await buildApp({ dbFile, adminToken: 'bench-admin-token-0123456789', logger: pino({ level: 'silent' }), worker: false, rateLimit: rateLimitFromEnv(), quotas: quotasFromEnv() });
const project = await ensureBenchProject(ctx.store, process.env.WEBHOOK_URL ?? 'http://127.0.0.1:9/unused', process.env.PROJECT_ID || undefined);
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`READY ${JSON.stringify({ port: (app.server.address() as AddressInfo).port, ...project })}\n`);
const profileFile = process.env.CPU_PROFILE;
let stopProfiler: (() => Promise<unknown>) | null = null;
if (profileFile) process.on('SIGUSR2', () => void startProfiler().then((stop) => (stopProfiler = stop)));
process.on('SIGTERM', async () => {
  process.stdout.write(`${MEMORY_LINE}${JSON.stringify(memoryPeak())}\n`);
  if (profileFile && stopProfiler) writeFileSync(profileFile, JSON.stringify(await stopProfiler()));
  app.close().then(() => process.exit(0));
});
