// Row ↔ object mapping shared by the SQLite and PostgreSQL stores, so both stores store and answer
// exactly the same things (the decisions are in leads/plan.ts).
import { hash } from 'node:crypto';
import type { DroppedField, DeliveryAttempt, FieldValue, Integration, Lead, LeadComment, LeadStatus, Project, Utm, VisitBody } from '../../../shared/schemas.ts';
import type { FormConfig } from '../../../shared/form-config.ts';
import { ProjectSettings, type ProjectSettingsInput } from '../../../shared/schemas.ts';
import { deliveryView, type IngestPlan, type JobState } from '../leads/plan.ts';
import type { Job, JobKind, NewLead, ProjectQuotas, StoredVisit } from './types.ts';

export type Row = Record<string, unknown>;

/** A visit registered again by the same browser within this time is the same visit (a web analytics session). */
export const VISIT_REPEAT_WINDOW_MS = 30 * 60 * 1000;

/** The UTC day a quota counts in: days since 1970-01-01. */
export function utcDay(now: number): number {
  return Math.floor(now / 86_400_000);
}

/** The quota that applies: the project's own (a number, 0 for none) or else the collector's. */
export function effectiveQuota(projectOwn: unknown, collectorDefault: number | undefined): number {
  return projectOwn == null ? (collectorDefault ?? 0) : Number(projectOwn);
}

/** A project's own quotas must each be null or a whole number (0: none). */
export function checkProjectQuotas(quotas: ProjectQuotas): ProjectQuotas {
  for (const [name, v] of Object.entries(quotas)) {
    if (v !== null && !(Number.isSafeInteger(v) && v >= 0)) throw new RangeError(`${name} must be null or a whole number a day (0: no quota), not ${String(v)}`);
  }
  return quotas;
}

export function toProjectQuotas(r: Row): ProjectQuotas {
  return { leadsPerDay: numOrNull(r.quota_leads_per_day), visitsPerDay: numOrNull(r.quota_visits_per_day) };
}

/**
 * Who registered a visit and everything it holds, hashed: two registrations with the same
 * fingerprint are the same browser telling the same visit (an answer it never got, two tabs).
 */
export function visitFingerprint(body: VisitBody, ip: string, userAgent: string): string {
  const sorted = (r: Record<string, unknown>) => Object.entries(r).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const parts = [ip, userAgent, body.landingPage, body.referrer, sorted(body.utm), sorted(body.clickIds), sorted(body.params), body.firstVisit];
  // The one-shot hash gives the same digest as createHash at a third of its cost (a visit pays it every time).
  return hash('sha256', JSON.stringify(parts), 'base64url').slice(0, 22);
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

export const num = (v: unknown): number => Number(v);
export const numOrNull = (v: unknown): number | null => (v == null ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v == null ? null : String(v));
const bool = (v: unknown): boolean => v === 1 || v === true;

export function toProject(r: Row): Project {
  return { id: String(r.id), name: String(r.name), key: String(r.key), createdAt: iso(num(r.created_at)) };
}

/** A project's stored settings (JSON, or none yet) with defaults filled in. */
export function toProjectSettings(r: Row | undefined): ProjectSettings {
  return ProjectSettings.parse(r ? JSON.parse(String(r.settings)) : {});
}

/** The settings JSON to store after a change: the stored ones, the change on top. */
export function mergedProjectSettings(r: Row | undefined, change: ProjectSettingsInput): string {
  const stored = r ? (JSON.parse(String(r.settings)) as Record<string, unknown>) : {};
  const given = Object.fromEntries(Object.entries(change).filter(([, v]) => v !== undefined));
  return JSON.stringify(ProjectSettings.parse({ ...stored, ...given }));
}

export function toForm(r: Row): FormConfig {
  const config = JSON.parse(String(r.config)) as Omit<FormConfig, 'confirm'> & Partial<Pick<FormConfig, 'confirm'>>;
  // A form saved before `confirm` existed sends at once (null).
  return { confirm: null, ...config, id: String(r.id), projectId: String(r.project_id) };
}

export function toIntegration(r: Row): Integration {
  return {
    projectId: String(r.project_id),
    type: r.type as Integration['type'],
    enabled: bool(r.enabled),
    settings: JSON.parse(String(r.settings)) as Record<string, string>,
    ...(r.retry ? { retry: JSON.parse(String(r.retry)) as Integration['retry'] } : {}),
    ...(r.rate_limit ? { rateLimit: JSON.parse(String(r.rate_limit)) as Integration['rateLimit'] } : {}),
    callbackUrl: String(r.callback_url),
    updatedAt: iso(num(r.updated_at)),
  };
}

export function toComment(c: Row): LeadComment {
  return { at: iso(num(c.at)), title: String(c.title), message: String(c.message) };
}

/** The delivery fields of a lead row read with LEAD_SELECT (store/statements.ts): its create job's columns come along. */
function deliveryFields(r: Row): Pick<Lead, 'status' | 'attemptCount' | 'nextAttemptAt' | 'lastError'> {
  const job = r.job_state == null ? null : { state: r.job_state as JobState, tries: num(r.job_tries), runAt: num(r.job_run_at), lastError: strOrNull(r.job_last_error) };
  const view = deliveryView({ status: r.status as LeadStatus, statusReason: strOrNull(r.status_reason) }, job);
  return { status: view.status, attemptCount: view.attemptCount, nextAttemptAt: view.nextAttemptAt == null ? null : iso(view.nextAttemptAt), lastError: view.lastError };
}

export function toLead(r: Row, comments: LeadComment[]): Lead {
  return {
    id: String(r.id),
    projectId: String(r.project_id),
    formId: strOrNull(r.form_id),
    source: r.source as Lead['source'],
    visit: numOrNull(r.visit),
    title: String(r.title),
    name: String(r.name),
    phone: String(r.phone),
    email: String(r.email),
    comment: String(r.comment),
    fields: JSON.parse(String(r.fields)) as Record<string, FieldValue>,
    clientFields: JSON.parse(String(r.client_fields)) as Record<string, FieldValue>,
    orderCreationMethod: String(r.order_creation_method),
    page: String(r.page),
    referrer: String(r.referrer),
    landingPage: String(r.landing_page),
    utm: JSON.parse(String(r.utm)) as Utm,
    ip: String(r.ip),
    userAgent: String(r.user_agent),
    callback: bool(r.callback),
    createdAt: iso(num(r.created_at)),
    ...deliveryFields(r),
    crmId: strOrNull(r.crm_id),
    duplicateOf: strOrNull(r.duplicate_of),
    comments,
  };
}

export function toJob(r: Row): Job {
  return {
    id: num(r.id),
    leadId: String(r.lead_id),
    projectId: String(r.project_id),
    kind: r.kind as JobKind,
    payload: JSON.parse(String(r.payload)) as Record<string, unknown>,
    runAt: num(r.run_at),
    attempts: num(r.attempts),
    firstAttemptAt: numOrNull(r.first_attempt_at),
    lockedBy: (r.locked_by as string | null) ?? null,
  };
}

export function toAttempt(r: Row): DeliveryAttempt {
  return {
    kind: r.kind as DeliveryAttempt['kind'],
    at: iso(num(r.at)),
    ok: bool(r.ok),
    httpStatus: numOrNull(r.http_status),
    error: strOrNull(r.error),
    durationMs: num(r.duration_ms),
    ...(r.dropped_fields ? { droppedFields: JSON.parse(String(r.dropped_fields)) as DroppedField[] } : {}),
  };
}

export function toVisit(r: Row): StoredVisit {
  return {
    number: num(r.number),
    firstVisit: numOrNull(r.first_visit),
    landingPage: String(r.landing_page),
    referrer: String(r.referrer),
    utm: JSON.parse(String(r.utm)) as Partial<Utm>,
    clickIds: JSON.parse(String(r.click_ids)) as Record<string, string>,
    params: JSON.parse(String(r.params)) as Record<string, string>,
    ip: String(r.ip ?? ''),
    userAgent: String(r.user_agent ?? ''),
    createdAt: num(r.created_at),
  };
}

/**
 * The run time of a parked note or call-back job (its project has no enabled integration): a time
 * that never comes, so it is not polled. Enabling an integration makes such jobs due at once.
 */
export const PARKED_RUN_AT = 8_640_000_000_000_000;

/** What the lead list's search looks in, lower-cased here so that Cyrillic folds too (docs/data-model.md). */
export function searchText(lead: Pick<NewLead, 'name' | 'phone' | 'email' | 'title' | 'comment'>): string {
  return [lead.name, lead.phone, lead.email, lead.title, lead.comment].join('\u001f').toLowerCase();
}

/** The lead's columns in insert order, for both stores. */
export function leadColumns(id: string, lead: NewLead, plan: Pick<IngestPlan, 'status' | 'duplicateOf' | 'statusReason'>, now: number) {
  return {
    id,
    project_id: lead.projectId,
    form_id: lead.formId,
    client_id: lead.clientId,
    source: lead.source,
    visit: lead.visit,
    title: lead.title,
    name: lead.name,
    phone: lead.phone,
    email: lead.email,
    comment: lead.comment,
    fields: JSON.stringify(lead.fields),
    client_fields: JSON.stringify(lead.clientFields),
    order_creation_method: lead.orderCreationMethod,
    page: lead.page,
    referrer: lead.referrer,
    landing_page: lead.landingPage,
    utm: JSON.stringify(lead.utm),
    ip: lead.ip,
    user_agent: lead.userAgent,
    callback: lead.callback ? 1 : 0,
    created_at: now,
    status: plan.status,
    status_reason: plan.statusReason,
    duplicate_of: plan.duplicateOf,
    phone_norm: lead.phoneNorm,
    email_norm: lead.emailNorm,
    extra: JSON.stringify(lead.extra),
    search: searchText(lead),
  };
}
