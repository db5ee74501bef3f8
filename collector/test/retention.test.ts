// Retention (docs/privacy.md "Retention") on both stores, driven by the manual clock: leads older than
// the project's retentionDays go with their jobs, attempts and comments, old visits go, new ones stay,
// another project is untouched, a lead whose attempt is in flight waits for the next pass, batches
// are bounded and let other writes in, and the app's timer runs a pass at start and every hour,
// counted in /metrics.
import pino from 'pino';
import { afterAll, afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { VisitBody } from '../../shared/schemas.ts';
import { createManualClock } from '../../test-support/manual-clock.ts';
import { buildApp } from '../src/app.ts';
import { createMetrics } from '../src/metrics.ts';
import { purgeOlderThan, type Deleted } from '../src/privacy/purge.ts';
import { createRetention } from '../src/privacy/retention.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';
import { TOKEN } from './helpers.ts';
import { newLead, postgresSchemas } from './store-helpers.ts';

const postgres = postgresSchemas('lr_retention');
afterAll(postgres.dropAll);

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 5, 1, 12);
const silent = pino({ level: 'silent' });
const visitBody: VisitBody = { landingPage: 'https://shop.example/', referrer: '', utm: {}, clickIds: {}, params: {}, firstVisit: null };

describe.each([
  ['sqlite', async () => openSqliteStore({ file: ':memory:' })],
  ['postgres', postgres.open],
] as const)('%s store', (_name, open) => {
  let store: Store;
  let a: string;
  let b: string;
  beforeEach(async () => {
    store = await open();
    a = (await store.createProject('A', T0 - 100 * DAY)).id;
    b = (await store.createProject('B', T0 - 100 * DAY)).id;
    for (const p of [a, b]) await store.putIntegration(p, { type: 'webhook', enabled: true, settings: { url: 'http://crm.invalid/' } }, T0 - 100 * DAY);
    await store.putProjectSettings(a, { retentionDays: 30 }, T0 - 100 * DAY);
  });
  afterEach(async () => {
    await store.close();
  });

  const count = async (sql: string, params: unknown[]) => Number((await store.db.get(`SELECT COUNT(*) AS n FROM ${sql}`, params))!.n);
  const leadsOf = (p: string) => count('leads WHERE project_id = ?', [p]);
  const visitsOf = (p: string) => count('visits WHERE project_id = ?', [p]);
  const rowsOfLead = async (id: string) => ({
    lead: await count('leads WHERE id = ?', [id]),
    jobs: await count('jobs WHERE lead_id = ?', [id]),
    attempts: await count('attempts WHERE lead_id = ?', [id]),
    comments: await count('lead_comments WHERE lead_id = ?', [id]),
  });

  /** An old lead with a comment, a recorded attempt and a job waiting for its retry. */
  async function oldLeadWithHistory(projectId: string, at: number) {
    const lead = (await store.ingestLead(newLead(projectId, { phone: `+7 999 ${at % 1000}`, phoneNorm: `7999${at}`, emailNorm: '' }), at)).lead;
    const [job] = await store.claimJobs('w-old', at + 1, 1, MIN);
    expect(job?.leadId).toBe(lead.id);
    await store.failJob(job!, { at: at + 1, ok: false, httpStatus: 503, error: 'down', durationMs: 5 }, T0 + 10 * DAY, 'down');
    await store.addComment(projectId, lead.id, 'Call', 'asked for a call', at + 2);
    return lead.id;
  }

  test('a pass deletes what is older than retentionDays with its jobs, attempts and comments, in bounded batches', async () => {
    const history = await oldLeadWithHistory(a, T0 - 40 * DAY);
    expect(await rowsOfLead(history)).toEqual({ lead: 1, jobs: 2, attempts: 1, comments: 1 });
    // 25 more old leads (kept out of the CRM: no job) and 25 old visits, to be taken 10 at a time.
    for (let i = 0; i < 25; i++) await store.ingestLead(newLead(a, { send: false, phoneNorm: `7000${i}`, emailNorm: '' }), T0 - 31 * DAY - i * MIN);
    for (let i = 0; i < 25; i++) await store.registerVisit(a, { ...visitBody, landingPage: `https://shop.example/${i}` }, '1.2.3.4', 'ua', T0 - 35 * DAY + i);
    // Newer than 30 days: kept, with its comment.
    const recent = (await store.ingestLead(newLead(a, { phoneNorm: '7111', emailNorm: '' }), T0 - 29 * DAY)).lead.id;
    await store.addComment(a, recent, 'Note', 'keep me', T0 - 29 * DAY);
    await store.registerVisit(a, { ...visitBody, landingPage: 'https://shop.example/new' }, '1.2.3.4', 'ua', T0 - DAY);
    // Another project keeps everything forever (no retentionDays).
    await store.ingestLead(newLead(b, { send: false }), T0 - 400 * DAY);
    await store.registerVisit(b, visitBody, '5.6.7.8', 'ua', T0 - 400 * DAY);

    const clock = createManualClock(T0);
    const metrics = createMetrics();
    const batches: Deleted[] = [];
    const record = metrics.recordRetentionDeleted;
    metrics.recordRetentionDeleted = (d) => {
      batches.push(d);
      record(d);
    };
    const retention = createRetention({ store, clock, log: silent, metrics, batchSize: 10 });
    const deleted = await retention.runOnce();

    expect(deleted).toEqual({ leads: 26, visits: 25, jobs: 2, attempts: 1, comments: 1 });
    expect(await rowsOfLead(history)).toEqual({ lead: 0, jobs: 0, attempts: 0, comments: 0 });
    expect(await rowsOfLead(recent)).toMatchObject({ lead: 1, comments: 1 });
    expect(await leadsOf(a)).toBe(1);
    expect(await visitsOf(a)).toBe(1);
    expect([await leadsOf(b), await visitsOf(b)]).toEqual([1, 1]);
    // 26 leads and 25 visits, at most 10 of either a batch: three batches each.
    expect(batches.every((d) => d.leads <= 10 && d.visits <= 10 && !(d.leads && d.visits))).toBe(true);
    expect(batches.filter((d) => d.leads).map((d) => d.leads)).toEqual([10, 10, 6]);
    expect(batches.filter((d) => d.visits).map((d) => d.visits)).toEqual([10, 10, 5]);
    expect(await metrics.render()).toContain('leadrelay_retention_deleted_total{kind="leads"} 26');

    // A second pass finds nothing more.
    expect(await retention.runOnce()).toEqual({ leads: 0, visits: 0, jobs: 0, attempts: 0, comments: 0 });
  });

  test('a lead whose delivery attempt is in flight is kept until the attempt is recorded', async () => {
    const lead = (await store.ingestLead(newLead(a), T0 - 35 * DAY)).lead.id;
    // A worker holds its job right now (the lease runs until T0 + 1 min).
    const [job] = await store.claimJobs('w-now', T0, 10, MIN);
    expect(job?.leadId).toBe(lead);
    const retention = createRetention({ store, clock: createManualClock(T0), log: silent });
    expect((await retention.runOnce()).leads).toBe(0);
    expect(await rowsOfLead(lead)).toEqual({ lead: 1, jobs: 1, attempts: 0, comments: 0 });

    await store.completeJob(job!, { at: T0, ok: true, httpStatus: 200, error: null, durationMs: 20 }, 'deal-1');
    expect((await store.getLead(a, lead))?.status).toBe('sent');
    expect((await retention.runOnce()).leads).toBe(1);
    expect(await rowsOfLead(lead)).toEqual({ lead: 0, jobs: 0, attempts: 0, comments: 0 });
  });

  test('between batches other writes get their turn: a lead sent mid-purge is stored before it ends', async () => {
    for (let i = 0; i < 30; i++) await store.ingestLead(newLead(a, { send: false, phoneNorm: `7000${i}`, emailNorm: '' }), T0 - 40 * DAY + i);
    let purgeDone = false;
    let storedMidPurge: boolean | null = null;
    let pauses = 0;
    const purge = purgeOlderThan(store.db, a, T0 - 30 * DAY, T0, {
      batchSize: 10,
      pause: async () => {
        pauses += 1;
        if (pauses === 1) {
          await store.ingestLead(newLead(a, { clientId: 'mid-purge', phoneNorm: '7222', emailNorm: '' }), T0);
          storedMidPurge = !purgeDone;
        }
      },
    });
    const deleted = await purge;
    purgeDone = true;
    expect(deleted.leads).toBe(30);
    expect(storedMidPurge).toBe(true);
    expect(await leadsOf(a)).toBe(1);
  });

  test('the app runs a pass when ready and then every hour on its clock; /metrics counts the deletions', async () => {
    await oldLeadWithHistory(a, T0 - 40 * DAY);
    // Past 30 days 30 minutes after T0: the start's pass keeps it, the next hour's pass deletes it.
    const soon = (await store.ingestLead(newLead(a, { send: false, phoneNorm: '7333', emailNorm: '' }), T0 - 30 * DAY + 30 * MIN)).lead.id;
    await store.registerVisit(a, visitBody, '1.2.3.4', 'ua', T0 - 31 * DAY);

    const clock = createManualClock(T0);
    const built = await buildApp({ adminToken: TOKEN, logger: silent, store, clock, worker: false, retention: { batchSize: 50 } });
    await built.app.ready();
    await built.retention!.settled();
    expect(await leadsOf(a)).toBe(1);
    expect(await visitsOf(a)).toBe(0);
    expect(await rowsOfLead(soon)).toMatchObject({ lead: 1 });

    await clock.advance(HOUR);
    await built.retention!.settled();
    expect(await leadsOf(a)).toBe(0);
    const scrape = (await built.app.inject({ url: '/metrics' })).body;
    expect(scrape).toContain('leadrelay_retention_deleted_total{kind="leads"} 2');
    expect(scrape).toContain('leadrelay_retention_deleted_total{kind="visits"} 1');
    expect(scrape).toContain('leadrelay_retention_deleted_total{kind="attempts"} 1');
    expect(scrape).toContain('leadrelay_retention_deleted_total{kind="comments"} 1');
    await built.app.close();
    // Closing the app stopped the timer: nothing sleeps on the clock any more.
    expect(clock.pendingSleeps()).toBe(0);
  });
});

test('retention is off in an app without the worker unless asked, and on with the worker', async () => {
  const off = await buildApp({ adminToken: TOKEN, logger: silent, worker: false });
  expect(off.retention).toBeNull();
  await off.app.close();
  const clock = createManualClock(T0);
  const on = await buildApp({ adminToken: TOKEN, logger: silent, clock, workerPollMs: HOUR * 24 });
  expect(on.retention).not.toBeNull();
  await on.app.close();
});
