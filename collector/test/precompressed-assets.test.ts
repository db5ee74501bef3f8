// The snippet and the admin UI bundle go over the wire compressed: brotli or gzip by Accept-Encoding
// (made once by build.mjs), `Vary: Accept-Encoding`, an ETag per encoding, 304 on If-None-Match.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { testApp } from './helpers.ts';

const BUILT = ['dist/s.js', 'dist/admin/app.js', 'dist/admin/app.css'];

let t: App;
beforeAll(async () => {
  // Tests hit the built artifact; build it when a bare `vitest run` comes before `npm run build`.
  if (BUILT.some((f) => !existsSync(`${f}.br`) || !existsSync(`${f}.gz`))) execFileSync('node', ['build.mjs'], { stdio: 'ignore' });
  t = await testApp({ snippetFile: join(process.cwd(), 'dist/s.js') });
}, 120_000);
afterAll(async () => {
  await t.app.close();
});

const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ url, headers });

describe.each([
  ['/s.js', 'dist/s.js', 'application/javascript; charset=utf-8'],
  ['/admin/app.js', 'dist/admin/app.js', 'text/javascript; charset=utf-8'],
  ['/admin/app.css', 'dist/admin/app.css', 'text/css; charset=utf-8'],
])('%s', (url, file, type) => {
  test('brotli, gzip or plain bytes on the wire, chosen from Accept-Encoding, each with its own ETag', async () => {
    const raw = readFileSync(file);
    const br = await get(url, { 'accept-encoding': 'gzip, deflate, br, zstd' });
    const gz = await get(url, { 'accept-encoding': 'gzip, deflate' });
    const plain = await get(url);
    const identity = await get(url, { 'accept-encoding': 'identity' });
    const noBr = await get(url, { 'accept-encoding': 'br;q=0, gzip;q=0.8' });

    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.rawPayload.equals(readFileSync(`${file}.br`))).toBe(true);
    expect(brotliDecompressSync(br.rawPayload).equals(raw)).toBe(true);
    expect(br.rawPayload.length).toBeLessThan(raw.length * 0.6);

    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).equals(raw)).toBe(true);
    expect(gz.rawPayload.length).toBeLessThan(raw.length * 0.6);
    expect(noBr.headers['content-encoding']).toBe('gzip');

    for (const res of [plain, identity]) {
      expect(res.headers['content-encoding']).toBeUndefined();
      expect(res.rawPayload.equals(raw)).toBe(true);
    }
    for (const res of [br, gz, plain]) {
      expect(res.headers.vary).toMatch(/accept-encoding/i);
      expect(res.headers['content-type']).toBe(type);
      expect(res.headers.etag).toMatch(/^(W\/)?"[^"]+"$/);
    }
    expect(new Set([br.headers.etag, gz.headers.etag, plain.headers.etag]).size).toBe(3);
  });

  test('304 for the ETag of the same encoding; the body again for another encoding', async () => {
    const br = await get(url, { 'accept-encoding': 'br' });
    const same = await get(url, { 'accept-encoding': 'br', 'if-none-match': String(br.headers.etag) });
    expect(same.statusCode).toBe(304);
    expect(same.rawPayload.length).toBe(0);
    expect(same.headers.vary).toMatch(/accept-encoding/i);
    const other = await get(url, { 'accept-encoding': 'gzip', 'if-none-match': String(br.headers.etag) });
    expect(other.statusCode).toBe(200);
    expect(other.headers['content-encoding']).toBe('gzip');
  });
});

test('the snippet keeps its cache policy and CORS; the admin bundle its CSP', async () => {
  const s = await get('/s.js', { 'accept-encoding': 'br' });
  expect(s.headers['cache-control']).toBe('public, max-age=300');
  expect(s.headers['access-control-allow-origin']).toBe('*');
  const a = await get('/admin/app.js', { 'accept-encoding': 'br' });
  expect(a.headers['content-security-policy']).toMatch(/script-src 'self'/);
  expect(a.headers['cache-control']).toBe('no-cache');
});

test('a build without the compressed siblings still serves the plain file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadrelay-plain-'));
  writeFileSync(join(dir, 's.js'), 'console.log(1)');
  const plainApp = await testApp({ snippetFile: join(dir, 's.js') });
  try {
    const res = await plainApp.app.inject({ url: '/s.js', headers: { 'accept-encoding': 'br, gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBeUndefined();
    expect(res.body).toBe('console.log(1)');
    const missing = await testApp({ snippetFile: join(dir, 'none.js') });
    const gone = await missing.app.inject({ url: '/s.js' });
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ status: 'error', error: 'NOT_FOUND', message: expect.stringMatching(/npm run build/) });
    await missing.app.close();
  } finally {
    await plainApp.app.close();
  }
});
