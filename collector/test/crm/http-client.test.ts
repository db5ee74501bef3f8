// The wire under crmRequest (crm/http-client.ts): the worker's undici client and a caller's fetch
// give the same outcome for the same answer: redirects never followed (their body never read),
// compressed answers decoded, answers over the size limit refused before they fill memory, a
// cancelled request a transient "cannot reach the CRM", credentials masked.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchSend, MAX_ANSWER_BYTES, undiciSend } from '../../src/crm/http-client.ts';
import { crmRequest } from '../../src/crm/http.ts';
import { CrmError, type CrmContext } from '../../src/crm/types.ts';

const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push({ path: req.url ?? '', headers: req.headers });
    const path = req.url ?? '';
    if (path === '/moved') return res.writeHead(302, { location: `${base}/internal` }).end('INTERNAL-BODY');
    if (path === '/internal') return res.writeHead(200).end('INTERNAL-ONLY');
    if (path === '/gzip') {
      return res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' }).end(gzipSync('{"id":"deal-7","name":"Иван"}'));
    }
    if (path === '/huge-declared') return res.writeHead(200, { 'content-length': String(MAX_ANSWER_BYTES + 1) }).end();
    if (path === '/huge-chunked') {
      // No Content-Length: the limit holds while reading.
      res.writeHead(200, { 'content-type': 'text/plain' });
      const chunk = Buffer.alloc(1024 * 1024, 'x');
      for (let i = 0; i <= MAX_ANSWER_BYTES / chunk.length; i++) res.write(chunk);
      return res.end();
    }
    if (path === '/gzip-bomb') {
      return res.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync(Buffer.alloc(MAX_ANSWER_BYTES + 1024, 'x')));
    }
    if (path === '/hang') return; // never answers
    if (path === '/bom') return res.writeHead(200, { 'content-type': 'application/json' }).end('\ufeff{"ok":true}');
    res.writeHead(429, { 'retry-after': '7', 'content-type': 'application/json' }).end('{"message":"slow down"}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

const wires: [string, () => CrmContext][] = [
  ['undici (the worker)', () => ({ settings: {}, fetch: () => Promise.reject(new Error('fetch must not be used')), send: undiciSend })],
  ['fetch (a caller’s own)', () => ({ settings: {}, fetch, send: fetchSend(fetch) })],
  ['fetch given without a wire', () => ({ settings: {}, fetch })],
];

describe.each(wires)('over %s', (_name, ctxOf) => {
  it('a redirect is a permanent error naming the Location; neither its body nor its target is read', async () => {
    seen.length = 0;
    const err = await crmRequest(ctxOf(), `${base}/moved`, { headers: { authorization: 'Bearer secret-token-0123456789' } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({ permanent: true, httpStatus: 302 });
    expect((err as Error).message).toContain(`${base}/internal`);
    expect((err as Error).message).not.toContain('INTERNAL');
    expect(seen.map((s) => s.path)).toEqual(['/moved']);
  });

  it('a gzip answer is decoded and parsed as JSON', async () => {
    const res = await crmRequest(ctxOf(), `${base}/gzip`, { headers: { 'accept-encoding': 'gzip' } });
    expect(res.body).toEqual({ id: 'deal-7', name: 'Иван' });
  });

  it('a byte-order mark before JSON is dropped, as fetch does', async () => {
    const res = await crmRequest(ctxOf(), `${base}/bom`, {});
    expect(res.body).toEqual({ ok: true });
  });

  it.each(['/huge-declared', '/huge-chunked', '/gzip-bomb'])('an answer over the size limit (%s) is a transient error, not a full memory', async (path) => {
    const err = await crmRequest(ctxOf(), `${base}${path}`, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({ permanent: false });
    expect((err as Error).message).toMatch(/larger than 8 MiB/);
  });

  it('status, headers and body of a refusal come back for the adapter to classify', async () => {
    const res = await crmRequest(ctxOf(), `${base}/limited?apikey=query-secret-0123456789`, { method: 'POST', body: '{}', headers: { 'content-type': 'application/json' } });
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(res.body).toEqual({ message: 'slow down' });
    expect(res.secrets).toContain('query-secret-0123456789');
  });

  it('a cancelled request is a transient "cannot reach the CRM"', async () => {
    const controller = new AbortController();
    const pending = crmRequest({ ...ctxOf(), signal: controller.signal }, `${base}/hang`, {}).catch((e: unknown) => e);
    setTimeout(() => controller.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError')), 50);
    const err = await pending;
    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({ permanent: false });
    expect((err as Error).message).toMatch(/^cannot reach the CRM: .*aborted/);
  });
});

it('the worker’s wire sends the headers given, and fetch’s accept and a user agent when the adapter names none', async () => {
  seen.length = 0;
  await crmRequest({ settings: {}, fetch, send: undiciSend }, `${base}/limited`, { headers: { 'x-api-key': 'k' } });
  await crmRequest({ settings: {}, fetch, send: undiciSend }, `${base}/limited`, { headers: { accept: 'application/json', 'user-agent': 'leadrelay-webhook/1' } });
  expect(seen[0]!.headers).toMatchObject({ 'x-api-key': 'k', accept: '*/*', 'user-agent': 'leadrelay' });
  expect(seen[1]!.headers).toMatchObject({ accept: 'application/json', 'user-agent': 'leadrelay-webhook/1' });
});
