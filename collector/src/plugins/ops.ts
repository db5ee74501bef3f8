// Operations endpoints: /healthz for load balancers and orchestrators, /metrics for Prometheus.
import type { FastifyPluginAsync } from 'fastify';
import { sendError } from '../errors.ts';
import type { Metrics } from '../metrics.ts';
import type { Store } from '../store/types.ts';

export interface OpsOptions {
  store: Store;
  metrics: Metrics;
  now: () => number;
}

export function opsPlugin({ store, metrics, now }: OpsOptions): FastifyPluginAsync {
  return async (app) => {
    // Health: the database takes a write (a read-only or full disk makes every lead fail, so it is not
    // healthy), and how far behind delivery is. The probe is shared by the calls of one second, so
    // polling /healthz cannot turn into a stream of fsyncs.
    let probe: { at: number; done: Promise<void> } | null = null;
    app.get('/healthz', { schema: { tags: ['operations'] } }, async (req, reply) => {
      reply.header('cache-control', 'no-store');
      const at = now();
      if (!probe || at - probe.at >= 1000 || at < probe.at) probe = { at, done: store.probeWrite(at) };
      let queue: { depth: number; oldestDueAt: number | null };
      try {
        await probe.done;
        queue = await store.queueStats(at);
      } catch (err) {
        req.log.error({ err }, 'health check: the database cannot be written');
        return sendError(reply, 'STORAGE_UNAVAILABLE');
      }
      return reply.send({
        status: 'ok',
        queue: {
          depth: queue.depth,
          oldestDueAt: queue.oldestDueAt === null ? null : new Date(queue.oldestDueAt).toISOString(),
          oldestDueSeconds: queue.oldestDueAt === null ? null : Math.max(0, Math.floor((at - queue.oldestDueAt) / 1000)),
        },
      });
    });
    // Prometheus scrape endpoint: delivery queue, attempts, latency (no lead data, no secrets).
    app.get('/metrics', { schema: { tags: ['operations'] } }, async (_req, reply) => {
      return reply.header('content-type', metrics.contentType).header('cache-control', 'no-store').send(await metrics.render());
    });
  };
}
