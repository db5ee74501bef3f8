// How many leads a second one collector delivers to a CRM that answers at once (the CRM's own
// rate limit and parallel cap lifted, so the figure is the worker's, not the limit's).
import { afterEach, expect, it } from 'vitest';
import { systemClock } from '../../src/clock.ts';
import { webhook } from '../../src/crm/webhook.ts';
import { createWorker } from '../../src/delivery/worker.ts';
import { silentLog, startHarness, type Harness } from './delivery-harness.ts';

/** A floor far below what an idle machine does: it guards against a stalled worker, not a slow CI. */
const FLOOR_PER_SECOND = 20;

let current: Harness | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

it('delivers a backlog of 1000 leads to a no-delay webhook, each exactly once', async () => {
  const h = (current = await startHarness());
  const n = 1000;
  // The machine's own pace for the same requests, without the collector, for comparison.
  const rawStarted = performance.now();
  await Promise.all(
    Array.from({ length: 200 }, (_, i) =>
      fetch(h.crm.url, { method: 'POST', headers: { 'idempotency-key': `raw-${i}` }, body: '{}' }).then((r) => r.text()),
    ),
  );
  const rawPerSecond = Math.round(200 / ((performance.now() - rawStarted) / 1000));
  h.crm.receipts.length = 0;
  for (let i = 0; i < n; i++) await h.lead(i);
  const worker = createWorker({
    store: h.ctx.store,
    log: silentLog,
    clock: systemClock,
    adapterFor: () => ({ ...webhook, rateLimit: { count: 1_000_000, perMs: 1000, parallel: 1000 } }),
  });
  const started = performance.now();
  worker.start();
  await h.crm.waitForDeals(n, (n / FLOOR_PER_SECOND) * 1000);
  const seconds = (performance.now() - started) / 1000;
  await worker.stop();
  const perSecond = Math.round(n / seconds);
  console.log(`delivery throughput: ${n} leads in ${seconds.toFixed(2)} s = ${perSecond} leads/s (bare HTTP to the same mock: ${rawPerSecond} req/s)`);
  expect(h.crm.receipts).toHaveLength(n);
  expect(new Set(h.crm.receipts.map((r) => r.idempotencyKey)).size).toBe(n);
  expect(perSecond).toBeGreaterThan(FLOOR_PER_SECOND);
}, (1000 / FLOOR_PER_SECOND) * 1000 + 30_000);
