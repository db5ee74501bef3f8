// The leads page's summary and the resend of selected leads (docs/http-api.md "Leads summary"), on
// both stores: days counted at the viewer's offset, only the last 30 days, the delivered share, the
// oldest undelivered lead, per-form counts of the last 7 days.
import { afterAll, describe, expect, it } from 'vitest';
import type { LeadStatus } from '../../shared/schemas.ts';
import { createManualClock } from '../../test-support/manual-clock.ts';
import type { LeadsSummary } from '../../shared/admin-api.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';
import { auth, newProject, testApp } from './helpers.ts';
import { newLead, postgresSchemas } from './store-helpers.ts';

const postgres = postgresSchemas('lr_summary');
afterAll(() => postgres.dropAll());

const DAY = 86_400_000;
const HOUR = 3_600_000;
// 2026-03-10 12:00 UTC: "now" in every test.
const NOW = Date.UTC(2026, 2, 10, 12, 0, 0);

describe.each([
  ['sqlite', async () => openSqliteStore({ file: ':memory:' })],
  ['postgres', () => postgres.open()],
] as [string, () => Promise<Store>][])('leads summary on %s', (_name, open) => {
  async function setUp() {
    const store = await open();
    const clock = createManualClock(NOW);
    const { app } = await testApp({ store, clock });
    const project = await newProject(app);
    let n = 0;
    const add = async (at: number, status: LeadStatus, formId: string | null = null, name = `L${n}`) => {
      n += 1;
      const { lead } = await store.ingestLead(newLead(project.id, { name, formId, phoneNorm: `7999000${n}`, emailNorm: `l${n}@example.com` }), at);
      await store.db.run('UPDATE leads SET status = ? WHERE id = ?', [status, lead.id]);
      return lead.id;
    };
    const summary = async (offset?: number) => {
      const res = await app.inject({ method: 'GET', url: `/api/v1/projects/${project.id}/leads/summary${offset === undefined ? '' : `?offset=${offset}`}`, headers: auth });
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as LeadsSummary;
    };
    return { app, store, project, add, summary, close: async () => { await app.close(); await store.close(); } };
  }

  it('counts leads per day by status for the last 30 days only, and the share delivered', async () => {
    const t = await setUp();
    await t.add(NOW - HOUR, 'sent');
    await t.add(NOW - 2 * HOUR, 'sent');
    await t.add(NOW - 3 * HOUR, 'failed');
    await t.add(NOW - 4 * HOUR, 'test');
    await t.add(NOW - DAY, 'duplicate');
    await t.add(NOW - 29 * DAY, 'sent');
    await t.add(NOW - 31 * DAY, 'failed'); // older than the 30 days: not counted

    const s = await t.summary();
    expect(s.days).toHaveLength(30);
    expect(s.days[0]!.date).toBe('2026-02-09');
    expect(s.days[29]).toEqual({ date: '2026-03-10', total: 4, byStatus: { sent: 2, failed: 1, test: 1 } });
    expect(s.days[28]).toEqual({ date: '2026-03-09', total: 1, byStatus: { duplicate: 1 } });
    expect(s.days[0]).toEqual({ date: '2026-02-09', total: 1, byStatus: { sent: 1 } });
    expect(s.days.slice(1, 28).every((d) => d.total === 0)).toBe(true);
    expect(s.since).toBe('2026-02-09T00:00:00.000Z');
    expect(s.total).toBe(6);
    expect(s.sent).toBe(3);
    // 3 sent of 4 meant for the CRM (the test lead and the duplicate are not).
    expect(s.deliveredShare).toBe(0.75);
    await t.close();
  });

  it("starts days at the viewer's midnight", async () => {
    const t = await setUp();
    // 22:30 UTC yesterday is 01:30 today in Moscow (+180 min).
    await t.add(Date.UTC(2026, 2, 9, 22, 30), 'sent');
    expect((await t.summary(0)).days[28]!.total).toBe(1);
    const moscow = await t.summary(180);
    expect(moscow.days[29]).toMatchObject({ date: '2026-03-10', total: 1 });
    expect(moscow.since).toBe('2026-02-08T21:00:00.000Z');
    await t.close();
  });

  it('names the oldest undelivered lead, and has no share without leads for the CRM', async () => {
    const t = await setUp();
    expect(await t.summary()).toMatchObject({ total: 0, deliveredShare: null, oldestUndelivered: null, forms: [] });
    await t.add(NOW - 5 * DAY, 'sent', null, 'Delivered');
    const oldest = await t.add(NOW - 3 * DAY, 'failed', null, 'Маша');
    await t.add(NOW - 2 * DAY, 'retrying', null, 'Later');
    await t.add(NOW - DAY, 'not_sent', null, 'Kept');
    const s = await t.summary();
    expect(s.oldestUndelivered).toEqual({
      id: oldest, name: 'Маша', phone: '+7 999 111-22-33', email: 'ann@example.com', status: 'failed', createdAt: new Date(NOW - 3 * DAY).toISOString(),
    });
    await t.close();
  });

  it('gives each form its leads of the last 7 days and the time of its last lead', async () => {
    const t = await setUp();
    await t.add(NOW - HOUR, 'sent', 'f-busy');
    await t.add(NOW - 6 * DAY, 'sent', 'f-busy');
    await t.add(NOW - 8 * DAY, 'sent', 'f-busy');
    await t.add(NOW - 10 * DAY, 'failed', 'f-stopped');
    await t.add(NOW - HOUR, 'sent', null);
    const forms = (await t.summary()).forms.sort((a, b) => a.formId.localeCompare(b.formId));
    expect(forms).toEqual([
      { formId: 'f-busy', last7Days: 2, lastLeadAt: new Date(NOW - HOUR).toISOString() },
      { formId: 'f-stopped', last7Days: 0, lastLeadAt: new Date(NOW - 10 * DAY).toISOString() },
    ]);
    await t.close();
  });

  it('resends the selected leads, skipping a sent one, a test one and an unknown id', async () => {
    const t = await setUp();
    const failed = await t.add(NOW - HOUR, 'failed');
    const noCrm = await t.add(NOW - HOUR, 'no_integration');
    const sent = await t.add(NOW - HOUR, 'sent');
    const testLead = await t.add(NOW - HOUR, 'test');
    const untouched = await t.add(NOW - HOUR, 'failed');
    const res = await t.app.inject({
      method: 'POST', url: `/api/v1/projects/${t.project.id}/leads/resend`, headers: auth, payload: { ids: [failed, noCrm, sent, testLead, 'no-such-lead', failed] },
    });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ queued: 2 });
    const statusOf = async (id: string) => (await t.store.getLead(t.project.id, id))!.status;
    expect(await statusOf(failed)).toBe('pending');
    expect(await statusOf(noCrm)).toBe('pending');
    expect(await statusOf(sent)).toBe('sent');
    // A test lead never reaches the CRM, not even when selected (docs/http-api.md "Test leads").
    expect(await statusOf(testLead)).toBe('test');
    expect(await statusOf(untouched)).toBe('failed');
    // An empty list is refused, not taken as "all".
    const empty = await t.app.inject({ method: 'POST', url: `/api/v1/projects/${t.project.id}/leads/resend`, headers: auth, payload: { ids: [] } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error).toBe('VALIDATION_ERROR');
    await t.close();
  });

  it('needs the admin token, a known project, and a sane offset', async () => {
    const t = await setUp();
    const url = `/api/v1/projects/${t.project.id}/leads/summary`;
    expect((await t.app.inject({ method: 'GET', url })).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/projects/nope/leads/summary', headers: auth })).json().error).toBe('PROJECT_NOT_FOUND');
    const bad = await t.app.inject({ method: 'GET', url: `${url}?offset=100000`, headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error).toBe('VALIDATION_ERROR');
    await t.close();
  });
});
