// The store's delivery-job methods (store/types.ts `Store`), for both dialects. The job row holds
// the delivery state (docs/data-model.md "Delivery state"): a failure changes it with one UPDATE
// (graphile-worker's failJobs is the model); the lead's own row changes only with its outcome.
import { planFailure } from '../leads/plan.ts';
import { all, get, run, type Engine, type Script } from './engine.ts';
import { PARKED_RUN_AT, toJob } from './rows.ts';
import { OPEN_JOB, queueJob } from './statements.ts';
import type { AttemptRecord, Job, Store } from './types.ts';

type JobMethods = Pick<Store, 'claimJobs' | 'renewLease' | 'completeJob' | 'failJob' | 'releaseJob' | 'parkJob' | 'queueStats'>;

/** Only while this worker still holds the job: after a lost lease it belongs to another. */
const HELD = 'id = ? AND locked_by IS NOT DISTINCT FROM ?';

const INSERT_ATTEMPT = 'INSERT INTO attempts (lead_id, kind, at, ok, http_status, error, duration_ms, dropped_fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)';
const DONE = "tries = tries + 1, attempts = attempts + 1, state = 'done', last_error = NULL, locked_by = NULL, locked_until = NULL";
const SENT = "status = 'sent', crm_id = ?, status_reason = NULL";

function attemptParams(job: Job, a: AttemptRecord): unknown[] {
  const dropped = a.droppedFields?.length ? JSON.stringify(a.droppedFields) : null;
  return [job.leadId, job.kind, a.at, a.ok ? 1 : 0, a.httpStatus, a.error, Math.round(a.durationMs), dropped];
}

function* recordAttempt(job: Job, a: AttemptRecord): Script<void> {
  yield* run(INSERT_ATTEMPT, attemptParams(job, a));
}

/**
 * A success on PostgreSQL: the attempt, the job and the lead in one statement (data-modifying WITH),
 * so a batch of outcomes costs one round trip per attempt instead of three; the batch holds its
 * connection, and the worker's next claim waits for its commit (docs/architecture.md "Delivery worker").
 */
function* completeInOneStatement(job: Job, a: AttemptRecord, crmId: string | null): Script<void> {
  const params = attemptParams(job, a);
  if (job.kind === 'create') {
    yield* run(`WITH attempt AS (${INSERT_ATTEMPT}), job AS (UPDATE jobs SET ${DONE} WHERE id = ?) UPDATE leads SET ${SENT} WHERE id = ?`, [
      ...params,
      job.id,
      crmId,
      job.leadId,
    ]);
  } else {
    yield* run(`WITH attempt AS (${INSERT_ATTEMPT}) UPDATE jobs SET ${DONE} WHERE id = ?`, [...params, job.id]);
  }
}

export function jobMethods(engine: Engine): JobMethods {
  const d = engine.dialect;
  return {
    async claimJobs(workerId, now, limit, leaseMs, skipProjects = []) {
      const rows = await engine.writeOne(
        all(
          `UPDATE jobs SET locked_until = ?, locked_by = ?
           WHERE id IN (SELECT id FROM jobs WHERE ${OPEN_JOB} AND run_at <= ? AND (locked_until IS NULL OR locked_until <= ?)
                        AND project_id NOT IN ${d.jsonTextList}
                        ORDER BY run_at, id LIMIT ?${d.skipLocked})
           RETURNING *`,
          [now + leaseMs, workerId, now, now, JSON.stringify(skipProjects), limit],
        ),
      );
      // RETURNING does not keep the subquery's order.
      return rows.map(toJob).sort((a, b) => a.runAt - b.runAt || a.id - b.id);
    },
    async renewLease(job, until) {
      return (await engine.writeOne(run(`UPDATE jobs SET locked_until = ? WHERE ${HELD}`, [until, job.id, job.lockedBy]))) > 0;
    },
    // Attempt outcomes are batched (engine.writeBatched): a worker finishing many attempts at once
    // pays one commit (on SQLite one fsync) for the batch, not one per lead.
    async completeJob(job, attempt, crmId, notes = []) {
      function* script() {
        // The CRM has the lead whatever happened to the lease: success is always recorded.
        if (d.name === 'postgres') yield* completeInOneStatement(job, attempt, crmId);
        else {
          yield* recordAttempt(job, attempt);
          yield* run(`UPDATE jobs SET ${DONE} WHERE id = ?`, [job.id]);
          if (job.kind === 'create') yield* run(`UPDATE leads SET ${SENT} WHERE id = ?`, [crmId, job.leadId]);
        }
        for (const n of notes) yield* queueJob(job.leadId, job.projectId, { kind: 'note', payload: { title: n.title, message: n.message } }, attempt.at);
      }
      await engine.writeBatched(script);
    },
    async failJob(job, attempt, retryAt, error) {
      const plan = planFailure(job.kind, retryAt, error);
      function* script() {
        yield* recordAttempt(job, attempt);
        // One statement decides attempts, next run, last error, state and the lock.
        const held = yield* get(
          `UPDATE jobs SET tries = tries + 1, attempts = attempts + 1, first_attempt_at = COALESCE(first_attempt_at, ?),
             run_at = COALESCE(?, run_at), last_error = ?, state = ?, locked_by = NULL, locked_until = NULL
           WHERE ${HELD} RETURNING state`,
          [job.firstAttemptAt ?? attempt.at, plan.runAt, plan.lastError, plan.state, job.id, job.lockedBy],
        );
        if (!held) {
          // The lease was lost: the attempt still counts for the lead; the job is its new owner's.
          yield* run('UPDATE jobs SET tries = tries + 1 WHERE id = ?', [job.id]);
          return;
        }
        if (plan.leadStatus) yield* run('UPDATE leads SET status = ? WHERE id = ?', [plan.leadStatus, job.leadId]);
      }
      await engine.writeBatched(script);
    },
    async releaseJob(job, runAt) {
      await engine.writeOne(run(`UPDATE jobs SET run_at = ?, locked_by = NULL, locked_until = NULL WHERE ${HELD}`, [runAt, job.id, job.lockedBy]));
    },
    async parkJob(job) {
      await engine.write(
        (function* () {
          if (job.kind !== 'create') {
            yield* run(`UPDATE jobs SET run_at = ?, locked_by = NULL, locked_until = NULL WHERE ${HELD}`, [PARKED_RUN_AT, job.id, job.lockedBy]);
            return;
          }
          const parked = yield* run(`UPDATE jobs SET state = 'parked', last_error = NULL, locked_by = NULL, locked_until = NULL WHERE ${HELD}`, [
            job.id,
            job.lockedBy,
          ]);
          if (parked) yield* run("UPDATE leads SET status = 'no_integration', status_reason = ? WHERE id = ?", ['no enabled integration', job.leadId]);
        })(),
      );
    },
    async queueStats(now) {
      const r = (await engine.read(get(`SELECT COUNT(*) AS depth, MIN(CASE WHEN run_at <= ? THEN run_at END) AS oldest FROM jobs WHERE ${OPEN_JOB}`, [now])))!;
      return { depth: Number(r.depth), oldestDueAt: r.oldest == null ? null : Number(r.oldest) };
    },
  };
}
