// /s-tools.js (snippet/ARCHITECTURE.md "The tools bundle") and /s-confirm.js ("Confirmation") are served beside
// /s.js the same way: precompressed by Accept-Encoding, open to every origin, cacheable for a few minutes; 404 unbuilt.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, expect, test } from 'vitest';
import { testApp } from './helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'leadrelay-tools-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test.each(['s-tools.js', 's-confirm.js'])('%s: served beside s.js with its headers, gzip when asked; 404 NOT_FOUND when not built', async (name) => {
  writeFileSync(join(dir, 's.js'), 'console.log("s")');
  writeFileSync(join(dir, name), 'export const start = () => ({});');
  writeFileSync(join(dir, name + '.gz'), gzipSync('export const start = () => ({});'));
  const t = await testApp({ snippetFile: join(dir, 's.js') });
  try {
    const res = await t.app.inject({ url: '/' + name, headers: { 'accept-encoding': 'gzip' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['access-control-allow-origin']).toBe('*');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    rmSync(join(dir, name));
    rmSync(join(dir, name + '.gz'));
    const gone = await t.app.inject({ url: '/' + name });
    expect(gone.statusCode).toBe(404);
    expect(gone.json().error).toBe('NOT_FOUND');
  } finally {
    await t.app.close();
  }
});
