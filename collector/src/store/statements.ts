// Statements and small scripts shared by the store's parts (leads-sql.ts, jobs-sql.ts,
// projects-sql.ts, visits-sql.ts), written once for both dialects (docs/architecture.md "Store").
import { planRequeue, type PlannedJob } from '../leads/plan.ts';
import type { SqlRow } from './db.ts';
import { get, all, run, type Script } from './engine.ts';
import { effectiveQuota, toComment, toLead, utcDay, type Row } from './rows.ts';
import { QuotaExceededError } from './types.ts';
import type { Lead } from '../../../shared/schemas.ts';

/** A lead with its create job's delivery columns (rows.ts `toLead` reads them). */
export const LEAD_SELECT = `SELECT l.*, j.state AS job_state, j.tries AS job_tries, j.run_at AS job_run_at, j.last_error AS job_last_error
  FROM leads l LEFT JOIN jobs j ON j.lead_id = l.id AND j.kind = 'create'`;

// The duplicate lookups run on every lead: `<> ''` lets SQLite use the partial indexes
// (collector/test/store/duplicate-check-uses-index.test.ts).
export const DUPLICATES_BY_PHONE =
  "SELECT id, status, created_at FROM leads WHERE project_id = ? AND phone_norm = ? AND phone_norm <> '' AND created_at >= ? AND status <> 'duplicate'";
export const DUPLICATES_BY_EMAIL =
  "SELECT id, status, created_at FROM leads WHERE project_id = ? AND email_norm = ? AND email_norm <> '' AND created_at >= ? AND status <> 'duplicate'";

/** The same browser's visit registered a moment ago (collector/test/store/visit-repeat-lookup-uses-index.test.ts). */
export const VISIT_BY_FINGERPRINT =
  'SELECT number FROM visits WHERE project_id = ? AND fingerprint = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1';

/** Job states that are due at run_at; written the same in the claim and the partial index jobs_due. */
export const OPEN_JOB = "state IN ('queued', 'retrying')";

export function* leadWithComments(r: Row): Script<Lead> {
  const comments = yield* all('SELECT * FROM lead_comments WHERE lead_id = ? ORDER BY id', [r.id]);
  return toLead(r, comments.map(toComment));
}

export function* leadRow(projectId: string, leadId: string): Script<SqlRow | undefined> {
  return yield* get(`${LEAD_SELECT} WHERE l.project_id = ? AND l.id = ?`, [projectId, leadId]);
}

export function* queueJob(leadId: string, projectId: string, job: PlannedJob, now: number): Script<void> {
  yield* run('INSERT INTO jobs (lead_id, project_id, kind, payload, run_at, created_at) VALUES (?, ?, ?, ?, ?, ?)', [
    leadId,
    projectId,
    job.kind,
    JSON.stringify(job.payload),
    now,
    now,
  ]);
}

/**
 * Queues the lead's create job (now): a new row, or its one row back in work (leads/plan.ts
 * `planRequeue`); the lead shows `pending`. One statement for the job, one for the lead.
 */
export function* requeueLead(leadId: string, projectId: string, reason: 'resend' | 'integration_enabled', now: number): Script<void> {
  const plan = planRequeue(reason);
  const open = plan.keepAttemptsWhen.map((s) => `'${s}'`).join(', ');
  yield* run(
    `INSERT INTO jobs (lead_id, project_id, kind, payload, run_at, created_at) VALUES (?, ?, 'create', '{}', ?, ?)
     ON CONFLICT (lead_id) WHERE kind = 'create' DO UPDATE SET state = 'queued', run_at = excluded.run_at,
       attempts = CASE WHEN jobs.state IN (${open}) THEN jobs.attempts ELSE 0 END,
       first_attempt_at = CASE WHEN jobs.state IN (${open}) THEN jobs.first_attempt_at ELSE NULL END,
       last_error = CASE WHEN ? = 1 THEN NULL ELSE jobs.last_error END,
       locked_by = NULL, locked_until = NULL`,
    [leadId, projectId, now, now, plan.clearError ? 1 : 0],
  );
  yield* run(`UPDATE leads SET status = ?${plan.clearError ? ', status_reason = NULL' : ''} WHERE id = ?`, [plan.status, leadId]);
}

/**
 * Counts one more lead or visit of the project today; throws (and so writes nothing) over its quota.
 * One statement on the way in: the project's own quota is read inside it; only a refusal reads it again, for its message.
 */
export function* countToday(kind: 'leads' | 'visits', projectId: string, now: number, collectorQuota: number | undefined): Script<void> {
  const counted = yield* get(
    `WITH q(lim) AS (SELECT COALESCE((SELECT CASE WHEN CAST(? AS TEXT) = 'leads' THEN quota_leads_per_day ELSE quota_visits_per_day END
       FROM projects WHERE id = ?), CAST(? AS INTEGER)))
     INSERT INTO project_usage (project_id, day, kind, stored) VALUES (?, ?, ?, 1)
     ON CONFLICT (project_id, day, kind) DO UPDATE SET stored = project_usage.stored + 1
     WHERE (SELECT lim FROM q) = 0 OR project_usage.stored < (SELECT lim FROM q)
     RETURNING stored`,
    [kind, projectId, collectorQuota ?? 0, projectId, utcDay(now), kind],
  );
  if (counted) return;
  const own = yield* get('SELECT quota_leads_per_day, quota_visits_per_day FROM projects WHERE id = ?', [projectId]);
  throw new QuotaExceededError(kind, effectiveQuota(kind === 'leads' ? own?.quota_leads_per_day : own?.quota_visits_per_day, collectorQuota));
}
