// Two collector apps on one PostgreSQL (README "Users and roles", "Projects"): a login made on one
// works on the other, a logout on one ends it on both, a user deleted on one is gone on both, and a
// new project key or a deleted project holds on the other at once (no process keeps a project).
import pg from 'pg';
import pino from 'pino';
import { afterAll, expect, it } from 'vitest';
import { buildApp, type App } from '../src/app.ts';
import { openPostgresStore } from '../src/store/postgres.ts';
import type { Store } from '../src/store/types.ts';
import { PG_URL } from './store-helpers.ts';

const TOKEN = 'owner-token-abcdef';
const bearer = { authorization: `Bearer ${TOKEN}` };
const schema = `lr_two_apps_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const apps: App[] = [];
const stores: Store[] = [];

afterAll(async () => {
  for (const a of apps) await a.app.close();
  for (const s of stores) await s.close();
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await client.end();
});

async function collector(): Promise<App['app']> {
  const store = await openPostgresStore({ connectionString: PG_URL, schema, max: 4 });
  stores.push(store);
  const built = await buildApp({ adminToken: TOKEN, store, worker: false, passwordCost: 10, logger: pino({ level: 'silent' }) });
  await built.app.ready();
  apps.push(built);
  return built.app;
}

it('sessions, users, keys and deletions made on one process hold on the other at once', async () => {
  const a = await collector();
  const b = await collector();
  const project = (await a.inject({ method: 'POST', url: '/api/v1/projects', headers: bearer, payload: { name: 'Shop' } })).json();
  // b looks the project up by its key (and id) before anything changes.
  expect((await b.inject({ url: `/api/proxy/1.0/leads/add?key=${project.key}&name=Bob` })).json().status).toBe('success');
  expect((await b.inject({ url: `/api/site/1.0/${project.id}/config` })).statusCode).toBe(200);

  const user = (await a.inject({ method: 'POST', url: '/api/v1/users', headers: bearer, payload: { email: 'm@example.com', password: 'long enough', role: 'marketer' } })).json();
  const login = await b.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'm@example.com', password: 'long enough' } });
  expect(login.statusCode).toBe(200);
  const cookie = String(login.headers['set-cookie']).split(';')[0]!;
  expect((await a.inject({ url: '/api/v1/session', headers: { cookie } })).json()).toEqual({ user: { id: user.id, email: 'm@example.com', role: 'marketer' } });
  const form = await a.inject({ method: 'POST', url: `/api/v1/projects/${project.id}/forms`, headers: { cookie, origin: 'http://localhost:80' }, payload: { title: 'T', selector: 'form', fields: {} } });
  expect(form.statusCode).toBe(201);

  expect((await a.inject({ method: 'DELETE', url: '/api/v1/session', headers: { cookie } })).statusCode).toBe(204);
  expect((await b.inject({ url: '/api/v1/projects', headers: { cookie } })).statusCode).toBe(401);

  const again = String((await a.inject({ method: 'POST', url: '/api/v1/session', payload: { email: 'm@example.com', password: 'long enough' } })).headers['set-cookie']).split(';')[0]!;
  expect((await b.inject({ url: '/api/v1/projects', headers: { cookie: again } })).statusCode).toBe(200);
  expect((await b.inject({ method: 'DELETE', url: `/api/v1/users/${user.id}`, headers: bearer })).statusCode).toBe(204);
  expect((await a.inject({ url: '/api/v1/projects', headers: { cookie: again } })).statusCode).toBe(401);

  const { key } = (await a.inject({ method: 'POST', url: `/api/v1/projects/${project.id}/key`, headers: bearer })).json();
  expect((await b.inject({ url: `/api/proxy/1.0/leads/add?key=${project.key}&name=Bob` })).json().error).toBe('AUTH_ERROR');
  expect((await b.inject({ url: `/api/proxy/1.0/leads/add?key=${key}&name=Bob` })).json().status).toBe('success');

  expect((await a.inject({ method: 'DELETE', url: `/api/v1/projects/${project.id}`, headers: bearer })).statusCode).toBe(204);
  expect((await b.inject({ url: `/api/proxy/1.0/leads/add?key=${key}&name=Bob` })).json().error).toBe('AUTH_ERROR');
  expect((await b.inject({ url: `/api/v1/projects/${project.id}`, headers: bearer })).statusCode).toBe(404);
});
