import { describe, expect, it } from 'vitest';
import { createMetrics } from '../../src/metrics.ts';

describe('delivery metrics', () => {
  it('exposes queue gauges read from the worker’s probe at scrape time', async () => {
    const metrics = createMetrics();
    expect(await metrics.render()).toContain('leadrelay_delivery_queue_depth 0');
    let depth = 3;
    metrics.setQueueProbe(() => ({ depth, oldestDueAgeSeconds: 42.5 }));
    let text = await metrics.render();
    expect(text).toContain('leadrelay_delivery_queue_depth 3');
    expect(text).toContain('leadrelay_delivery_oldest_due_job_age_seconds 42.5');
    depth = 0;
    text = await metrics.render();
    expect(text).toContain('leadrelay_delivery_queue_depth 0');
  });

  it('counts attempts by outcome and observes durations and latency in seconds', async () => {
    const metrics = createMetrics();
    metrics.recordAttempt('sent', 120, 'webhook');
    metrics.recordAttempt('retry', 30, 'webhook');
    metrics.recordAttempt('retry', 40, 'webhook');
    metrics.recordAttempt('failed', 10, 'amocrm');
    metrics.recordDelivered(3 * 3600_000, 'webhook');
    const text = await metrics.render();
    expect(text).toContain('leadrelay_delivery_attempts_total{outcome="sent",integration="webhook"} 1');
    expect(text).toContain('leadrelay_delivery_attempts_total{outcome="retry",integration="webhook"} 2');
    expect(text).toContain('leadrelay_delivery_attempts_total{outcome="failed",integration="amocrm"} 1');
    expect(text).toContain('leadrelay_delivery_attempt_duration_seconds_count{integration="webhook"} 3');
    expect(text).toContain('leadrelay_delivery_attempt_duration_seconds_sum{integration="webhook"} 0.19');
    expect(text).toContain('leadrelay_delivery_latency_seconds_bucket{le="3600",integration="webhook"} 0');
    expect(text).toContain('leadrelay_delivery_latency_seconds_bucket{le="21600",integration="webhook"} 1');
  });

  it('each app gets its own registry', async () => {
    const a = createMetrics();
    const b = createMetrics();
    a.recordAttempt('sent', 1, 'webhook');
    expect(await b.render()).not.toContain('outcome="sent"');
    expect(a.contentType).toMatch(/text\/plain/);
  });
});
