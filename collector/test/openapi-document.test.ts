// /docs: the generated OpenAPI document lets "Authorize" + "Try it out" work on the admin API,
// documents the proxy API's parameters, and lists no static file or demo route.
import pino from 'pino';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { demoRoutes } from '../src/demo.ts';
import { TOKEN } from './helpers.ts';

interface Operation {
  security?: Record<string, string[]>[];
  tags?: string[];
  parameters?: { name: string; in: string; required?: boolean; description?: string }[];
}
interface OpenApi {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { type: string; scheme?: string }> };
}

let t: App;
let doc: OpenApi;
beforeAll(async () => {
  t = await buildApp({ adminToken: TOKEN, logger: pino({ level: 'silent' }), worker: false });
  // server.ts adds the demo after buildApp; it must stay out of /docs all the same.
  await t.app.register(demoRoutes(t.ctx));
  await t.app.ready();
  const res = await t.app.inject({ url: '/docs/json' });
  expect(res.statusCode).toBe(200);
  doc = res.json();
});
afterAll(async () => {
  await t.app.close();
});

const operations = () => Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })));

test('the bearer scheme is declared and every admin operation asks for it', () => {
  expect(doc.components.securitySchemes.adminToken).toMatchObject({ type: 'http', scheme: 'bearer' });
  // Logging in by email and password (README "Users and roles") is how one gets a session: it asks for no token.
  const admin = operations().filter((o) => o.path.startsWith('/api/v1/') && o.path !== '/api/v1/session');
  for (const { method, op } of operations().filter((o) => o.path === '/api/v1/session')) expect(op.security, `${method} /api/v1/session`).toBeUndefined();
  expect(admin.length).toBeGreaterThanOrEqual(15);
  for (const { path, method, op } of admin) {
    expect(op.security, `${method} ${path}`).toEqual([{ adminToken: [] }]);
    expect(op.tags, `${method} ${path}`).toContain('admin');
  }
});

test('public operations ask for no token', () => {
  for (const { path, method, op } of operations().filter((o) => !o.path.startsWith('/api/v1/'))) {
    expect(op.security, `${method} ${path}`).toBeUndefined();
  }
});

test("the proxy API's parameters are documented, with descriptions", () => {
  for (const method of ['get', 'post']) {
    const add = doc.paths['/api/proxy/1.0/leads/add']![method]!;
    const names = add.parameters!.filter((p) => p.in === 'query').map((p) => p.name);
    expect(names).toEqual(
      expect.arrayContaining(['key', 'roistat', 'title', 'comment', 'name', 'email', 'phone', 'order_creation_method', 'is_need_callback', 'callback_phone', 'sync', 'is_need_check_order_in_processing', 'is_need_check_order_in_processing_append', 'is_skip_sending', 'fields[...]', 'client_fields[...]', 'charset']),
    );
    for (const p of add.parameters!) expect(p.description, p.name).toMatch(/\w{3}/);
    expect(add.parameters!.find((p) => p.name === 'key')!.required).toBe(true);
    const message = doc.paths['/api/proxy/1.0/leads/messages/add']![method]!;
    expect(message.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['key', 'id', 'title', 'message']));
  }
});

test('the documentation schemas do not validate proxy requests: unknown and nested parameters still reach the parser', async () => {
  const res = await t.app.inject({ url: '/api/proxy/1.0/leads/add?key=wrong&fields[a][]=1&fields[a][]=2&whatever=x' });
  // The wrong key is the only complaint: the parameters were not refused by a schema.
  expect(res.json()).toMatchObject({ status: 'error', error: 'AUTH_ERROR' });
});

test('static files, the admin UI and the demo are not listed', () => {
  const paths = Object.keys(doc.paths);
  expect(paths.filter((p) => p === '/s.js' || /^\/(admin|demo|docs)(\/|$)/.test(p))).toEqual([]);
  expect(paths).toEqual(expect.arrayContaining(['/healthz', '/api/site/1.0/{projectId}/leads', '/api/proxy/1.0/leads/add', '/api/v1/projects']));
  // ...while they are really served.
  expect(t.app.hasRoute({ method: 'GET', url: '/demo/crm/received.json' })).toBe(true);
  expect(t.app.hasRoute({ method: 'GET', url: '/s.js' })).toBe(true);
});
