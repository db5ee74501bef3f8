// Test leads (docs/http-api.md "Test leads"), on both stores: the site API's `test: true` and the proxy
// API's `is_test=1` store a lead with status `test` that never queues a CRM job (not for a comment
// either, nor by a resend), is never an original for duplicates, is listed by `?status=test`, and still counts against
// the project's daily quota.
import { expect, it } from 'vitest';
import { onEachStore } from './store-helpers.ts';
import { siteLead } from './helpers.ts';

const ADMIN = { authorization: 'Bearer admin' };
const TEXT = { 'content-type': 'text/plain' };

onEachStore('lr_testleads', ({ startApp }) => {
  async function setup() {
    // sync=1 would wait this long for a lead that never settles: far past the test's own time limit.
    const { app, store } = await startApp({ adminToken: 'admin', proxySyncTimeoutMs: 60_000, rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 } });
    const project = await store.createProject('Shop', Date.now());
    const put = await app.inject({ method: 'PUT', url: `/api/v1/projects/${project.id}/integration`, headers: ADMIN, payload: { type: 'webhook', enabled: true, settings: { url: 'http://127.0.0.1:9/hook' } } });
    expect(put.statusCode).toBe(200);
    const site = (body: unknown) => app.inject({ method: 'POST', url: `/api/site/1.0/${project.id}/leads`, headers: TEXT, payload: JSON.stringify(body) });
    const proxy = (query: string) => app.inject({ url: `/api/proxy/1.0/leads/add?key=${project.key}&${query}` });
    const list = async (status?: string) =>
      (await app.inject({ url: `/api/v1/projects/${project.id}/leads${status ? `?status=${status}` : ''}`, headers: ADMIN })).json().items as { id: string; status: string; duplicateOf: string | null }[];
    return { app, store, project, site, proxy, list };
  }

  it('a site lead with test: true is stored as test, queues no job and is listed by ?status=test', async () => {
    const { store, site, list } = await setup();
    const res = await site(siteLead({ test: true }));
    expect(res.statusCode).toBe(202);
    const id = res.json().data.id;
    expect((await store.getLead((await store.listProjects())[0]!.id, id))?.status).toBe('test');
    expect((await store.queueStats(Date.now())).depth).toBe(0);
    const normal = (await site(siteLead({ phone: '+7 900 000-00-01', email: 'other@example.com' }))).json().data.id;
    expect((await store.queueStats(Date.now())).depth).toBe(1);
    expect((await list('test')).map((l) => l.id)).toEqual([id]);
    expect((await list('pending')).map((l) => l.id)).toEqual([normal]);
    // test: false is an ordinary lead.
    const plain = (await site(siteLead({ test: false, phone: '+7 900 000-00-02', email: 'x@example.com' }))).json().data.id;
    expect((await list()).find((l) => l.id === plain)?.status).toBe('pending');
  });

  it('a resend of a test lead is refused: it never reaches the CRM', async () => {
    const { app, store, project, site } = await setup();
    const id = (await site(siteLead({ test: true }))).json().data.id;
    const res = await app.inject({ method: 'POST', url: `/api/v1/projects/${project.id}/leads/${id}/resend`, headers: ADMIN });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ status: 'error', error: 'TEST_LEAD' });
    expect((await store.getLead(project.id, id))?.status).toBe('test');
    expect((await store.queueStats(Date.now())).depth).toBe(0);
  });

  it('a test lead is never the original of a later real lead with the same phone', async () => {
    const { site, list } = await setup();
    await site(siteLead({ test: true }));
    const real = (await site(siteLead())).json().data.id;
    expect((await list()).find((l) => l.id === real)).toMatchObject({ status: 'pending', duplicateOf: null });
  });

  it('the proxy API takes is_test=1 (and is_test=0 as an ordinary lead); sync=1 answers a test lead at once', async () => {
    const { proxy, list } = await setup();
    const test = await proxy('name=Ann&phone=%2B79990001122&is_test=1');
    expect(test.json()).toMatchObject({ status: 'success', data: { status: 'test' } });
    const plain = await proxy('name=Bob&phone=%2B79990003344&is_test=0');
    expect(plain.json().data.status).toBe('pending');
    const sync = await proxy('name=Cid&phone=%2B79990005566&is_test=1&sync=1');
    expect(sync.json()).toMatchObject({ status: 'success', data: { status: 'test' } });
    expect((await list('test')).map((l) => l.id).sort()).toEqual([test.json().data.id, sync.json().data.id].sort());
  });

  it('a messages/add comment on a test lead is kept but never queues a CRM note', async () => {
    const { app, store, project, proxy } = await setup();
    const id = (await proxy('name=Ann&phone=%2B79990001122&is_test=1')).json().data.id;
    const res = await app.inject({ url: `/api/proxy/1.0/leads/messages/add?key=${project.key}&id=${id}&message=${encodeURIComponent('called back')}` });
    expect(res.json()).toEqual({ status: 'success', data: { id } });
    expect((await store.getLead(project.id, id))?.comments.map((c) => c.message)).toEqual(['called back']);
    expect((await store.queueStats(Date.now())).depth).toBe(0);
  });

  it('test leads count against the daily quota (an anonymous page can send them)', async () => {
    const { store, project, site } = await setup();
    await store.setProjectQuotas(project.id, { leadsPerDay: 1, visitsPerDay: null });
    expect((await site(siteLead({ test: true }))).statusCode).toBe(202);
    const over = await site(siteLead({ phone: '+7 900 000-00-09', email: 'n@example.com' }));
    expect(over.statusCode).toBe(429);
    expect(over.json().error).toBe('QUOTA_EXCEEDED');
  });
});
