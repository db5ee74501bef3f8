// /healthz: the queue, and 503 when the database cannot be written (every lead would fail then).
import { afterEach, expect, test } from 'vitest';
import type { App } from '../src/app.ts';
import { createManualClock } from '../../test-support/manual-clock.ts';
import { openSqliteStore } from '../src/store/sqlite.ts';
import type { Store } from '../src/store/types.ts';
import { newProject, testApp } from './helpers.ts';

let t: App | undefined;
afterEach(async () => {
  await t?.app.close();
  t = undefined;
});

/** A real SQLite store whose writes can be made to fail the way a full disk fails them. */
function storeWithDisk() {
  const store = openSqliteStore({ file: ':memory:' });
  const disk = { full: false, probes: 0 };
  const wrapped: Store = {
    ...store,
    async probeWrite(now) {
      disk.probes++;
      if (disk.full) throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
      return store.probeWrite(now);
    },
  };
  return { store: wrapped, disk };
}

test('/healthz shows the queue depth and the oldest due job', async () => {
  const clock = createManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  t = await testApp({ clock, rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 } });
  const { id, key } = await newProject(t.app);
  await t.ctx.store.putIntegration(id, { type: 'webhook', enabled: true, settings: { url: 'http://127.0.0.1:9/hook', secret: 's' } }, clock.now());
  expect((await t.app.inject({ url: '/healthz' })).json()).toEqual({ status: 'ok', queue: { depth: 0, oldestDueAt: null, oldestDueSeconds: null } });
  for (const name of ['A', 'B']) expect((await t.app.inject({ url: `/api/proxy/1.0/leads/add?key=${key}&name=${name}&phone=7999000111${name === 'A' ? 1 : 2}` })).statusCode).toBe(200);
  const queuedAt = clock.now();
  await clock.advance(90_000);
  const res = await t.app.inject({ url: '/healthz' });
  expect(res.statusCode).toBe(200);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(res.json()).toEqual({ status: 'ok', queue: { depth: 2, oldestDueAt: new Date(queuedAt).toISOString(), oldestDueSeconds: 90 } });
});

test('/healthz answers 503 in the error shape when the database cannot be written, and recovers', async () => {
  const clock = createManualClock(1_000_000);
  const { store, disk } = storeWithDisk();
  t = await testApp({ store, clock });
  expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
  disk.full = true;
  await clock.advance(1000);
  const res = await t.app.inject({ url: '/healthz' });
  expect(res.statusCode).toBe(503);
  expect(res.json()).toEqual({ status: 'error', error: 'STORAGE_UNAVAILABLE', message: expect.stringMatching(/cannot be written/) });
  // The store's own message stays in the log, not on a public endpoint.
  expect(res.body).not.toContain('SQLITE_FULL');
  disk.full = false;
  await clock.advance(1000);
  expect((await t.app.inject({ url: '/healthz' })).statusCode).toBe(200);
});

test('/healthz writes once a second at most, however often it is asked', async () => {
  const clock = createManualClock(1_000_000);
  const { store, disk } = storeWithDisk();
  t = await testApp({ store, clock });
  await Promise.all(Array.from({ length: 20 }, () => t!.app.inject({ url: '/healthz' })));
  expect(disk.probes).toBe(1);
  await clock.advance(999);
  await t.app.inject({ url: '/healthz' });
  expect(disk.probes).toBe(1);
  await clock.advance(1);
  await t.app.inject({ url: '/healthz' });
  expect(disk.probes).toBe(2);
});
