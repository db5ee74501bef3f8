// Megaplan's token cache is a dependency of the adapter, not module state: each app builds its own
// adapters (crm/index.ts createAdapterRegistry), so two apps never share a token.
import pino from 'pino';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { startMegaplanMock, type MegaplanMock } from '../../../fixtures/crm/megaplan.ts';
import { buildApp, type App } from '../../src/app.ts';
import { createMegaplan } from '../../src/crm/megaplan.ts';
import { newMegaplanMemory } from '../../src/crm/megaplan-api.ts';
import type { CrmContext } from '../../src/crm/types.ts';
import { TOKEN } from '../helpers.ts';

let mock: MegaplanMock;
let ctx: CrmContext;
const apps: App[] = [];
beforeEach(async () => {
  mock = await startMegaplanMock();
  ctx = { settings: { baseUrl: mock.url, username: mock.username, password: mock.password }, fetch };
});
afterEach(async () => {
  for (const t of apps.splice(0)) await t.app.close();
  await mock.close();
});

test('one adapter reuses its token; another adapter with its own memory takes its own', async () => {
  const memory = newMegaplanMemory();
  const first = createMegaplan(memory);
  expect((await first.testConnection(ctx)).ok).toBe(true);
  expect((await first.testConnection(ctx)).ok).toBe(true);
  expect(mock.tokensIssued()).toBe(1);
  expect(memory.tokens.size).toBe(1);
  // The same memory given to a second adapter shares the token: the memory is the cache.
  expect((await createMegaplan(memory).testConnection(ctx)).ok).toBe(true);
  expect(mock.tokensIssued()).toBe(1);
  expect((await createMegaplan().testConnection(ctx)).ok).toBe(true);
  expect(mock.tokensIssued()).toBe(2);
});

test('two app instances have their own Megaplan adapters and never share a token', async () => {
  for (let i = 0; i < 2; i++) apps.push(await buildApp({ adminToken: TOKEN, logger: pino({ level: 'silent' }), worker: false }));
  const [a, b] = apps.map((t) => t.ctx.adapters.adapterFor('megaplan')!);
  expect(a).not.toBe(b);
  expect((await a!.testConnection(ctx)).ok).toBe(true);
  expect((await b!.testConnection(ctx)).ok).toBe(true);
  expect(mock.tokensIssued()).toBe(2);
  expect((await a!.testConnection(ctx)).ok).toBe(true);
  expect(mock.tokensIssued()).toBe(2);
});
