// The store's contract: what the routes and the delivery worker need from the database.
// Every method is async so that SQLite (store/sqlite.ts, the default) and PostgreSQL share it;
// every method that acknowledges a lead resolves only after the data is durably committed.
import type {
  DeliveryAttempt,
  DroppedField,
  FieldValue,
  FormConfig,
  FormConfigInput,
  Integration,
  IntegrationInput,
  Lead,
  LeadStatus,
  Project,
  Utm,
  VisitBody,
} from '../../../shared/schemas.ts';

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
  /** false: stored as not_sent (is_skip_sending, or a form with sendToCrm off). */
  send: boolean;
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
  lead: Lead;
  /** false when a lead with the same clientId was already stored. */
  created: boolean;
}

export interface LeadQuery {
  status?: LeadStatus;
  q?: string;
  limit: number;
  before?: string;
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

export interface Store {
  close(): Promise<void>;

  createProject(name: string, now: number): Promise<Project>;
  listProjects(): Promise<Project[]>;
  getProject(id: string): Promise<Project | null>;
  getProjectByKey(key: string): Promise<Project | null>;

  listForms(projectId: string): Promise<FormConfig[]>;
  getForm(projectId: string, formId: string): Promise<FormConfig | null>;
  createForm(projectId: string, input: FormConfigInput, now: number): Promise<FormConfig>;
  updateForm(projectId: string, formId: string, input: FormConfigInput, now: number): Promise<FormConfig | null>;
  deleteForm(projectId: string, formId: string): Promise<boolean>;

  getIntegration(projectId: string): Promise<Integration | null>;
  /** Saves the integration; when it becomes usable, leads waiting for one are queued. */
  putIntegration(projectId: string, input: IntegrationInput, now: number): Promise<Integration>;

  registerVisit(projectId: string, body: VisitBody, ip: string, userAgent: string, now: number): Promise<number>;
  getVisit(projectId: string, number: number): Promise<StoredVisit | null>;

  /** Stores a lead (durably) with its delivery job; resolves after the commit. */
  ingestLead(lead: NewLead, now: number): Promise<IngestResult>;
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
  /** The project has no enabled integration: drop the create job, the lead waits as `no_integration`. */
  parkJob(job: Job): Promise<void>;
  /** How many jobs are queued, and the run time of the oldest due one. */
  queueStats(now: number): Promise<{ depth: number; oldestDueAt: number | null }>;
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
