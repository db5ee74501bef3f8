// Users, roles and login sessions on the admin API (README "Users and roles"), on both stores: the
// cookie's flags, what each role may do (403 FORBIDDEN otherwise), the CSRF check of cookie changes,
// failed-login limits, the last owner, session expiry and logout, and the audit entries of changes.
import { expect, it } from 'vitest';
import { createManualClock, type ManualClock } from '../../test-support/manual-clock.ts';
import { SESSION_TTL_MS } from '../src/auth/sessions.ts';
import { LOGIN_WINDOW_MS } from '../src/auth/login-limit.ts';
import type { Store } from '../src/store/types.ts';
import { onEachStore } from './store-helpers.ts';


const TOKEN = 'owner-token-abcdef';
const bearer = { authorization: `Bearer ${TOKEN}` };
const ORIGIN = 'http://localhost:80';
const FORM = {
  title: 'Contact',
  selector: '#contact',
  fields: { name: { source: 'field', value: 'name', required: false } },
};

onEachStore('lr_users', ({ startApp }) => {
  let store: Store;
  let clock: ManualClock;

  async function setup() {
    clock = createManualClock(Date.UTC(2027, 0, 15, 12));
    const started = await startApp({ adminToken: TOKEN, clock, passwordCost: 10, trustProxy: 1 });
    store = started.store;
    const app = started.app;
    const project = (await app.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer, payload: { name: 'Shop' } })).json();
    const addUser = async (email: string, role: string, password = 'correct horse') => {
      const res = await app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer, payload: { email, password, role } });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string; email: string; role: string };
    };
    const login = (email: string, password = 'correct horse', headers: Record<string, string> = {}, ip = '203.0.113.5') =>
      app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password }, headers, remoteAddress: ip });
    /** Logs in and returns the headers a browser on the admin page would send. */
    const browser = async (email: string, password = 'correct horse') => {
      const res = await login(email, password);
      expect(res.statusCode, res.body).toBe(200);
      const cookie = String(res.headers['set-cookie']).split(';')[0]!;
      return { cookie, origin: ORIGIN };
    };
    return { app, project, addUser, login, browser };
  }

  it('creates, lists and refuses users; no password or hash ever comes back', async () => {
    const { app, addUser } = await setup();
    expect(await addUser('Anna@Example.com', 'marketer')).toEqual({ id: expect.any(String), email: 'anna@example.com', role: 'marketer' });
    const again = await app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer, payload: { email: 'anna@example.com', password: 'another one', role: 'viewer' } });
    expect(again.json()).toMatchObject({ status: 'error', error: 'USER_EXISTS' });
    expect(again.statusCode).toBe(409);
    for (const bad of [
      { email: 'x@example.com', password: 'short', role: 'viewer' },
      { email: 'not an email', password: 'long enough', role: 'viewer' },
      { email: 'x@example.com', password: 'long enough', role: 'admin' },
    ]) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer, payload: bad });
      expect(res.statusCode).toBe(400);
      expect(res.json().error).toBe('VALIDATION_ERROR');
    }
    const list = await app.inject({ url: '/api/v1/users', headers: bearer });
    expect(list.json()).toEqual([{ id: expect.any(String), email: 'anna@example.com', role: 'marketer', createdAt: expect.any(String) }]);
    expect(list.body).not.toContain('scrypt');
    const stored = await store.db.get('SELECT password_hash FROM users');
    expect(String(stored?.password_hash)).toMatch(/^scrypt\$10\$8\$1\$/);
    expect(String(stored?.password_hash)).not.toContain('correct horse');
  });

  it('login sets an httpOnly SameSite=Strict cookie (Secure over https) that authorizes the API; the database keeps only its hash', async () => {
    const { app, addUser, login } = await setup();
    const anna = await addUser('anna@example.com', 'viewer');
    const res = await login('anna@example.com');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ user: { id: anna.id, email: 'anna@example.com', role: 'viewer' } });
    const setCookie = String(res.headers['set-cookie']);
    expect(setCookie).toMatch(/^leadrelay_session=[A-Za-z0-9_-]{40,}; /);
    expect(setCookie).toContain('HttpOnly');
    expect(setCookie).toContain('SameSite=Strict');
    expect(setCookie).toContain('Path=/');
    expect(setCookie).not.toContain('Secure');
    const cookie = setCookie.split(';')[0]!;
    const id = cookie.split('=')[1]!;
    const rows = await store.db.all('SELECT id_hash FROM sessions');
    expect(rows).toHaveLength(1);
    expect(String(rows[0]!.id_hash)).not.toBe(id);
    expect((await app.inject({ url: '/api/v1/session', headers: { cookie } })).json()).toEqual({ user: { id: anna.id, email: 'anna@example.com', role: 'viewer' } });
    expect((await app.inject({ url: '/api/v1/projects', headers: { cookie } })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/v1/session', headers: bearer })).json()).toEqual({ token: true, role: 'owner' });
    expect((await app.inject({ url: '/api/v1/session' })).statusCode).toBe(401);

    const https = await login('anna@example.com', 'correct horse', { 'x-forwarded-proto': 'https' });
    expect(String(https.headers['set-cookie'])).toMatch(/; Secure$/);
  });

  it('a wrong password or an unknown email is 401 LOGIN_FAILED, the same answer', async () => {
    const { addUser, login } = await setup();
    await addUser('anna@example.com', 'owner');
    const wrong = await login('anna@example.com', 'wrong password');
    const unknown = await login('nobody@example.com', 'wrong password');
    expect(wrong.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
    expect(wrong.json().error).toBe('LOGIN_FAILED');
    expect(wrong.headers['set-cookie']).toBeUndefined();
  });

  it('logout ends the session at once; a session ends 7 days after login', async () => {
    const { app, addUser, browser } = await setup();
    await addUser('anna@example.com', 'viewer');
    const a = await browser('anna@example.com');
    const out = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: a });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    expect((await app.inject({ url: '/api/v1/projects', headers: { cookie: a.cookie } })).json()).toMatchObject({ error: 'UNAUTHORIZED' });

    const b = await browser('anna@example.com');
    await clock.advance(SESSION_TTL_MS - 1000);
    expect((await app.inject({ url: '/api/v1/projects', headers: { cookie: b.cookie } })).statusCode).toBe(200);
    await clock.advance(1000);
    expect((await app.inject({ url: '/api/v1/projects', headers: { cookie: b.cookie } })).statusCode).toBe(401);
  });

  it('a viewer reads everything but users and the audit log, and every change is 403 FORBIDDEN', async () => {
    const { app, project, addUser, browser } = await setup();
    const form = (await app.inject({ method: 'POST', url: `/api/v1/projects/${project.id}/forms`, headers: bearer, payload: FORM })).json();
    await addUser('v@example.com', 'viewer');
    const v = await browser('v@example.com');
    const p = `/api/v1/projects/${project.id}`;
    for (const url of ['/api/v1/projects', p, `${p}/forms`, `${p}/forms/${form.id}`, `${p}/leads`, `${p}/install`, '/api/v1/integration-types']) {
      expect((await app.inject({ url, headers: v })).statusCode, url).toBe(200);
    }
    const changes: [string, string, object?][] = [
      ['POST', '/api/v1/projects', { name: 'X' }],
      ['PUT', p, { name: 'Renamed' }],
      ['DELETE', p],
      ['POST', `${p}/key`],
      ['POST', `${p}/forms`, FORM],
      ['PUT', `${p}/forms/${form.id}`, FORM],
      ['DELETE', `${p}/forms/${form.id}`],
      ['POST', `${p}/forms/${form.id}/copy`],
      ['PUT', `${p}/integration`, { type: 'webhook', enabled: true, settings: { url: 'https://crm.example/hook' } }],
      ['POST', `${p}/integration/test`],
      ['POST', `${p}/leads/resend`, {}],
      ['POST', `${p}/leads/some-lead/resend`],
      ['POST', '/api/v1/users', { email: 'x@example.com', password: 'long enough', role: 'owner' }],
      ['DELETE', '/api/v1/users/whoever'],
      ['GET', '/api/v1/users'],
      ['GET', '/api/v1/audit'],
    ];
    for (const [method, url, payload] of changes) {
      const res = await app.inject({ method: method as 'POST', url, headers: v, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json()).toMatchObject({ status: 'error', error: 'FORBIDDEN' });
    }
    expect((await app.inject({ url: `${p}/forms`, headers: bearer })).json()).toHaveLength(1);
    expect((await app.inject({ url: p, headers: bearer })).json().name).toBe('Shop');
  });

  it('a marketer changes forms and resends leads, but not the integration, projects or users', async () => {
    const { app, project, addUser, browser } = await setup();
    await addUser('m@example.com', 'marketer');
    const m = await browser('m@example.com');
    const p = `/api/v1/projects/${project.id}`;
    const created = await app.inject({ method: 'POST', url: `${p}/forms`, headers: m, payload: FORM });
    expect(created.statusCode).toBe(201);
    const formId = created.json().id;
    expect((await app.inject({ method: 'PUT', url: `${p}/forms/${formId}`, headers: m, payload: { ...FORM, title: 'Call me' } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `${p}/forms/${formId}/copy`, headers: m })).statusCode).toBe(201);
    expect((await app.inject({ method: 'DELETE', url: `${p}/forms/${formId}`, headers: m })).statusCode).toBe(204);
    expect((await app.inject({ method: 'POST', url: `${p}/leads/resend`, headers: m, payload: {} })).statusCode).toBe(202);
    expect((await app.inject({ method: 'POST', url: `${p}/leads/nope/resend`, headers: m })).json().error).toBe('LEAD_NOT_FOUND');
    expect((await app.inject({ url: `${p}/crm-fields`, headers: m })).json().error).toBe('NO_INTEGRATION');
    for (const [method, url, payload] of [
      ['PUT', `${p}/integration`, { type: 'webhook', enabled: true, settings: { url: 'https://crm.example/hook' } }],
      ['PUT', p, { name: 'Renamed' }],
      ['DELETE', p],
      ['POST', '/api/v1/users', { email: 'x@example.com', password: 'long enough', role: 'owner' }],
      ['GET', '/api/v1/audit'],
    ] as const) {
      const res = await app.inject({ method, url, headers: m, ...(payload ? { payload } : {}) });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().error).toBe('FORBIDDEN');
    }
  });

  it('an owner user may do everything; the last owner cannot be deleted or demoted', async () => {
    const { app, project, addUser, browser } = await setup();
    const boss = await addUser('boss@example.com', 'owner');
    const o = await browser('boss@example.com');
    const p = `/api/v1/projects/${project.id}`;
    expect((await app.inject({ method: 'PUT', url: `${p}/integration`, headers: o, payload: { type: 'webhook', enabled: true, settings: { url: 'https://crm.example/hook' } } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'PUT', url: p, headers: o, payload: { name: 'Renamed' } })).json().name).toBe('Renamed');
    const v = (await app.inject({ method: 'POST', url: '/api/v1/users', headers: o, payload: { email: 'v@example.com', password: 'long enough', role: 'viewer' } })).json();

    const last = await app.inject({ method: 'DELETE', url: `/api/v1/users/${boss.id}`, headers: o });
    expect(last.statusCode).toBe(409);
    expect(last.json().error).toBe('LAST_OWNER');
    expect((await app.inject({ method: 'PUT', url: `/api/v1/users/${boss.id}`, headers: o, payload: { role: 'viewer' } })).json().error).toBe('LAST_OWNER');
    expect((await app.inject({ method: 'PUT', url: `/api/v1/users/${v.id}`, headers: o, payload: { role: 'owner' } })).json()).toMatchObject({ role: 'owner' });
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/users/${boss.id}`, headers: o })).statusCode).toBe(204);
    // Deleting a user ends their sessions.
    expect((await app.inject({ url: '/api/v1/projects', headers: { cookie: o.cookie } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'DELETE', url: `/api/v1/users/${boss.id}`, headers: bearer })).json().error).toBe('USER_NOT_FOUND');
  });

  it('a change made with the cookie from a page of another site (Origin, Sec-Fetch-Site or Referer) is refused (CSRF); so is such a login', async () => {
    const { app, project, addUser, browser, login } = await setup();
    await addUser('m@example.com', 'marketer');
    const { cookie } = await browser('m@example.com');
    const url = `/api/v1/projects/${project.id}/forms`;
    for (const headers of [
      { cookie, origin: 'https://evil.example' },
      { cookie, origin: 'null' },
      { cookie, origin: 'http://localhost:81' },
      { cookie, 'sec-fetch-site': 'cross-site' },
      { cookie, 'sec-fetch-site': 'same-site' },
      { cookie, referer: 'https://evil.example/page' },
    ]) {
      const res = await app.inject({ method: 'POST', url, headers, payload: FORM });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'FORBIDDEN', message: expect.stringContaining('Origin') });
    }
    expect((await app.inject({ url, headers: bearer })).json()).toHaveLength(0);
    expect((await app.inject({ method: 'POST', url, headers: { cookie, origin: ORIGIN }, payload: FORM })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url, headers: { cookie, 'sec-fetch-site': 'same-origin' }, payload: FORM })).statusCode).toBe(201);
    expect((await app.inject({ method: 'POST', url, headers: { cookie, referer: `${ORIGIN}/admin/` }, payload: FORM })).statusCode).toBe(201);
    // No browser header at all: a script or curl, not a page; SameSite=Strict keeps other sites' requests cookie-less.
    expect((await app.inject({ method: 'POST', url, headers: { cookie }, payload: FORM })).statusCode).toBe(201);
    // Reads need no Origin; the bearer token is not sent by browsers on their own, so it needs none.
    expect((await app.inject({ url, headers: { cookie } })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url, headers: bearer, payload: FORM })).statusCode).toBe(201);
    expect((await app.inject({ url, headers: bearer })).json()).toHaveLength(5);
    const foreign = await login('m@example.com', 'correct horse', { origin: 'https://evil.example' });
    expect(foreign.statusCode).toBe(403);
    expect(foreign.headers['set-cookie']).toBeUndefined();
  });

  it('failed logins are limited per email and per IP: 429 with Retry-After, even for the right password, until the window passes', async () => {
    const { addUser, login } = await setup();
    await addUser('anna@example.com', 'owner');
    for (let i = 0; i < 5; i++) expect((await login('anna@example.com', `wrong ${i}`)).statusCode).toBe(401);
    const blocked = await login('anna@example.com');
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ error: 'RATE_LIMITED', message: expect.stringContaining('failed logins') });
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    await clock.advance(LOGIN_WINDOW_MS);
    expect((await login('anna@example.com')).statusCode).toBe(200);

    await addUser('bob@example.com', 'viewer');
    for (let i = 0; i < 20; i++) expect((await login(`guess${i}@example.com`, 'wrong', {}, '192.0.2.7')).statusCode).toBe(401);
    expect((await login('bob@example.com', 'correct horse', {}, '192.0.2.7')).statusCode).toBe(429);
    expect((await login('bob@example.com', 'correct horse', {}, '192.0.2.8')).statusCode).toBe(200);
  });

  it('the cookie is Secure whenever PUBLIC_URL is https, even when a proxy ended TLS without saying so', async () => {
    clock = createManualClock(Date.UTC(2027, 0, 15, 12));
    const { app } = await startApp({ adminToken: TOKEN, clock, passwordCost: 10, publicUrl: 'https://leads.example' });
    await app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer, payload: { email: 'anna@example.com', password: 'correct horse', role: 'viewer' } });
    const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'anna@example.com', password: 'correct horse' } });
    expect(res.statusCode).toBe(200);
    expect(String(res.headers['set-cookie'])).toMatch(/; Secure$/);
    const out = await app.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie: String(res.headers['set-cookie']).split(';')[0]! } });
    expect(String(out.headers['set-cookie'])).toMatch(/Max-Age=0; Secure$/);
  });

  it('a login past the password-hash slots is 429 RATE_LIMITED at once (no hash is queued without bound)', async () => {
    clock = createManualClock(Date.UTC(2027, 0, 15, 12));
    const started = await startApp({ adminToken: TOKEN, clock, passwordCost: 10, loginHashSlots: { concurrent: 0, queued: 0 } });
    store = started.store;
    const app = started.app;
    await app.inject({ method: 'POST', url: '/api/v1/users', headers: bearer, payload: { email: 'anna@example.com', password: 'correct horse', role: 'viewer' } });
    for (const email of ['anna@example.com', 'nobody@example.com']) {
      const res = await app.inject({ method: 'POST', url: '/api/v1/session', payload: { email, password: 'correct horse' } });
      expect(res.statusCode).toBe(429);
      expect(res.json()).toMatchObject({ error: 'RATE_LIMITED', message: expect.stringContaining('at once') });
      expect(res.headers['retry-after']).toBe('1');
    }
    // Refused for load, not for a wrong password: nothing counts as a failed login.
    expect(await store.db.all('SELECT bucket FROM login_failures')).toEqual([]);
  });

  it('a login ends the session the browser had before (another user\'s, or the same user\'s)', async () => {
    const { app, addUser, browser, login } = await setup();
    await addUser('anna@example.com', 'owner');
    await addUser('bob@example.com', 'viewer');
    const anna = await browser('anna@example.com');
    const again = await login('bob@example.com', 'correct horse', anna);
    expect(again.statusCode).toBe(200);
    const bob = String(again.headers['set-cookie']).split(';')[0]!;
    expect(bob).not.toBe(anna.cookie);
    expect((await app.inject({ url: '/api/v1/session', headers: { cookie: anna.cookie } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/session', headers: { cookie: bob } })).json()).toMatchObject({ user: { email: 'bob@example.com' } });
    expect(await store.db.all('SELECT id_hash FROM sessions')).toHaveLength(1);
  });

  it('guesses from another address never lock the real user out, however long they go on', async () => {
    const { addUser, login } = await setup();
    await addUser('anna@example.com', 'owner');
    // An attacker keeps guessing Anna's password for an hour, from one IPv4 and from many IPv6 addresses.
    for (let round = 0; round < 4; round++) {
      for (let i = 0; i < 6; i++) await login('anna@example.com', `wrong ${i}`, {}, '198.51.100.9');
      for (let i = 0; i < 6; i++) await login('anna@example.com', `wrong ${i}`, {}, `2001:db8:abcd:${round}${i}::1`);
      expect((await login('anna@example.com', 'wrong again', {}, '198.51.100.9')).statusCode).toBe(429);
      // The attacker's IPv6 /48 is one address to the limit: a new address in it does not start afresh.
      expect((await login('anna@example.com', 'correct horse', {}, '2001:db8:abcd:ffff::7')).statusCode).toBe(429);
      // Anna, from her own address, logs in all the same.
      expect((await login('anna@example.com', 'correct horse', {}, '203.0.113.5')).statusCode).toBe(200);
      await clock.advance(LOGIN_WINDOW_MS / 4);
    }
  });

  it('records who changed forms, the integration, projects and users; never a secret or a password; owners read it by project', async () => {
    const { app, project, addUser, browser } = await setup();
    await addUser('m@example.com', 'marketer', 'marketer password');
    const m = await browser('m@example.com', 'marketer password');
    const p = `/api/v1/projects/${project.id}`;
    const form = (await app.inject({ method: 'POST', url: `${p}/forms`, headers: m, payload: FORM })).json();
    await app.inject({ method: 'PUT', url: `${p}/forms/${form.id}`, headers: m, payload: { ...FORM, title: 'Call me' } });
    await app.inject({ method: 'DELETE', url: `${p}/forms/${form.id}`, headers: m });
    await app.inject({ method: 'PUT', url: `${p}/integration`, headers: bearer, payload: { type: 'webhook', enabled: true, settings: { url: 'https://crm.example/hook', secret: 'hmac-secret-value' } } });
    await app.inject({ method: 'PUT', url: p, headers: bearer, payload: { name: 'Renamed' } });
    await app.inject({ method: 'POST', url: `${p}/key`, headers: bearer });
    // A refused change is not recorded.
    await app.inject({ method: 'PUT', url: `${p}/integration`, headers: m, payload: { type: 'webhook', enabled: true, settings: { url: 'https://x.example' } } });

    const res = await app.inject({ url: `/api/v1/audit?projectId=${project.id}`, headers: bearer });
    expect(res.statusCode).toBe(200);
    const items = res.json().items as { actor: string; action: string; detail: Record<string, unknown>; at: string; projectId: string }[];
    expect(items.map((e) => [e.actor, e.action])).toEqual([
      ['admin token', 'project.key'],
      ['admin token', 'project.update'],
      ['admin token', 'integration.update'],
      ['m@example.com', 'form.delete'],
      ['m@example.com', 'form.update'],
      ['m@example.com', 'form.create'],
      ['admin token', 'project.create'],
    ]);
    expect(items[1]!.detail).toEqual({ name: 'Renamed' });
    expect(items[2]!.detail).toEqual({ type: 'webhook', enabled: true, settings: ['secret', 'url'] });
    expect(items[5]!.detail).toEqual({ formId: form.id, title: 'Contact' });
    expect(items[0]!.at).toBe(new Date(clock.now()).toISOString());

    const all = await app.inject({ url: '/api/v1/audit', headers: bearer });
    const userEntry = (all.json().items as { action: string; projectId: string | null; detail: object }[]).find((e) => e.action === 'user.create');
    expect(userEntry).toMatchObject({ projectId: null, detail: { email: 'm@example.com', role: 'marketer' } });
    expect(all.body).not.toContain('hmac-secret-value');
    expect(all.body).not.toContain('marketer password');
    expect(all.body).not.toContain('https://crm.example/hook');
    const page = await app.inject({ url: '/api/v1/audit?limit=2', headers: bearer });
    const next = page.json().next;
    expect(page.json().items).toHaveLength(2);
    expect((await app.inject({ url: `/api/v1/audit?limit=2&before=${next}`, headers: bearer })).json().items[0].id).toBeLessThan(Number(next));
  });
});
