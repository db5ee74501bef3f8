// Slow or idle clients cannot hold sockets (request timeout, connection cap), and behind a proxy
// the client's address is the one the trusted proxy saw, whatever X-Forwarded-For the client sends.
import { connect, type Socket } from 'node:net';
import { afterEach, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { readConfig } from '../src/config.ts';
import { auth, newProject, testApp } from './helpers.ts';

let t: App | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  await t?.app.close();
  t = undefined;
});

async function listen(app: App): Promise<number> {
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  return (app.app.server.address() as { port: number }).port;
}

function open(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(port, '127.0.0.1', () => resolve(s));
    s.on('error', reject);
    sockets.push(s);
  });
}

/** Resolves with what the server sent once it closes the socket, and the time that took. */
function untilClosed(s: Socket): Promise<{ text: string; ms: number }> {
  const started = performance.now();
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  return new Promise((resolve) => s.on('close', () => resolve({ text, ms: performance.now() - started })));
}

test('a client that never finishes its body is cut after REQUEST_TIMEOUT_MS', async () => {
  const requestTimeoutMs = 400;
  t = await testApp({ http: { requestTimeoutMs, headersTimeoutMs: requestTimeoutMs } });
  const port = await listen(t);
  const { id } = await newProject(t.app);
  const s = await open(port);
  const closed = untilClosed(s);
  // Headers announce 1000 bytes; 10 arrive, then nothing.
  s.write(`POST /api/site/1.0/${id}/leads HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\n{"name":"a`);
  // The server must close it: the bound is the timeout plus the check interval, with a wide margin
  // for a loaded machine (without the timeout it would stay open for good).
  const { text, ms } = await Promise.race([
    closed,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the slow request was not cut')), requestTimeoutMs * 25)),
  ]);
  expect(ms).toBeGreaterThanOrEqual(requestTimeoutMs * 0.9);
  expect(text).toMatch(/^HTTP\/1\.1 408/);
}, 60_000);

test('connections over MAX_CONNECTIONS are refused; below the cap they are served', async () => {
  t = await testApp({ http: { maxConnections: 2 } });
  const port = await listen(t);
  const request = (s: Socket) =>
    new Promise<string>((resolve) => {
      let text = '';
      const onData = (d: Buffer) => {
        text += d.toString();
        if (text.includes('\r\n\r\n') && text.includes('"status"')) {
          s.off('data', onData);
          resolve(text);
        }
      };
      s.on('data', onData);
      s.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    });
  const first = await open(port);
  const second = await open(port);
  // Both are served and stay open (keep-alive), so the server counts them.
  expect(await request(first)).toMatch(/^HTTP\/1\.1 200/);
  expect(await request(second)).toMatch(/^HTTP\/1\.1 200/);
  const third = await open(port);
  const { text } = await untilClosed(third);
  expect(text).toBe('');
  // One closes: a new connection is served again.
  const gone = untilClosed(first);
  first.end();
  await gone;
  await expect
    .poll(async () => {
      const next = await open(port);
      const closedEarly = untilClosed(next).then(() => 'closed');
      return Promise.race([request(next).then((r) => r.slice(0, 12)), closedEarly]);
    })
    .toBe('HTTP/1.1 200');
}, 60_000);

async function proxyLeadIp(app: App['app'], key: string, projectId: string, from: { remoteAddress: string; xff?: string }) {
  const res = await app.inject({
    url: `/api/proxy/1.0/leads/add?key=${key}&name=A&is_skip_sending=1`,
    remoteAddress: from.remoteAddress,
    headers: from.xff ? { 'x-forwarded-for': from.xff } : {},
  });
  if (res.statusCode === 429) return 'limited';
  expect(res.statusCode).toBe(200);
  const leads = (await app.inject({ url: `/api/v1/projects/${projectId}/leads?limit=1`, headers: auth })).json() as { items: { ip: string }[] };
  return leads.items[0]!.ip;
}

test('TRUST_PROXY=1: the address one proxy saw, not the one the client wrote into X-Forwarded-For', async () => {
  t = await testApp({ trustProxy: readConfig({ TRUST_PROXY: '1' }).trustProxy, rateLimit: { sitePerMinute: 0, proxyPerMinute: 2 } });
  const { id, key } = await newProject(t.app);
  // The client sends "X-Forwarded-For: 6.6.6.x"; the proxy (10.0.0.1) appends the real address.
  const viaProxy = (spoofed: string) => ({ remoteAddress: '10.0.0.1', xff: `${spoofed}, 203.0.113.7` });
  expect(await proxyLeadIp(t.app, key, id, viaProxy('6.6.6.1'))).toBe('203.0.113.7');
  expect(await proxyLeadIp(t.app, key, id, viaProxy('6.6.6.2'))).toBe('203.0.113.7');
  // A new spoofed address each time does not escape the per-IP limit.
  expect(await proxyLeadIp(t.app, key, id, viaProxy('6.6.6.3'))).toBe('limited');
  expect(await proxyLeadIp(t.app, key, id, { remoteAddress: '10.0.0.1', xff: '198.51.100.4' })).toBe('198.51.100.4');
});

test('TRUST_PROXY as a CIDR list: only those proxies are believed', async () => {
  t = await testApp({ trustProxy: readConfig({ TRUST_PROXY: '10.0.0.0/8' }).trustProxy, rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 } });
  const { id, key } = await newProject(t.app);
  expect(await proxyLeadIp(t.app, key, id, { remoteAddress: '10.1.2.3', xff: '6.6.6.6, 203.0.113.7' })).toBe('203.0.113.7');
  // A client reaching the collector directly cannot name another address.
  expect(await proxyLeadIp(t.app, key, id, { remoteAddress: '198.51.100.9', xff: '6.6.6.6' })).toBe('198.51.100.9');
});
