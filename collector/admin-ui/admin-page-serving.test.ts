// The /admin/ routes: the page for every client route, the bundle, and the strict CSP on each answer.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CSP, adminUiRoutes } from '../src/routes/admin-ui.ts';

let app: FastifyInstance;
let emptyApp: FastifyInstance;
const dist = mkdtempSync(join(tmpdir(), 'admin-dist-'));
const nothing = mkdtempSync(join(tmpdir(), 'admin-none-'));

beforeAll(async () => {
  writeFileSync(join(dist, 'app.js'), 'console.log("app")');
  writeFileSync(join(dist, 'app.css'), 'body{}');
  app = Fastify();
  await app.register(adminUiRoutes, { distDir: dist });
  emptyApp = Fastify();
  await emptyApp.register(adminUiRoutes, { distDir: nothing });
});
afterAll(async () => {
  await app.close();
  await emptyApp.close();
  rmSync(dist, { recursive: true, force: true });
  rmSync(nothing, { recursive: true, force: true });
});

describe('admin UI serving', () => {
  it('answers /admin/ and every client route with the page, under a CSP with no inline script or style', async () => {
    for (const url of ['/admin/', '/admin/p/abc/leads/0193-x', '/admin/p/abc/forms/new?x=1']) {
      const res = await app.inject({ url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
      expect(res.body).toContain('<script type="module" src="/admin/app.js"></script>');
      expect(res.body).toContain('href="/admin/app.css"');
      expect(res.headers['content-security-policy']).toBe(ADMIN_CSP);
      expect(res.headers['x-frame-options']).toBe('DENY');
    }
    expect(ADMIN_CSP).toContain("script-src 'self'");
    expect(ADMIN_CSP).toContain("style-src 'self'");
    expect(ADMIN_CSP).not.toMatch(/unsafe-(inline|eval)/);
  });

  it('the page itself holds no inline script or style the CSP would block', async () => {
    const res = await app.inject({ url: '/admin/' });
    expect(res.body).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(res.body).not.toMatch(/<style|\sstyle=/);
  });

  it('serves the bundle and its CSS with their types', async () => {
    const js = await app.inject({ url: '/admin/app.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.body).toBe('console.log("app")');
    const css = await app.inject({ url: '/admin/app.css' });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.body).toBe('body{}');
  });

  it('redirects /admin to /admin/ and answers a missing file with a JSON 404, not the page', async () => {
    const redirect = await app.inject({ url: '/admin' });
    expect(redirect.statusCode).toBe(301);
    expect(redirect.headers.location).toBe('/admin/');
    const missing = await app.inject({ url: '/admin/apP.js' });
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ status: 'error', error: 'NOT_FOUND' });
  });

  it('says how to build when the bundle is missing', async () => {
    const res = await emptyApp.inject({ url: '/admin/app.js' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'error', error: 'ADMIN_UI_NOT_BUILT', message: expect.stringContaining('npm run build') });
  });
});
