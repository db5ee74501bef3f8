// Row ↔ object mapping and the ingest rules shared by the SQLite and PostgreSQL stores, so both
// stores store and answer exactly the same things.
import type {
  DroppedField,
  DeliveryAttempt,
  FieldValue,
  FormConfig,
  Integration,
  Lead,
  LeadComment,
  LeadStatus,
  Project,
  Utm,
} from '../../../shared/schemas.ts';
import type { Job, JobKind, NewLead, StoredVisit } from './types.ts';

export type Row = Record<string, unknown>;

/** Roistat's duplicate window. */
export const DUPLICATE_WINDOW_MS = 12 * 3600 * 1000;

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}

const num = (v: unknown): number => Number(v);
const numOrNull = (v: unknown): number | null => (v == null ? null : Number(v));
const strOrNull = (v: unknown): string | null => (v == null ? null : String(v));
const bool = (v: unknown): boolean => v === 1 || v === true;

export function toProject(r: Row): Project {
  return { id: String(r.id), name: String(r.name), key: String(r.key), createdAt: iso(num(r.created_at)) };
}

/**
 * Found projects, by id and by key. A project never changes once made (there is no rename and no
 * delete), and every public request looks one up, so a store keeps those it has found.
 */
export function createProjectMemo() {
  const byId = new Map<string, Project>();
  const byKey = new Map<string, Project>();
  return {
    byId: (id: string) => byId.get(id),
    byKey: (key: string) => byKey.get(key),
    remember(project: Project | null): Project | null {
      if (project) {
        byId.set(project.id, project);
        byKey.set(project.key, project);
      }
      return project;
    },
  };
}

export function toForm(r: Row): FormConfig {
  const config = JSON.parse(String(r.config)) as FormConfig;
  return { ...config, id: String(r.id), projectId: String(r.project_id) };
}

export function toIntegration(r: Row): Integration {
  return {
    projectId: String(r.project_id),
    type: r.type as Integration['type'],
    enabled: bool(r.enabled),
    settings: JSON.parse(String(r.settings)) as Record<string, string>,
    ...(r.retry ? { retry: JSON.parse(String(r.retry)) as Integration['retry'] } : {}),
    callbackUrl: String(r.callback_url),
    updatedAt: iso(num(r.updated_at)),
  };
}

export function toComment(c: Row): LeadComment {
  return { at: iso(num(c.at)), title: String(c.title), message: String(c.message) };
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
    status: r.status as LeadStatus,
    crmId: strOrNull(r.crm_id),
    attemptCount: num(r.attempt_count),
    nextAttemptAt: r.next_attempt_at == null ? null : iso(num(r.next_attempt_at)),
    lastError: strOrNull(r.last_error),
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
 * The original a new lead repeats, by Roistat's rules: same phone or email within 12 hours (the
 * candidates are already filtered by those); in the default mode only originals still in work count.
 */
export function pickOriginal(candidates: Row[], mode: NewLead['duplicateCheck']): Row | undefined {
  return candidates
    .filter((r) => mode === 'all' || r.status !== 'failed')
    .sort((a, b) => num(b.created_at) - num(a.created_at))[0];
}

export function initialStatus(opts: { duplicate: boolean; send: boolean; integrationUsable: boolean }): LeadStatus {
  if (opts.duplicate) return 'duplicate';
  if (!opts.send) return 'not_sent';
  if (!opts.integrationUsable) return 'no_integration';
  return 'pending';
}

export function duplicateNote(newId: string, lead: NewLead): { title: string; message: string } {
  return {
    title: 'Duplicate request',
    message: `Repeated request ${newId}: ${[lead.name, lead.phone, lead.email].filter(Boolean).join(', ')}`,
  };
}

/** Statuses whose lead is (or will be) in the CRM, so a comment on it is sent there too. */
export const NOTE_TO_CRM_STATUSES: readonly string[] = ['pending', 'retrying', 'sent'];

/** The lead's columns in insert order, for both stores. */
export function leadColumns(id: string, lead: NewLead, status: LeadStatus, duplicateOf: string | null, now: number) {
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
    status,
    next_attempt_at: status === 'pending' ? now : null,
    duplicate_of: duplicateOf,
    phone_norm: lead.phoneNorm,
    email_norm: lead.emailNorm,
    extra: JSON.stringify(lead.extra),
  };
}
