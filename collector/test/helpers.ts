// Test helpers: an in-memory collector driven with app.inject(), no socket.
import pino from 'pino';
import { buildApp, type App, type AppOptions } from '../src/app.ts';

export const TOKEN = 'test-admin-token-abcdef';
export const auth = { authorization: `Bearer ${TOKEN}` };

export async function testApp(opts: Partial<AppOptions> = {}): Promise<App> {
  const built = await buildApp({ adminToken: TOKEN, logger: pino({ level: 'silent' }), worker: false, ...opts });
  await built.app.ready();
  return built;
}

export async function newProject(app: App['app'], name = 'Test'): Promise<{ id: string; key: string }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/projects', headers: auth, payload: { name } });
  if (res.statusCode !== 201) throw new Error(res.body);
  return res.json();
}

export function siteLead(overrides: Record<string, unknown> = {}) {
  return {
    clientId: `c-${Math.random().toString(36).slice(2, 12)}`,
    name: 'Anna',
    phone: '+7 999 000-11-22',
    email: 'anna@example.com',
    context: { page: 'https://shop.example/contacts', referrer: 'https://google.com/', landingPage: 'https://shop.example/' },
    ...overrides,
  };
}
