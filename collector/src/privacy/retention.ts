// Retention (docs/privacy.md "Retention"): every project with `retentionDays` loses its leads (with
// their jobs, attempts and comments) and visits older than that. A pass runs when the app is ready
// and then every `intervalMs` (hourly), on the app's clock, in small batches that let requests in
// between (purge.ts). plugins/retention.ts starts and stops it with the app.
import type { Logger } from 'pino';
import type { Clock } from '../clock.ts';
import type { Metrics } from '../metrics.ts';
import type { Store } from '../store/types.ts';
import { addDeleted, noneDeleted, purgeOlderThan, retentionCutoff, type Deleted } from './purge.ts';

export interface RetentionOptions {
  /** Time between two passes (default: an hour, so nothing outlives its period by more than that). */
  intervalMs?: number;
  /** Rows a batch deletes at most (default 200). */
  batchSize?: number;
}

export const RETENTION_INTERVAL_MS = 3_600_000;
export const RETENTION_BATCH_SIZE = 200;

export interface Retention {
  start(): void;
  /** Stops after the batch in progress; resolves once the loop has ended. */
  stop(): Promise<void>;
  /** One pass over every project now; resolves to what it deleted. */
  runOnce(): Promise<Deleted>;
  /** Resolves when no pass is running (tests: after advancing the clock past the interval). */
  settled(): Promise<void>;
}

export interface RetentionDeps extends RetentionOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  metrics?: Metrics;
}

export function createRetention(deps: RetentionDeps): Retention {
  const intervalMs = deps.intervalMs ?? RETENTION_INTERVAL_MS;
  const batchSize = deps.batchSize ?? RETENTION_BATCH_SIZE;
  let halt: AbortController | null = null;
  let loop: Promise<void> | null = null;
  let current: Promise<unknown> = Promise.resolve();

  async function pass(signal?: AbortSignal): Promise<Deleted> {
    const total = noneDeleted();
    const now = deps.clock.now();
    for (const project of await deps.store.listProjects()) {
      if (signal?.aborted) break;
      const { retentionDays } = await deps.store.getProjectSettings(project.id);
      if (retentionDays == null) continue;
      const deleted = await purgeOlderThan(deps.store.db, project.id, retentionCutoff(now, retentionDays), now, {
        batchSize,
        onBatch: (d) => deps.metrics?.recordRetentionDeleted(d),
        stopped: () => !!signal?.aborted,
      });
      addDeleted(total, deleted);
      if (deleted.leads || deleted.visits) deps.log.info({ projectId: project.id, retentionDays, deleted }, 'retention: old leads and visits deleted');
    }
    return total;
  }

  function runOnce(signal?: AbortSignal): Promise<Deleted> {
    const run = pass(signal);
    current = run.catch(() => undefined);
    return run;
  }

  return {
    start() {
      if (loop) return;
      const controller = new AbortController();
      halt = controller;
      loop = (async () => {
        while (!controller.signal.aborted) {
          try {
            await runOnce(controller.signal);
          } catch (err) {
            deps.log.error({ err }, 'retention: a pass failed; the next one tries again');
          }
          await deps.clock.sleep(intervalMs, controller.signal).catch(() => undefined);
        }
      })();
    },
    async stop() {
      halt?.abort();
      await loop;
      loop = null;
      halt = null;
    },
    runOnce: () => runOnce(),
    async settled() {
      await current;
    },
  };
}
