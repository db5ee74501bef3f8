// The store's contract: what the routes and the delivery worker need from the database.
// Every method is async so that SQLite (store/sqlite.ts, the default) and PostgreSQL share it;
// every method that acknowledges a lead resolves only after the data is durably committed.
import type { DeliveryAttempt, DroppedField, Integration, IntegrationInput, Lead, LeadStatus, Project, ProjectSettings, ProjectSettingsInput, Utm, VisitBody } from '../../../shared/schemas.ts';
import type { FormConfig, FormConfigInput } from '../../../shared/form-config.ts';
import type { Db } from './db.ts';

/** The fields a stored lead takes from its source (the rest — status, delivery — the store sets). */
type LeadContent = Pick<
  Lead,
  | 'projectId' | 'formId' | 'source' | 'visit' | 'title' | 'name' | 'phone' | 'email' | 'comment' | 'fields'
  | 'clientFields' | 'orderCreationMethod' | 'page' | 'referrer' | 'landingPage' | 'utm' | 'ip' | 'userAgent' | 'callback'
>;

export interface NewLead extends LeadContent {
  /** The snippet's id for this lead; a second lead with the same id is the same lead. */
  clientId: string | null;
  /** Phone for the call-back request (callback_phone), when it differs from the lead's. */
  callbackPhone: string;
  /** A test lead (test mode, is_test=1): stored as `test`, never sent, never an original for duplicates. */
  test?: boolean;
  /** false: stored as not_sent (is_skip_sending, or a form with sendToCrm off, switched off or deleted). */
  send: boolean;
  /** Why a not_sent lead is not sent, shown as its lastError (e.g. its form was switched off). */
  notSentReason?: string;
  /** Roistat's duplicate rules: 'in_processing' (default) counts only originals still in work. */
  duplicateCheck: 'in_processing' | 'all';
  /** Add a comment about the duplicate to the original (and its CRM deal). */
  appendDuplicateComment: boolean;
  /** Unknown proxy parameters and the page context, kept for the record. */
  extra: Record<string, unknown>;
  /** Normalized phone and email for the duplicate check. */
  phoneNorm: string;
  emailNorm: string;
}

export interface IngestResult {
  /** The stored lead's id (the new one, or the one already stored with this clientId). */
  id: string;
  /** The stored lead; for a new lead it is made when first read (the site API needs the id alone). */
  lead: Lead;
  /** false when a lead with the same clientId was already stored. */
  created: boolean;
}

export interface LeadQuery {
  status?: LeadStatus | undefined;
  q?: string | undefined;
  limit: number;
  before?: string | undefined;
}

export type JobKind = 'create' | 'note' | 'callback';

export interface Job {
  id: number;
  leadId: string;
  projectId: string;
  kind: JobKind;
  payload: Record<string, unknown>;
  runAt: number;
  attempts: number;
  firstAttemptAt: number | null;
  /** The worker holding the job's lease; a worker's writes apply only while it still holds it. */
  lockedBy: string | null;
}

export interface RequeueFilter {
  /** Which leads to queue again (default 'failed'). */
  status: 'failed' | 'retrying' | 'no_integration';
  /** Only leads created at or after this time (ms since epoch). */
  since?: number;
}

export interface AttemptRecord {
  at: number;
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  /** Extra fields the CRM refused on a delivered attempt (the adapter sent the lead without them). */
  droppedFields?: DroppedField[];
}

/** A note to deliver to the deal later, as a note job (one the adapter could not add at once). */
export interface PendingNote {
  title: string;
  message: string;
}

/** A project's own daily quotas; null: the collector's QUOTA_LEADS_PER_DAY / QUOTA_VISITS_PER_DAY apply; 0: none. */
export interface ProjectQuotas {
  leadsPerDay: number | null;
  visitsPerDay: number | null;
}

/** The project has stored its quota of leads or visits for this UTC day; nothing was written. */
export class QuotaExceededError extends Error {
  readonly kind: 'leads' | 'visits';
  readonly limit: number;
  constructor(kind: 'leads' | 'visits', limit: number) {
    super(`The project's quota of ${limit} ${kind} a day is used up; more are taken after 00:00 UTC.`);
    this.name = 'QuotaExceededError';
    this.kind = kind;
    this.limit = limit;
  }
}

export interface Store {
  close(): Promise<void>;
  /** The same database as plain SQL, for modules with their own tables (store/db.ts). */
  readonly db: Db;

  createProject(name: string, now: number): Promise<Project>;
  listProjects(): Promise<Project[]>;
  getProject(id: string): Promise<Project | null>;
  getProjectByKey(key: string): Promise<Project | null>;
  getProjectQuotas(projectId: string): Promise<ProjectQuotas | null>;
  /** Sets (or with null clears) a project's own quotas; false when there is no such project. */
  setProjectQuotas(projectId: string, quotas: ProjectQuotas): Promise<boolean>;

  /** The project's settings, defaults filled in (read fresh: another process may have changed them). */
  getProjectSettings(projectId: string): Promise<ProjectSettings>;
  /** Changes the given settings, keeps the others; returns them all. */
  putProjectSettings(projectId: string, change: ProjectSettingsInput, now: number): Promise<ProjectSettings>;

  listForms(projectId: string): Promise<FormConfig[]>;
  getForm(projectId: string, formId: string): Promise<FormConfig | null>;
  createForm(projectId: string, input: FormConfigInput, now: number): Promise<FormConfig>;
  updateForm(projectId: string, formId: string, input: FormConfigInput, now: number): Promise<FormConfig | null>;
  deleteForm(projectId: string, formId: string): Promise<boolean>;

  getIntegration(projectId: string): Promise<Integration | null>;
  /** Saves the integration; when it becomes usable, leads waiting for one are queued. */
  putIntegration(projectId: string, input: IntegrationInput, now: number): Promise<Integration>;

  /**
   * Stores a visit and gives its number. The same browser (IP and User-Agent) registering the same
   * visit again within VISIT_REPEAT_WINDOW_MS gets the number it already has, stored once. A new
   * visit counts against the project's daily quota (its own, else `visitsPerDay`; 0: none) and
   * throws QuotaExceededError over it.
   */
  registerVisit(projectId: string, body: VisitBody, ip: string, userAgent: string, now: number, visitsPerDay?: number): Promise<number>;
  getVisit(projectId: string, number: number): Promise<StoredVisit | null>;

  /**
   * Stores a lead (durably) with its delivery job; resolves after the commit. A new lead (not a resent
   * clientId) counts against the project's daily quota (its own, else `leadsPerDay`; 0: none) and
   * throws QuotaExceededError over it.
   */
  ingestLead(lead: NewLead, now: number, leadsPerDay?: number): Promise<IngestResult>;
  addComment(projectId: string, leadId: string, title: string, message: string, now: number): Promise<Lead | null>;
  getLead(projectId: string, leadId: string): Promise<Lead | null>;
  listLeads(projectId: string, query: LeadQuery): Promise<{ items: Lead[]; next: string | null }>;
  listAttempts(leadId: string): Promise<DeliveryAttempt[]>;
  /** Queues a lead for delivery again (resend). */
  requeueLead(projectId: string, leadId: string, now: number): Promise<Lead | null>;
  /** Queues every matching lead of a project again (bulk resend); returns how many. */
  requeueLeads(projectId: string, filter: RequeueFilter, now: number): Promise<number>;

  /**
   * Claims up to `limit` due jobs for `leaseMs`, oldest run time first; jobs of a dead worker come
   * back when the lease ends. Jobs of `skipProjects` (their CRM's rate limit is spent) stay queued.
   */
  claimJobs(workerId: string, now: number, limit: number, leaseMs: number, skipProjects?: readonly string[]): Promise<Job[]>;
  /** Extends the lease of a job this worker holds; false when the lease was lost (taken or gone). */
  renewLease(job: Job, until: number): Promise<boolean>;
  /** The job succeeded: remove it, record the attempt, update the lead, queue `notes` as note jobs. */
  completeJob(job: Job, attempt: AttemptRecord, crmId: string | null, notes?: readonly PendingNote[]): Promise<void>;
  /**
   * The job failed: record the attempt; retry at `retryAt`, or give up (`retryAt` null). When the
   * lease was lost meanwhile, only the attempt is recorded: the job belongs to another worker.
   */
  failJob(job: Job, attempt: AttemptRecord, retryAt: number | null, error: string): Promise<void>;
  /** Puts a claimed job back untouched (shutdown, or its lead is not ready), if this worker still holds it. */
  releaseJob(job: Job, runAt: number): Promise<void>;
  /**
   * The project has no enabled integration: drop the create job (the lead waits as `no_integration`);
   * a note or call-back job is parked, not polled, until `putIntegration` enables one.
   */
  parkJob(job: Job): Promise<void>;
  /** How many jobs are queued, and the run time of the oldest due one. */
  queueStats(now: number): Promise<{ depth: number; oldestDueAt: number | null }>;

  /**
   * Keeps `value` under `name` unless a value is there already (the first writer wins, atomically,
   * across processes); resolves to the stored value and whether this call stored it.
   */
  initSetting(name: string, value: string): Promise<{ value: string; created: boolean }>;
  /** Writes one tiny row (and commits it): rejects when the database cannot be written. */
  probeWrite(now: number): Promise<void>;
}

export interface StoredVisit {
  number: number;
  firstVisit: number | null;
  landingPage: string;
  referrer: string;
  utm: Partial<Utm>;
  clickIds: Record<string, string>;
  params: Record<string, string>;
  /** The visitor's address and browser when the visit was registered (proxy leads come from the site's server). */
  ip: string;
  userAgent: string;
  createdAt: number;
}
