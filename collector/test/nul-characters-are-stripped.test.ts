// A NUL character (U+0000) in any text a client sends is stripped before it is stored: PostgreSQL's
// text refuses it (SQLite takes it), and a 500 there made the snippet retry that lead forever. Both
// stores store the same text, from every source: proxy leads and comments, site leads, visits.
import { describe, expect, it } from 'vitest';
import { newLead, onEachStore } from './store-helpers.ts';

const NUL = '\u0000';
const ADD = '/api/proxy/1.0/leads/add';

onEachStore('lr_nul', ({ openStore, startApp }) => {
  async function setup() {
    const { app, store } = await startApp({ adminToken: 'admin', rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 } });
    const project = await store.createProject('Shop', Date.now());
    return { app, store, project };
  }

  it('proxy leads/add: title, name, phone, email, comment, fields keys and values, client fields, unknown parameters', async () => {
    const { app, store, project } = await setup();
    const q = [
      `key=${project.key}`,
      'title=Or%00der',
      'name=An%00n',
      'phone=%2B7%00999%00111-22-33',
      'email=a%00nn@example.com',
      'comment=hel%00lo',
      'order_creation_method=ph%00one',
      'fields[ci%00ty]=Mos%00cow',
      'fields[list][]=a%00',
      'client_fields[com%00pany]=Ac%00me',
      'unkn%00own=va%00lue',
      'roistat=nocookie',
    ].join('&');
    const res = await app.inject({ method: 'GET', url: `${ADD}?${q}` });
    expect(res.json()).toMatchObject({ status: 'success' });
    const lead = (await store.getLead(project.id, (res.json() as { data: { id: string } }).data.id))!;
    expect(lead).toMatchObject({
      title: 'Order',
      name: 'Ann',
      phone: '+7999111-22-33',
      email: 'ann@example.com',
      comment: 'hello',
      orderCreationMethod: 'phone',
      fields: { city: 'Moscow', list: ['a'] },
      clientFields: { company: 'Acme' },
    });
    expect(JSON.stringify(lead)).not.toContain('\\u0000');
  });

  it('proxy leads/add by a JSON body, and messages/add with a NUL in the title, the message and the lead id', async () => {
    const { app, store, project } = await setup();
    const res = await app.inject({
      method: 'POST',
      url: ADD,
      payload: JSON.stringify({ key: project.key, name: `Bo${NUL}b`, fields: { [`k${NUL}`]: [`v${NUL}1`] } }),
      headers: { 'content-type': 'application/json' },
    });
    const id = (res.json() as { data: { id: string } }).data.id;
    expect((await store.getLead(project.id, id))!).toMatchObject({ name: 'Bob', fields: { k: ['v1'] } });

    const note = await app.inject({
      method: 'GET',
      url: `/api/proxy/1.0/leads/messages/add?key=${project.key}&id=${id}&title=Ca%00ll&message=to%00morrow`,
    });
    expect(note.json()).toEqual({ status: 'success', data: { id } });
    expect((await store.getLead(project.id, id))!.comments).toMatchObject([{ title: 'Call', message: 'tomorrow' }]);

    const wrongId = await app.inject({ method: 'GET', url: `/api/proxy/1.0/leads/messages/add?key=${project.key}&id=x%00y&message=m` });
    expect(wrongId.json()).toMatchObject({ status: 'error', error: 'LEAD_NOT_FOUND' });
    const wrongKey = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}%00&name=A` });
    expect(wrongKey.statusCode).toBeLessThan(500);
  });

  it('site API: a lead (name, fields, context) and a visit (landing page, referrer, UTM, click ids)', async () => {
    const { app, store, project } = await setup();
    const visitRes = await app.inject({
      method: 'POST',
      url: `/api/site/1.0/${project.id}/visits`,
      payload: JSON.stringify({
        landingPage: `https://shop.example/${NUL}?utm_source=ya`,
        referrer: `https://ya.ru/${NUL}`,
        utm: { source: `ya${NUL}`, campaign: `so${NUL}fas` },
        clickIds: { [`yclid${NUL}`]: `1${NUL}2` },
        params: { '1': `red${NUL}` },
      }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(visitRes.statusCode).toBe(200);
    const visitNumber = (visitRes.json() as { visit: number }).visit;
    expect(await store.getVisit(project.id, visitNumber)).toMatchObject({
      landingPage: 'https://shop.example/?utm_source=ya',
      referrer: 'https://ya.ru/',
      utm: { source: 'ya', campaign: 'sofas' },
      clickIds: { yclid: '12' },
      params: { '1': 'red' },
    });

    const leadRes = await app.inject({
      method: 'POST',
      url: `/api/site/1.0/${project.id}/leads`,
      payload: JSON.stringify({
        clientId: `client-${NUL}-12345`,
        name: `Ev${NUL}e`,
        phone: `+7 999 ${NUL}000-11-22`,
        fields: { [`co${NUL}lor`]: `re${NUL}d`, sizes: [`S${NUL}`, 'M'] },
        context: { page: `https://shop.example/${NUL}contacts`, referrer: `https://ya.ru/${NUL}x`, visit: visitNumber },
      }),
      headers: { 'content-type': 'text/plain' },
    });
    expect(leadRes.statusCode).toBe(202);
    const lead = (await store.getLead(project.id, (leadRes.json() as { data: { id: string } }).data.id))!;
    expect(lead).toMatchObject({
      name: 'Eve',
      phone: '+7 999 000-11-22',
      fields: { color: 'red', sizes: ['S', 'M'] },
      page: 'https://shop.example/contacts',
      referrer: 'https://ya.ru/x',
      utm: { source: 'ya', campaign: 'sofas' },
    });
    // The same lead sent again (its clientId with the NUL) is still the one lead.
    const again = await app.inject({
      method: 'POST',
      url: `/api/site/1.0/${project.id}/leads`,
      payload: JSON.stringify({ clientId: `client-${NUL}-12345`, name: 'Eve' }),
      headers: { 'content-type': 'text/plain' },
    });
    expect((again.json() as { data: { id: string } }).data.id).toBe(lead.id);
  });

  it('a CRM error text with a NUL is recorded on the attempt', async () => {
    const store = await openStore();
    const project = await store.createProject('P', 1_000);
    await store.putIntegration(project.id, { type: 'webhook', enabled: true, settings: { url: 'http://x' } }, 1_000);
    const { lead } = await store.ingestLead(newLead(project.id), 1_000);
    const [job] = await store.claimJobs('w1', 1_000, 1, 60_000);
    await store.failJob(job!, { at: 1_001, ok: false, httpStatus: 500, error: `bad${NUL}body`, durationMs: 5 }, 2_000, `HTTP 500: bad${NUL}body`);
    expect(await store.getLead(project.id, lead.id)).toMatchObject({ status: 'retrying', lastError: 'HTTP 500: badbody' });
    expect(await store.listAttempts(lead.id)).toMatchObject([{ error: 'badbody' }]);
  });
});

describe('withoutNul', () => {
  it('strips strings, arrays and keys deeply, keeps other values, and never sets a prototype', async () => {
    const { withoutNul } = await import('../src/store/without-nul.ts');
    const input = JSON.parse('{"a\\u0000":["x\\u0000",1,null,true],"__proto__":{"polluted\\u0000":"y"},"n":{"m":"\\u0000"}}') as Record<string, unknown>;
    const out = withoutNul(input);
    expect(JSON.stringify(out)).toBe('{"a":["x",1,null,true],"__proto__":{"polluted":"y"},"n":{"m":""}}');
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    const clean = { a: 'b', list: ['c'] };
    expect(withoutNul(clean)).toBe(clean);
  });
});
