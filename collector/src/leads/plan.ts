// The store's decisions as pure functions (docs/data-model.md "Delivery state"): what an ingest
// stores and queues, what a resend does, what a failed or a successful attempt changes. Both stores
// run the same statements around these plans (store/leads-sql.ts, store/jobs-sql.ts).
import type { LeadStatus } from '../../../shared/schemas.ts';
import type { JobKind, NewLead } from '../store/types.ts';
import { duplicateNote, pickOriginal, type DuplicateCandidate } from './duplicates.ts';

/** Stored statuses whose lead is (or will be) in the CRM, so a comment on it is sent there too. */
export const NOTE_TO_CRM_STATUSES: readonly string[] = ['pending', 'retrying', 'sent'];

/** A job's delivery state (jobs.state). `queued` and `retrying` are due at run_at; the rest are not. */
export type JobState = 'queued' | 'retrying' | 'done' | 'failed' | 'parked';
export const OPEN_JOB_STATES: readonly JobState[] = ['queued', 'retrying'];

export interface PlannedJob {
  kind: JobKind;
  payload: Record<string, unknown>;
}

export interface IngestFacts {
  /** Earlier leads of the project with the same phone or email within the duplicate window. */
  candidates: readonly DuplicateCandidate[];
  /** The project's integration, if it has one. */
  integration: { enabled: boolean; callbackUrl: string } | null;
}

export interface IngestPlan {
  status: LeadStatus;
  duplicateOf: string | null;
  /** Why the lead is not delivered, shown as its lastError (not_sent). */
  statusReason: string | null;
  jobs: PlannedJob[];
  /** A comment for the original (and a note job when the original is, or will be, in the CRM). */
  noteOnOriginal: { leadId: string; title: string; message: string; toCrm: boolean } | null;
}

/** What storing `lead` (as `id`) means: its status, duplicate, jobs and the note on its original. */
export function planIngest(lead: NewLead, id: string, facts: IngestFacts): IngestPlan {
  const original = lead.test ? undefined : pickOriginal(facts.candidates, lead.duplicateCheck);
  const status = initialStatus({ test: !!lead.test, duplicate: !!original, send: lead.send, integrationUsable: !!facts.integration?.enabled });
  const jobs: PlannedJob[] = [];
  if (status === 'pending') jobs.push({ kind: 'create', payload: {} });
  if (status !== 'test' && lead.callback && !original && facts.integration?.callbackUrl) {
    jobs.push({ kind: 'callback', payload: { phone: lead.callbackPhone || lead.phone } });
  }
  const note = original && lead.appendDuplicateComment ? duplicateNote(id, lead) : null;
  return {
    status,
    duplicateOf: original?.id ?? null,
    statusReason: status === 'not_sent' ? (lead.notSentReason ?? null) : null,
    jobs,
    noteOnOriginal: note && original ? { leadId: original.id, ...note, toCrm: NOTE_TO_CRM_STATUSES.includes(original.status) } : null,
  };
}

export function initialStatus(opts: { test: boolean; duplicate: boolean; send: boolean; integrationUsable: boolean }): LeadStatus {
  if (opts.test) return 'test';
  if (opts.duplicate) return 'duplicate';
  if (!opts.send) return 'not_sent';
  if (!opts.integrationUsable) return 'no_integration';
  return 'pending';
}

export interface RequeuePlan {
  /** The lead's stored status after the resend. */
  status: 'pending';
  /** A job still in work keeps its attempts (and so its retry budget); a finished one starts over. */
  keepAttemptsWhen: readonly JobState[];
  /** A lead woken by a new integration forgets why it waited; a resend keeps the last error. */
  clearError: boolean;
}

export function planRequeue(reason: 'resend' | 'integration_enabled'): RequeuePlan {
  return { status: 'pending', keepAttemptsWhen: OPEN_JOB_STATES, clearError: reason === 'integration_enabled' };
}

export interface FailurePlan {
  /** The job's state after the failure. */
  state: 'retrying' | 'failed';
  /** The next run (retrying); a failed job keeps its run time, it is never claimed again. */
  runAt: number | null;
  lastError: string;
  /** The lead's outcome when its create job gives up. */
  leadStatus: 'failed' | null;
}

/** A failed attempt of a `kind` job: retry at `retryAt`, or give up (null). */
export function planFailure(kind: JobKind, retryAt: number | null, error: string): FailurePlan {
  return {
    state: retryAt == null ? 'failed' : 'retrying',
    runAt: retryAt,
    lastError: error,
    leadStatus: retryAt == null && kind === 'create' ? 'failed' : null,
  };
}

/**
 * The status, attempt count, next try and last error the admin API shows (docs/http-api.md "Lead"),
 * from the lead's stored outcome and its create job's row.
 */
export function deliveryView(
  lead: { status: LeadStatus; statusReason: string | null },
  job: { state: JobState; tries: number; runAt: number; lastError: string | null } | null,
): { status: LeadStatus; attemptCount: number; nextAttemptAt: number | null; lastError: string | null } {
  const inWork = lead.status === 'pending' && !!job && OPEN_JOB_STATES.includes(job.state);
  return {
    status: lead.status === 'pending' && job?.state === 'retrying' ? 'retrying' : lead.status,
    attemptCount: job?.tries ?? 0,
    nextAttemptAt: inWork ? job.runAt : null,
    lastError: job?.lastError ?? lead.statusReason,
  };
}
