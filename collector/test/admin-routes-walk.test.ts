// Every admin route the app has, walked for each role (README "Users and roles"; auth/roles.ts): the
// list comes from the app itself (printRoutes), so a route added later cannot escape the guard
// unnoticed. Without a login each is 401; a viewer's change is 403 on every route; a marketer's too,
// except forms and resends; users and the audit log are owners' only, even to read.
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.ts';

const TOKEN = 'owner-token-abcdef';
const bearer = { authorization: `Bearer ${TOKEN}` };
const ORIGIN = 'http://localhost:80';

/** "METHOD /path" for every route of the app, read from Fastify's own route tree. */
function allRoutes(app: App['app']): { method: string; url: string }[] {
  const routes: { method: string; url: string }[] = [];
  const stack: { depth: number; path: string }[] = [];
  for (const line of app.printRoutes({ commonPrefix: false }).split('\n')) {
    const m = /^([│ ]*)(?:├── |└── )(\S+)(?: \(([A-Z, ]+)\))?$/.exec(line);
    if (!m) continue;
    const depth = m[1]!.length / 4;
    while (stack.length > depth) stack.pop();
    const path = (stack.at(-1)?.path ?? '') + m[2]!;
    stack.push({ depth, path });
    for (const method of (m[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)) routes.push({ method, url: path });
  }
  return routes;
}

const MARKETER_MAY = new Set([
  'POST /api/v1/projects/:projectId/forms',
  'PUT /api/v1/projects/:projectId/forms/:formId',
  'DELETE /api/v1/projects/:projectId/forms/:formId',
  'POST /api/v1/projects/:projectId/forms/:formId/copy',
  'POST /api/v1/projects/:projectId/leads/resend',
  'POST /api/v1/projects/:projectId/leads/:leadId/resend',
]);
const OWNER_ONLY_READS = ['/api/v1/users', '/api/v1/audit'];

let t: App;
let ids: Record<string, string>;
let admin: { method: string; url: string }[];
const headersOf: Record<string, Record<string, string>> = {};

beforeAll(async () => {
  t = await buildApp({ adminToken: TOKEN, worker: false, passwordCost: 10, logger: pino({ level: 'silent' }) });
  await t.app.ready();
  const app = t.app;
  const project = (await app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer, payload: { name: 'Shop' } })).json();
  const form = (
    await app.inject({ method: 'POST', url: `/api/v1/projects/${project.id}/forms`, headers: bearer, payload: { title: 'Contact', selector: '#c', fields: {} } })
  ).json();
  const lead = (
    await app.inject({
      method: 'POST',
      url: `/api/site/1.0/${project.id}/leads`,
      payload: { clientId: 'c-walk-1', name: 'Anna', phone: '+7 999 000-11-22', context: { page: 'https://shop.example/' } },
    })
  ).json();
  const users: Record<string, string> = {};
  for (const role of ['owner', 'marketer', 'viewer']) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer, payload: { email: `${role}@example.com`, password: 'correct horse', role } });
    users[role] = res.json().id;
    const login = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: `${role}@example.com`, password: 'correct horse' } });
    expect(login.statusCode, login.body).toBe(200);
    headersOf[role] = { cookie: String(login.headers['set-cookie']).split(';')[0]!, origin: ORIGIN };
  }
  ids = { projectId: project.id, formId: form.id, leadId: lead.data.id, userId: users.owner! };
  admin = allRoutes(app).filter((r) => r.url.startsWith('/api/v1/') && r.url !== '/api/v1/session' && r.method !== 'HEAD');
});
afterAll(async () => {
  await t.app.close();
});

const fill = (url: string) => url.replace(/:(\w+)/g, (_all, name: string) => ids[name] ?? `unknown-${name}`);
const send = (method: string, url: string, headers: Record<string, string>) =>
  t.app.inject({ method: method as 'POST', url: fill(url), headers, ...(method === 'GET' || method === 'DELETE' ? {} : { payload: {} }) });

describe('every admin route of the app', () => {
  it('is found in the route tree (the walk below sees them all)', () => {
    const names = admin.map((r) => `${r.method} ${r.url}`);
    expect(names).toEqual(expect.arrayContaining([...MARKETER_MAY, 'GET /api/v1/projects', 'DELETE /api/v1/users/:userId', 'POST /api/v1/projects/:projectId/erasure']));
    expect(names.length).toBeGreaterThanOrEqual(25);
  });

  it('answers 401 UNAUTHORIZED without a login or the token, with a wrong token or an ended session, saying which', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{}, /^Log in with your email and password, or send the admin token/],
      [{ authorization: 'Bearer wrong-token' }, /^The admin token is wrong\.$/],
      [{ cookie: 'leadrelay_session=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', origin: ORIGIN }, /^Your login session has ended .*: log in again\.$/],
    ];
    for (const { method, url } of [...admin, { method: 'GET', url: '/api/v1/session' }]) {
      for (const [headers, message] of cases) {
        const res = await send(method, url, headers);
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(res.json()).toMatchObject({ status: 'error', error: 'UNAUTHORIZED', message: expect.stringMatching(message) });
      }
    }
  });

  it("refuses an owner's cookie change from another site's page on every route, whatever the method or body type (CSRF)", async () => {
    const changes = admin.filter((r) => r.method !== 'GET');
    expect(changes.map((r) => r.method)).toEqual(expect.arrayContaining(['POST', 'PUT', 'DELETE']));
    for (const { method, url } of changes) {
      for (const extra of [{ origin: 'https://evil.example' }, { 'sec-fetch-site': 'cross-site' }, { referer: 'https://evil.example/x' }]) {
        // A cross-site HTML form can only send text/plain, urlencoded or multipart bodies.
        const headers = { cookie: headersOf.owner!.cookie!, 'content-type': 'text/plain', ...extra };
        const res = await t.app.inject({ method: method as 'POST', url: fill(url), headers, payload: '{"name":"x"}' });
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().error).toBe('FORBIDDEN');
      }
    }
    // The project is still there (DELETE /projects/:projectId was refused above).
    expect((await t.app.inject({ url: fill('/api/v1/projects/:projectId'), headers: bearer })).statusCode).toBe(200);
  });

  it("refuses every change of a viewer with 403 FORBIDDEN, and users' and audit reads", async () => {
    for (const { method, url } of admin) {
      const res = await send(method, url, headersOf.viewer!);
      const forbidden = method !== 'GET' || OWNER_ONLY_READS.includes(url);
      if (forbidden) {
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().error).toBe('FORBIDDEN');
      } else expect(res.statusCode, `${method} ${url}`).not.toBe(403);
    }
  });

  it('lets a marketer change forms and resend leads, and nothing else', async () => {
    for (const { method, url } of admin) {
      const res = await send(method, url, headersOf.marketer!);
      const allowed = MARKETER_MAY.has(`${method} ${url}`) || (method === 'GET' && !OWNER_ONLY_READS.includes(url));
      if (allowed) expect([401, 403], `${method} ${url}: ${res.body}`).not.toContain(res.statusCode);
      else {
        expect(res.statusCode, `${method} ${url}`).toBe(403);
        expect(res.json().error).toBe('FORBIDDEN');
      }
    }
  });
});
