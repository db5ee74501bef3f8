// Prometheus metrics of delivery, on a registry of our own (not prom-client's global one, so two
// apps in one test process never collide). Queue gauges are read at scrape time from a probe the
// worker supplies (one cheap query each), so they are never stale and cost nothing between scrapes.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { PURGE_KINDS, type Deleted } from './privacy/purge.ts';

export type AttemptOutcome = 'sent' | 'retry' | 'failed';

export interface QueueStats {
  /** Jobs waiting to be sent (due now or later). */
  depth: number;
  /** Seconds the oldest due job has been waiting past its run time; 0 when none is due. */
  oldestDueAgeSeconds: number;
}

export interface Metrics {
  registry: Registry;
  /** The worker tells how to read the queue; until then the gauges read 0. */
  setQueueProbe(probe: () => QueueStats | Promise<QueueStats>): void;
  recordAttempt(outcome: AttemptOutcome, durationMs: number, integration: string): void;
  /** A lead reached the CRM `latencyMs` after it was created. */
  recordDelivered(latencyMs: number, integration: string): void;
  /** A lead or visit was refused because its project's daily quota was used up. */
  recordQuotaExceeded(kind: 'leads' | 'visits'): void;
  /** Rows retention deleted, by kind (docs/privacy.md "Retention"). */
  recordRetentionDeleted(deleted: Deleted): void;
  contentType: string;
  render(): Promise<string>;
}

export function createMetrics(opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (opts.defaultMetrics) collectDefaultMetrics({ register: registry, prefix: 'leadrelay_' });
  let probe: (() => QueueStats | Promise<QueueStats>) | null = null;
  const readStats = async (): Promise<QueueStats> => (probe ? probe() : { depth: 0, oldestDueAgeSeconds: 0 });

  new Gauge({
    name: 'leadrelay_delivery_queue_depth',
    help: 'Delivery jobs waiting to be sent.',
    registers: [registry],
    async collect() {
      this.set((await readStats()).depth);
    },
  });
  new Gauge({
    name: 'leadrelay_delivery_oldest_due_job_age_seconds',
    help: 'How long the oldest due delivery job has waited past its run time.',
    registers: [registry],
    async collect() {
      this.set((await readStats()).oldestDueAgeSeconds);
    },
  });
  const attempts = new Counter({
    name: 'leadrelay_delivery_attempts_total',
    help: 'Delivery attempts by outcome: sent, retry (failed, will retry), failed (gave up).',
    labelNames: ['outcome', 'integration'] as const,
    registers: [registry],
  });
  const attemptDuration = new Histogram({
    name: 'leadrelay_delivery_attempt_duration_seconds',
    help: 'Duration of one delivery attempt (the CRM call).',
    labelNames: ['integration'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const latency = new Histogram({
    name: 'leadrelay_delivery_latency_seconds',
    help: 'From lead creation to its delivery to the CRM.',
    labelNames: ['integration'] as const,
    // From instant delivery to the end of the 2-day retry schedule.
    buckets: [0.1, 0.5, 1, 5, 30, 60, 300, 1800, 3600, 6 * 3600, 24 * 3600, 2 * 24 * 3600],
    registers: [registry],
  });

  const quotaExceeded = new Counter({
    name: 'leadrelay_quota_exceeded_total',
    help: 'Leads and visits refused (429 QUOTA_EXCEEDED) because the project had stored its daily quota.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });

  const retentionDeleted = new Counter({
    name: 'leadrelay_retention_deleted_total',
    help: 'Rows deleted because they were older than their project\'s retentionDays, by kind: leads, visits, jobs, attempts, comments.',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  // Every kind shows from the first scrape, at 0.
  for (const kind of PURGE_KINDS) retentionDeleted.inc({ kind }, 0);

  return {
    registry,
    setQueueProbe(p) {
      probe = p;
    },
    recordAttempt(outcome, durationMs, integration) {
      attempts.inc({ outcome, integration });
      attemptDuration.observe({ integration }, Math.max(0, durationMs) / 1000);
    },
    recordDelivered(latencyMs, integration) {
      latency.observe({ integration }, Math.max(0, latencyMs) / 1000);
    },
    recordQuotaExceeded(kind) {
      quotaExceeded.inc({ kind });
    },
    recordRetentionDeleted(deleted) {
      for (const kind of PURGE_KINDS) if (deleted[kind] > 0) retentionDeleted.inc({ kind }, deleted[kind]);
    },
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}
