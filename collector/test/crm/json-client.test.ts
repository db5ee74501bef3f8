// jsonClient (crm/json-client.ts): the one factory of the adapters' API clients, over crmRequest.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { jsonClient } from '../../src/crm/json-client.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
const seen: Seen[] = [];
let server: Server;
let base: string;
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      seen.push({ method: req.method!, url: req.url!, headers: req.headers, body });
      if (req.url === '/api/moved') return res.writeHead(302, { location: 'https://elsewhere.example/' }).end();
      if (req.url === '/api/refused') return res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":false,"error":"bad phone"}');
      if (req.url === '/api/limited') return res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' }).end('{}');
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"success":true,"id":5}');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
});

const ctx = (): CrmContext => ({ settings: { baseUrl: base, token: 'a-long-secret-token-123' }, fetch });
const client = jsonClient<string>({
  base: (c) => c.settings.baseUrl!,
  headers: (c, extra) => ({ authorization: `Bearer ${c.settings.token}`, ...(extra ? { 'x-extra': extra } : {}) }),
  ok: (res) => res.status >= 200 && res.status < 300 && (res.body as { success?: boolean }).success === true,
  error: (res, extra) => new CrmError(`refused ${res.status} ${extra ?? ''}`.trim(), { permanent: true, httpStatus: res.status }),
});

test('joins the path to the base URL, sends JSON with its content type and the headers, and parses the answer', async () => {
  const res = await client(ctx(), 'POST', '/deals', { name: 'Анна' }, 'x1');
  expect(res.body).toEqual({ success: true, id: 5 });
  const req = seen.at(-1)!;
  expect(req).toMatchObject({ method: 'POST', url: '/api/deals', body: '{"name":"Анна"}' });
  expect(req.headers).toMatchObject({ 'content-type': 'application/json', authorization: 'Bearer a-long-secret-token-123', 'x-extra': 'x1' });
});

test('a call without a body sends no body and no content type', async () => {
  await client(ctx(), 'GET', 'list');
  expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/list', body: '' });
  expect(seen.at(-1)!.headers['content-type']).toBeUndefined();
});

test('form encoding sends a string record as application/x-www-form-urlencoded', async () => {
  const form = jsonClient({ base: (c) => c.settings.baseUrl!, headers: () => ({}), encoding: 'form' });
  await form(ctx(), 'POST', '/orders/create', { site: 'main', order: '{"a":1}' });
  expect(seen.at(-1)!.headers['content-type']).toBe('application/x-www-form-urlencoded');
  expect(seen.at(-1)!.body).toBe('site=main&order=%7B%22a%22%3A1%7D');
});

test("an answer the adapter's `ok` refuses goes through its `error`, with the caller's extra", async () => {
  await expect(client(ctx(), 'POST', '/refused', {}, 'x2')).rejects.toMatchObject({ message: 'refused 200 x2', permanent: true });
});

test('without an `error`, a non-2xx is classified by crm/http.ts: a 429 is transient and keeps its Retry-After', async () => {
  const plain = jsonClient({ base: (c) => c.settings.baseUrl!, headers: () => ({}) });
  const err = await plain(ctx(), 'GET', '/limited').catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CrmError);
  expect(err).toMatchObject({ permanent: false, httpStatus: 429, retryAfterMs: 7000 });
});

test('a redirect is never followed: a permanent error naming where it points', async () => {
  const err = await client(ctx(), 'GET', '/moved').catch((e: unknown) => e);
  expect(err).toMatchObject({ permanent: true, httpStatus: 302 });
  expect((err as Error).message).toContain('redirects to https://elsewhere.example/');
});
