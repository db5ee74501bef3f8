// The collector on PostgreSQL as the scaling bench runs it: one child process per collector, all on one
// schema (several collector processes sharing PostgreSQL, docs/architecture.md), the delivery worker off
// so ingest is measured alone. Env: DATABASE_URL, PG_SCHEMA, WEBHOOK_URL, PROJECT_IDS (comma-separated,
// optional: the projects another child created), PROJECTS (how many to create when PROJECT_IDS is unset).
import pino from 'pino';
import type { AddressInfo } from 'node:net';
import { buildApp } from '../collector/src/app.ts';
import { quotasFromEnv, rateLimitFromEnv } from '../collector/src/config.ts';
import { openPostgresStore } from '../collector/src/store/postgres.ts';
import { ensureBenchProject } from './fixture.ts';

// As in collector-server.ts: the per-IP limits on but out of reach, no daily quota.
process.env.RATE_LIMIT_SITE_PER_MINUTE ??= '1000000000';
process.env.RATE_LIMIT_PROXY_PER_MINUTE ??= '1000000000';
process.env.QUOTA_LEADS_PER_DAY ??= '0';
process.env.QUOTA_VISITS_PER_DAY ??= '0';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('DATABASE_URL is required');
const store = await openPostgresStore({ connectionString, ...(process.env.PG_SCHEMA ? { schema: process.env.PG_SCHEMA } : {}), applicationName: 'leadrelay-bench' });
const { app, ctx } = await buildApp({ store, adminToken: 'bench-admin-token-0123456789', logger: pino({ level: 'silent' }), worker: false, retention: false, rateLimit: rateLimitFromEnv(), quotas: quotasFromEnv() });
const webhook = process.env.WEBHOOK_URL ?? 'http://127.0.0.1:9/unused';
const given = process.env.PROJECT_IDS?.split(',').filter(Boolean) ?? [];
const projects = [];
if (given.length) for (const id of given) projects.push(await ensureBenchProject(ctx.store, webhook, id));
else for (let i = 0; i < Number(process.env.PROJECTS ?? 1); i++) projects.push(await ensureBenchProject(ctx.store, webhook));
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`READY ${JSON.stringify({ port: (app.server.address() as AddressInfo).port, projects })}\n`);
process.on('SIGTERM', async () => {
  await app.close();
  await store.close();
  process.exit(0);
});
