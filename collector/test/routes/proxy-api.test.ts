import { readFileSync } from 'node:fs';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Lead } from '../../../shared/schemas.ts';
import { buildApp, type App } from '../../src/app.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/proxy/${name}.txt`, import.meta.url), 'latin1');
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const ADD = '/api/proxy/1.0/leads/add';
const MESSAGES = '/api/proxy/1.0/leads/messages/add';

interface CrmCall {
  url: string;
  body: Record<string, unknown>;
}

/** A webhook CRM that answers with `answer` and records what it received. */
function mockCrm(answer: (call: CrmCall) => Response | Promise<Response> = () => Response.json({ id: 'DEAL-1' })) {
  const calls: CrmCall[] = [];
  const fetchImpl = (async (input: string | URL | Request, init?: RequestInit) => {
    const call = { url: String(input), body: JSON.parse(String(init?.body ?? '{}')) as Record<string, unknown> };
    calls.push(call);
    return answer(call);
  }) as typeof fetch;
  return { calls, fetch: fetchImpl };
}

let current: App | null = null;
afterEach(async () => {
  await current?.app.close();
  current = null;
});

async function setup(opts: { crm?: ReturnType<typeof mockCrm>; integration?: boolean; callbackUrl?: string; proxySyncTimeoutMs?: number } = {}) {
  const crm = opts.crm ?? mockCrm();
  current = await buildApp({
    adminToken: 'admin',
    fetch: crm.fetch,
    workerPollMs: 10,
    logger: pino({ level: 'silent' }),
    ...(opts.proxySyncTimeoutMs ? { proxySyncTimeoutMs: opts.proxySyncTimeoutMs } : {}),
  });
  const { app, ctx } = current;
  const project = await ctx.store.createProject('Shop', Date.now());
  if (opts.integration) {
    await ctx.store.putIntegration(
      project.id,
      { type: 'webhook', enabled: true, settings: { url: 'http://crm.test/hook', secret: 's' }, callbackUrl: opts.callbackUrl ?? '' },
      Date.now(),
    );
  }
  const lead = async (id: string): Promise<Lead> => (await ctx.store.getLead(project.id, id))!;
  return { app, ctx, project, crm, lead, withKey: (q: string) => q.replace('PROJECTKEY', project.key) };
}

describe('leads/add with the reference article fixtures', () => {
  it.each(['GET', 'POST'] as const)('stores every parameter of the article by %s', async (method) => {
    const { app, lead, withKey } = await setup();
    const q = withKey(fixture('leads-add-reference'));
    const res =
      method === 'GET'
        ? await app.inject({ method, url: `${ADD}?${q}` })
        : await app.inject({ method, url: ADD, payload: q, headers: FORM });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { status: string; data: { id: string; status: string } };
    expect(body.status).toBe('success');
    const stored = await lead(body.data.id);
    expect(stored).toMatchObject({
      source: 'proxy',
      visit: 123456,
      title: 'Новая сделка 123456',
      comment: 'utm_source: , utm_medium: , utm_campaign: ',
      name: 'Иван Петров',
      email: 'ivan@example.com',
      phone: '+7 (999) 123-45-67',
      orderCreationMethod: 'Заявка с сайта',
      callback: false,
      status: 'not_sent', // is_skip_sending=1
      fields: {
        price: '123',
        responsible_user_id: '3',
        '1276733': 'Текст',
        tags: 'Тег1, , , ',
        lead_UF_CRM_1234567890: ['51', '52', '53'],
        existing_good_uuid: '{"uuid":"GOOD_ID"}',
        Город: '',
      },
      clientFields: { '1276734': 'Клиент ~ VIP*' },
    });
    expect(body.data.status).toBe('not_sent');
  });

  it.each(['GET', 'POST'] as const)('converts Windows-1251 named in fields[charset] by %s', async (method) => {
    const { app, lead, withKey } = await setup();
    const q = withKey(fixture('leads-add-windows-1251'));
    const res =
      method === 'GET'
        ? await app.inject({ method, url: `${ADD}?${q}` })
        : await app.inject({ method, url: ADD, payload: Buffer.from(q, 'latin1'), headers: FORM });
    expect(res.statusCode).toBe(200);
    const stored = await lead((res.json() as { data: { id: string } }).data.id);
    expect([stored.name, stored.title, stored.comment, stored.visit]).toEqual(['Иван', 'Заявка с сайта', 'Перезвоните мне после 18:00', null]);
    expect(stored.fields).toEqual({ Город: 'Москва', lead_UF_CRM_1234567890: ['51', '52'] });
  });

  it('converts from a top-level charset, and reads hand-built `[]` arrays', async () => {
    const { app, lead, withKey } = await setup();
    const a = await app.inject({ method: 'GET', url: `${ADD}?${withKey(fixture('leads-add-charset-top-level'))}` });
    expect((await lead((a.json() as { data: { id: string } }).data.id)).clientFields).toEqual({ position: 'Директор' });
    const b = await app.inject({ method: 'POST', url: ADD, payload: withKey(fixture('leads-add-append-arrays')), headers: FORM });
    expect((await lead((b.json() as { data: { id: string } }).data.id)).fields).toEqual({
      lead_UF_CRM_1234567890: ['51', '52'],
      color: ['red', 'blue'],
    });
  });

  it('takes a JSON body and a text/plain JSON body', async () => {
    const { app, project, lead } = await setup();
    for (const type of ['application/json', 'text/plain;charset=UTF-8']) {
      const res = await app.inject({
        method: 'POST',
        url: ADD,
        payload: JSON.stringify({ key: project.key, title: 'JSON {orderCreationMethod}', email: `a-${type.length}@x.example`, fields: { list: ['1', 2] } }),
        headers: { 'content-type': type },
      });
      expect(res.statusCode).toBe(200);
      const stored = await lead((res.json() as { data: { id: string } }).data.id);
      expect([stored.title, stored.fields]).toEqual(['JSON proxy', { list: ['1', '2'] }]);
    }
  });

  it('expands variables from the visit the snippet registered, with the visitor’s address', async () => {
    const { app, project, lead } = await setup();
    const visitRes = await app.inject({
      method: 'POST',
      url: `/api/site/1.0/${project.id}/visits`,
      payload: JSON.stringify({
        landingPage: 'https://shop.example/?utm_source=yandex',
        referrer: 'https://yandex.ru/',
        utm: { source: 'yandex', medium: 'cpc', campaign: 'sofas' },
        params: { '1': 'red' },
      }),
      headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0' },
      remoteAddress: '198.51.100.9',
    });
    const visit = (visitRes.json() as { visit: number }).visit;
    const title = encodeURIComponent('{visit} {utmSource}/{utmMedium} {source} {roistatParam1} {ip} {agent} {os} {landingPage} {nope}');
    const res = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&roistat=${visit}&title=${title}`, remoteAddress: '10.0.0.1' });
    const stored = await lead((res.json() as { data: { id: string } }).data.id);
    expect(stored.title).toBe(`${visit} yandex/cpc yandex_cpc_sofas red 198.51.100.9 Firefox 121 Linux https://shop.example/?utm_source=yandex {nope}`);
    expect(stored.utm).toMatchObject({ source: 'yandex', medium: 'cpc', campaign: 'sofas' });
    expect([stored.landingPage, stored.referrer, stored.ip]).toEqual(['https://shop.example/?utm_source=yandex', 'https://yandex.ru/', '198.51.100.9']);
  });

  it('truncates over-long values instead of rejecting them', async () => {
    const { app, project, lead } = await setup();
    const res = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&title=${'t'.repeat(3000)}&fields[note]=${'n'.repeat(9000)}` });
    expect(res.statusCode).toBe(200);
    const stored = await lead((res.json() as { data: { id: string } }).data.id);
    expect(stored.title).toHaveLength(1024);
    expect(stored.fields['note']).toHaveLength(8000);
  });
});

describe('leads/add answers', () => {
  it.each([
    ['GET', `${ADD}?key=wrong&name=x`],
    ['GET', `${ADD}?name=x`],
    ['POST', ADD],
    ['GET', `${MESSAGES}?key=wrong&id=1&message=m`],
  ] as const)('%s %s without the right key: AUTH_ERROR (HTTP 200, as every proxy answer)', async (method, url) => {
    const { app } = await setup();
    const res = await app.inject({ method, url, ...(method === 'POST' ? { payload: 'key=nope&name=x', headers: FORM } : {}) });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'error', error: 'AUTH_ERROR' });
  });

  it('creates no lead for a HEAD request', async () => {
    const { app, project, ctx } = await setup();
    const res = await app.inject({ method: 'HEAD', url: `${ADD}?key=${project.key}&name=Head` });
    expect(res.body).toBe('');
    expect((await ctx.store.listLeads(project.id, { limit: 10 })).items).toEqual([]);
  });

  it('answers 413 with a JSON error for a body over 64 KiB', async () => {
    const { app, project } = await setup();
    const res = await app.inject({ method: 'POST', url: ADD, payload: `key=${project.key}&comment=${'x'.repeat(65 * 1024)}`, headers: FORM });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ status: 'error', error: 'PAYLOAD_TOO_LARGE' });
  });

  it('reads the first 1000 parameters (PHP max_input_vars), ignores the rest and says how many', async () => {
    const { app, project, lead } = await setup();
    const anonymous = await app.inject({ method: 'GET', url: `${ADD}?${'a[]&'.repeat(16 * 1024)}` });
    expect(anonymous.json()).toMatchObject({ status: 'error', error: 'AUTH_ERROR' });
    const filler = Array.from({ length: 1100 }, (_, i) => `fields[f${i}]=${i}`).join('&');
    const res = await app.inject({ method: 'POST', url: ADD, payload: `key=${project.key}&name=Many&${filler}`, headers: FORM });
    const data = (res.json() as { data: { id: string; ignored_params: number } }).data;
    expect(data.ignored_params).toBe(102);
    const stored = await lead(data.id);
    expect([stored.name, Object.keys(stored.fields).length, stored.fields['f997'], stored.fields['f998']]).toEqual(['Many', 998, '997', undefined]);
  });

  it('answers BAD_CHARSET for an unknown charset and BAD_JSON for a broken JSON body', async () => {
    const { app, project } = await setup();
    const a = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&charset=x-klingon` });
    expect([a.statusCode, (a.json() as { error: string }).error]).toEqual([200, 'BAD_CHARSET']);
    const b = await app.inject({ method: 'POST', url: ADD, payload: '{"key":', headers: { 'content-type': 'application/json' } });
    expect([b.statusCode, (b.json() as { error: string }).error]).toEqual([200, 'BAD_JSON']);
  });

  it('sync=1 waits for the CRM and answers its deal id as order_id', async () => {
    const { app, project, crm, lead } = await setup({ integration: true, crm: mockCrm(() => Response.json({ id: 'DEAL-77' })) });
    const res = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&sync=1&name=Ann&phone=89990001122` });
    expect(res.statusCode).toBe(200);
    const data = (res.json() as { data: { id: string; order_id: string } }).data;
    expect(data.order_id).toBe('DEAL-77');
    expect(crm.calls).toHaveLength(1);
    expect(await lead(data.id)).toMatchObject({ status: 'sent', crmId: 'DEAL-77' });
  });

  it('sync=1 answers CRM_ERROR when the CRM refuses, and the lead stays stored for retries', async () => {
    const { app, project, lead } = await setup({
      integration: true,
      crm: mockCrm(() => Response.json({ message: 'pipeline is closed' }, { status: 503 })),
    });
    const res = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&sync=1&name=Bob` });
    const body = res.json() as { status: string; error: string; message: string };
    expect([body.status, body.error]).toEqual(['error', 'CRM_ERROR']);
    const id = /lead ([0-9a-f-]{36})/.exec(body.message)![1]!;
    expect((await lead(id)).status).toBe('retrying');
  });

  it('sync=1 gives up waiting after the bounded timeout, the lead still queued', async () => {
    const { app, project, lead } = await setup({ integration: true, proxySyncTimeoutMs: 300, crm: mockCrm(() => new Promise<Response>((resolve) => setTimeout(() => resolve(Response.json({ id: 'LATE' })), 1500))),
    });
    const started = Date.now();
    const res = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&sync=1&name=Slow` });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(res.json()).toMatchObject({ status: 'error', error: 'CRM_ERROR' });
    const message = (res.json() as { message: string }).message;
    expect(message).toMatch(/has not answered/);
    expect((await lead(/lead ([0-9a-f-]{36})/.exec(message)![1]!)).status).toBe('pending');
  });

  it('sync=0 answers at once, and the worker delivers afterwards', async () => {
    const { app, project, lead } = await setup({ integration: true });
    const res = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&name=Cid` });
    const data = (res.json() as { data: { id: string; status: string } }).data;
    expect(data.status).toBe('pending');
    await expect.poll(async () => (await lead(data.id)).status).toBe('sent');
  });

  it('is_need_callback=1 calls the call-back webhook with callback_phone', async () => {
    const { app, project, crm } = await setup({ integration: true, callbackUrl: 'http://crm.test/callback' });
    await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&phone=89991112233&is_need_callback=1&callback_phone=%2B74950000000` });
    await expect.poll(() => crm.calls.find((c) => c.url === 'http://crm.test/callback')?.body['phone']).toBe('+74950000000');
  });

  it('is_need_check_order_in_processing_append=1 marks a repeat as duplicate and comments on the original', async () => {
    const { app, project, lead } = await setup();
    const first = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&phone=%2B7+999+123-45-67&name=A` });
    const firstId = (first.json() as { data: { id: string } }).data.id;
    const again = await app.inject({
      method: 'GET',
      url: `${ADD}?key=${project.key}&phone=89991234567&name=A2&is_need_check_order_in_processing_append=1`,
    });
    const againData = (again.json() as { data: { id: string; status: string } }).data;
    expect(againData.status).toBe('duplicate');
    expect((await lead(againData.id)).duplicateOf).toBe(firstId);
    expect((await lead(firstId)).comments).toHaveLength(1);
    expect((await lead(firstId)).comments[0]!.message).toContain(againData.id);
  });
});

describe('is_need_check_order_in_processing', () => {
  it('counts a failed original only when it is 0', async () => {
    const { app, project, lead } = await setup({
      integration: true,
      crm: mockCrm((call) => (call.body['name'] === 'First' ? Response.json({ message: 'bad field' }, { status: 400 }) : Response.json({ id: 'D' }))),
    });
    const first = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&name=First&email=same%40example.com` });
    const firstId = (first.json() as { data: { id: string } }).data.id;
    await expect.poll(async () => (await lead(firstId)).status).toBe('failed');

    const all = await app.inject({
      method: 'GET',
      url: `${ADD}?key=${project.key}&name=Again&email=same%40example.com&is_need_check_order_in_processing=0`,
    });
    const data = (all.json() as { data: { id: string; status: string } }).data;
    expect(data.status).toBe('duplicate');
    expect((await lead(data.id)).duplicateOf).toBe(firstId);

    // The default: a failed original is not in work, so this is a new lead (duplicates never count).
    const inWork = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&name=Again2&email=SAME%40example.com` });
    expect((inWork.json() as { data: { status: string } }).data.status).toBe('pending');
  });
});

describe('leads/messages/add', () => {
  it.each(['GET', 'POST'] as const)('adds a comment to the lead by %s', async (method) => {
    const { app, project, lead } = await setup();
    const add = await app.inject({ method: 'GET', url: `${ADD}?key=${project.key}&name=Dan` });
    const id = (add.json() as { data: { id: string } }).data.id;
    const q = fixture('messages-add').replace('PROJECTKEY', project.key).replace('LEADID', id);
    const res =
      method === 'GET'
        ? await app.inject({ method, url: `${MESSAGES}?${q}` })
        : await app.inject({ method, url: MESSAGES, payload: q, headers: FORM });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'success', data: { id } });
    expect((await lead(id)).comments).toMatchObject([{ title: 'Звонок клиенту', message: 'Клиент просит перезвонить завтра в 10:00' }]);
  });

  it('answers LEAD_NOT_FOUND for a lead of another project or none, and VALIDATION_ERROR without a message', async () => {
    const { app, project, ctx } = await setup();
    const other = await ctx.store.createProject('Other', Date.now());
    const add = await app.inject({ method: 'GET', url: `${ADD}?key=${other.key}&name=Eve` });
    const foreignId = (add.json() as { data: { id: string } }).data.id;
    const a = await app.inject({ method: 'GET', url: `${MESSAGES}?key=${project.key}&id=${foreignId}&message=hi` });
    expect([a.statusCode, (a.json() as { error: string }).error]).toEqual([200, 'LEAD_NOT_FOUND']);
    const b = await app.inject({ method: 'GET', url: `${MESSAGES}?key=${other.key}&id=${foreignId}&message=` });
    expect([b.statusCode, (b.json() as { error: string }).error]).toEqual([200, 'VALIDATION_ERROR']);
  });
});

describe('over a real socket', () => {
  it('accepts a 64 KiB GET query of Cyrillic text, as PHP sites send long comments', async () => {
    const { app, project, lead } = await setup();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as { port: number }).port;
    const comment = 'щ'.repeat(4096);
    const filler = 'ы'.repeat(6500); // an unknown parameter, kept: the query reaches ~62 KiB
    const url = `http://127.0.0.1:${port}${ADD}?key=${project.key}&comment=${encodeURIComponent(comment)}&note=${encodeURIComponent(filler)}`;
    expect(url.length).toBeGreaterThan(60 * 1024);
    expect(url.length).toBeLessThan(64 * 1024);
    const res = await fetch(url);
    expect(res.status).toBe(200);
    const id = ((await res.json()) as { data: { id: string } }).data.id;
    expect((await lead(id)).comment).toBe(comment);
  });
});
