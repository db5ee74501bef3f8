// Projects (README "Projects"), on both stores: DELETE /api/v1/projects/:projectId removes the project
// and every row of it in every table with a project_id (found in the schema at run time, so a table
// added later is covered), leaves another project's data as it was, and keeps the audit entries;
// POST …/key gives a new key and the old one stops working for the proxy API at once.
import { expect, it } from 'vitest';
import type { App } from '../src/app.ts';
import { systemClock } from '../src/clock.ts';
import type { Db } from '../src/store/db.ts';
import { num } from '../src/store/rows.ts';
import type { Store } from '../src/store/types.ts';
import { newLead, onEachStore } from './store-helpers.ts';

const TOKEN = 'owner-token-abcdef';
const bearer = { authorization: `Bearer ${TOKEN}` };
const T0 = Date.UTC(2027, 0, 15, 12);
const FORM = { title: 'Contact', selector: '#contact', fields: {} };

/** Rows of the project in each table with a project_id, and in each table with a lead_id of its leads. */
async function rowsOf(db: Db, projectId: string): Promise<Record<string, number>> {
  const tables =
    db.dialect === 'sqlite'
      ? (await db.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")).map((r) => String(r.name))
      : (await db.all('SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()')).map((r) => String(r.table_name));
  const out: Record<string, number> = {};
  for (const t of tables) {
    const cols =
      db.dialect === 'sqlite'
        ? (await db.all('SELECT name FROM pragma_table_info(?)', [t])).map((r) => String(r.name))
        : (await db.all('SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?', [t])).map((r) =>
            String(r.column_name),
          );
    if (t === 'projects') out[t] = num((await db.get('SELECT COUNT(*) AS n FROM projects WHERE id = ?', [projectId]))?.n);
    else if (cols.includes('project_id')) out[t] = num((await db.get(`SELECT COUNT(*) AS n FROM ${t} WHERE project_id = ?`, [projectId]))?.n);
    else if (cols.includes('lead_id'))
      out[t] = num((await db.get(`SELECT COUNT(*) AS n FROM ${t} WHERE lead_id IN (SELECT id FROM leads WHERE project_id = ?)`, [projectId]))?.n);
  }
  return out;
}

onEachStore('lr_projdel', ({ startApp }) => {
  async function setup() {
    return startApp({ adminToken: TOKEN, clock: { now: () => T0, sleep: systemClock.sleep } });
  }

  /** A project with something in every table: forms, integration, settings, quotas, usage, visits, leads, jobs, attempts, comments. */
  async function filled(app: App['app'], s: Store, name: string) {
    const project = (await app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer, payload: { name } })).json();
    const p = `/api/v1/projects/${project.id}`;
    await app.inject({ method: 'POST', url: `${p}/forms`, headers: bearer, payload: FORM });
    await app.inject({ method: 'POST', url: `${p}/forms`, headers: bearer, payload: { ...FORM, title: 'Call back' } });
    await app.inject({ method: 'PUT', url: `${p}/integration`, headers: bearer, payload: { type: 'webhook', enabled: true, settings: { url: 'https://crm.example/hook' } } });
    await app.inject({ method: 'PUT', url: p, headers: bearer, payload: { retentionDays: 30, quotaLeadsPerDay: 100 } });
    await s.registerVisit(project.id, { landingPage: 'https://shop.example/', referrer: '', utm: {}, clickIds: {}, params: {}, firstVisit: null } as never, '1.2.3.4', 'ua', T0, 100);
    const a = (await s.ingestLead(newLead(project.id, { clientId: `${name}-1` }), T0, 100)).lead;
    await s.ingestLead(newLead(project.id, { clientId: `${name}-2`, phoneNorm: '', emailNorm: '' }), T0, 100);
    await s.addComment(project.id, a.id, 'Note', 'Call after 6', T0);
    const jobs = (await s.claimJobs('w', T0, 10, 60_000)).filter((j) => j.projectId === project.id);
    await s.failJob(jobs[0]!, { at: T0, ok: false, httpStatus: 503, error: 'down', durationMs: 5 }, T0 + 60_000, 'HTTP 503');
    // A table a later migration might add (missed forms, say): found at run time, not listed in code.
    await s.db.run('INSERT INTO later_table (project_id, note) VALUES (?, ?)', [project.id, name]);
    return project as { id: string; key: string; name: string };
  }

  it('deletes the project and all its data; another project stays as it was; the audit log keeps the record', async () => {
    const { app, store: s } = await setup();
    await s.db.run('CREATE TABLE later_table (project_id TEXT NOT NULL, note TEXT NOT NULL)');
    const doomed = await filled(app, s, 'Doomed');
    const kept = await filled(app, s, 'Kept');
    const before = await rowsOf(s.db, doomed.id);
    // Every table of a project holds something before, so "nothing remains" below means something.
    for (const t of ['projects', 'forms', 'integrations', 'project_settings', 'project_usage', 'visits', 'leads', 'jobs', 'attempts', 'lead_comments', 'later_table']) {
      expect(before[t], t).toBeGreaterThan(0);
    }
    const keptBefore = await rowsOf(s.db, kept.id);

    expect((await app.inject({ url: `/api/v1/projects/${doomed.id}/counts`, headers: bearer })).json()).toEqual({ forms: 2, leads: 2 });
    const res = await app.inject({ method: 'DELETE', url: `/api/v1/projects/${doomed.id}`, headers: bearer });
    expect(res.statusCode).toBe(204);

    const { audit_log: auditRows, ...after } = await rowsOf(s.db, doomed.id);
    expect(Object.values(after).every((n) => n === 0), JSON.stringify(after)).toBe(true);
    expect(auditRows).toBeGreaterThan(0);
    expect(after).toHaveProperty('later_table', 0);
    expect(await rowsOf(s.db, kept.id)).toEqual(keptBefore);

    expect((await app.inject({ url: `/api/v1/projects/${doomed.id}`, headers: bearer })).json().error).toBe('PROJECT_NOT_FOUND');
    expect((await app.inject({ url: `/api/site/1.0/${doomed.id}/config` })).statusCode).toBe(404);
    expect((await app.inject({ url: `/api/proxy/1.0/leads/add?key=${doomed.key}&name=Bob` })).json()).toMatchObject({ error: 'AUTH_ERROR' });
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/projects/${doomed.id}`, headers: bearer })).statusCode).toBe(404);
    const audit = (await app.inject({ url: `/api/v1/audit?projectId=${doomed.id}`, headers: bearer })).json().items;
    expect(audit[0]).toMatchObject({ actor: 'admin token', action: 'project.delete', detail: { name: 'Doomed', forms: 2, leads: 2 } });
  });

  it('a new key replaces the old one at once for the proxy API; a rename is kept', async () => {
    const { app } = await setup();
    const project = (await app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer, payload: { name: 'Shop' } })).json();
    const proxy = (key: string) => app.inject({ url: `/api/proxy/1.0/leads/add?key=${key}&name=Bob` });
    expect((await proxy(project.key)).json().status).toBe('success');
    const res = await app.inject({ method: 'POST', url: `/api/v1/projects/${project.id}/key`, headers: bearer });
    expect(res.statusCode).toBe(200);
    const { key } = res.json();
    expect(key).not.toBe(project.key);
    expect(key).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect((await proxy(project.key)).json()).toMatchObject({ status: 'error', error: 'AUTH_ERROR' });
    expect((await proxy(key)).json().status).toBe('success');

    const renamed = await app.inject({ method: 'PUT', url: `/api/v1/projects/${project.id}`, headers: bearer, payload: { name: '  Shop RU ' } });
    expect(renamed.json()).toMatchObject({ id: project.id, name: 'Shop RU', key });
    expect((await app.inject({ url: `/api/v1/projects/${project.id}`, headers: bearer })).json()).toMatchObject({ name: 'Shop RU', key });
    expect((await app.inject({ method: 'PUT', url: `/api/v1/projects/${project.id}`, headers: bearer, payload: { name: '' } })).statusCode).toBe(400);
  });
});
