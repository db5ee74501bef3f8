// The contract shapes (docs/http-api.md), shared by the collector and the snippet.
// The snippet imports types only (never zod itself) so its bundle stays tiny.
import { z } from 'zod';

export const LIMITS = {
  title: 1024,
  comment: 4096,
  name: 1024,
  phone: 1024,
  email: 1024,
  extraField: 8000,
  bodyBytes: 64 * 1024,
} as const;

// The form config shapes are in form-config.ts.

// ---------- projects ----------

export const ProjectInput = z.object({ name: z.string().trim().min(1, 'a project name is required').max(200) });

/** A project's own settings; each has a default, so a project that never set one has them all. */
export const ProjectSettings = z.object({
  /**
   * Whether js field rules run on the sites: they run admin-supplied JavaScript on every page (like
   * a tag manager). false: the served config carries no js rule.
   */
  jsRules: z.boolean().default(true),
  /** Privacy (README "Privacy"): leads and visits older than this many days are deleted; null: kept. */
  retentionDays: z.number().int().min(1).max(36_500).nullable().default(null),
  /** Privacy: IPs are stored cut to /24 (IPv4) or /48 (IPv6). */
  truncateIp: z.boolean().default(false),
  /** Privacy: false: the snippet sets no cookie and registers no visit. */
  cookies: z.boolean().default(true),
});
export type ProjectSettings = z.infer<typeof ProjectSettings>;
/** `PUT /api/v1/projects/:projectId`: the settings to change; an unknown key is an error, not ignored. */
/** A project's own daily quota: null takes the collector's (QUOTA_LEADS_PER_DAY / QUOTA_VISITS_PER_DAY), 0 is none. */
const ProjectQuota = z.number().int().min(0).max(1_000_000_000).nullable().optional();
export const ProjectSettingsInput = z.strictObject({
  /** Renames the project (README "Projects"). */
  name: ProjectInput.shape.name.optional(),
  jsRules: z.boolean().optional(),
  quotaLeadsPerDay: ProjectQuota,
  quotaVisitsPerDay: ProjectQuota,
  retentionDays: z.number().int().min(1).max(36_500).nullable().optional(),
  truncateIp: z.boolean().optional(),
  cookies: z.boolean().optional(),
});
export type ProjectSettingsInput = z.infer<typeof ProjectSettingsInput>;
export const Project = z.object({ id: z.string(), name: z.string(), key: z.string(), createdAt: z.string() });
export type Project = z.infer<typeof Project>;

// ---------- integration (docs/http-api.md "Admin API"; README "CRMs") ----------

export const IntegrationType = z.enum([
  'webhook',
  'amocrm',
  'retailcrm',
  'bitrix24',
  'bitrix24_leads',
  'moysklad',
  'megaplan',
  'yclients',
  'salesforce',
  'freshoffice',
  'uon',
  'hubspot',
]);
export type IntegrationType = z.infer<typeof IntegrationType>;

export const RetryPolicy = z.object({
  strategy: z.enum(['fixed', 'exponential']),
  baseSeconds: z.number().positive().max(7 * 24 * 3600),
  maxAttempts: z.number().int().min(1).max(10_000),
  maxAgeSeconds: z.number().positive().optional(),
});
export type RetryPolicy = z.infer<typeof RetryPolicy>;
export const DEFAULT_RETRY: RetryPolicy = { strategy: 'fixed', baseSeconds: 1800, maxAttempts: 96 };

/** An absolute http(s) URL: `example.com/hook`, `http:/x` and other schemes are refused. */
export function isHttpUrl(value: string): boolean {
  if (!/^https?:\/\/[^/?#\s]/i.test(value) || /\s/.test(value)) return false;
  try {
    return /^https?:$/.test(new URL(value).protocol);
  } catch {
    return false;
  }
}
export const HTTP_URL_MESSAGE = 'must be an absolute http(s) URL, e.g. https://example.com/';

/**
 * An integration's own pace, overriding its CRM type's default (a webhook into the site owner's own
 * system may take 500/s): `count` requests per `perSeconds`, and at most `parallel` requests in
 * flight at once (default: the type's). Both hold per collector process.
 */
export const IntegrationRateLimit = z.object({
  count: z.number().int().min(1).max(100_000),
  perSeconds: z.number().int().min(1).max(86_400),
  parallel: z.number().int().min(1).max(256).optional(),
});
export type IntegrationRateLimit = z.infer<typeof IntegrationRateLimit>;

export const IntegrationInput = z.object({
  type: IntegrationType,
  enabled: z.boolean().default(true),
  settings: z.record(z.string(), z.string().max(4000)).default({}),
  retry: RetryPolicy.optional(),
  rateLimit: IntegrationRateLimit.optional(),
  callbackUrl: z.string().trim().refine((v) => v === '' || isHttpUrl(v), HTTP_URL_MESSAGE).optional(),
});
export type IntegrationInput = z.infer<typeof IntegrationInput>;
export type Integration = IntegrationInput & { projectId: string; updatedAt: string };

// ---------- leads (docs/http-api.md "Lead"; docs/data-model.md "Lead statuses") ----------

export const LeadStatus = z.enum(['pending', 'retrying', 'sent', 'failed', 'not_sent', 'no_integration', 'duplicate', 'test']);
export type LeadStatus = z.infer<typeof LeadStatus>;

export const Utm = z.object({
  source: z.string().default(''),
  medium: z.string().default(''),
  campaign: z.string().default(''),
  term: z.string().default(''),
  content: z.string().default(''),
});
export type Utm = z.infer<typeof Utm>;

export type FieldValue = string | string[];

export interface LeadComment {
  at: string;
  title: string;
  message: string;
}

export interface Lead {
  id: string;
  projectId: string;
  formId: string | null;
  source: 'form' | 'js' | 'proxy';
  visit: number | null;
  title: string;
  name: string;
  phone: string;
  email: string;
  comment: string;
  fields: Record<string, FieldValue>;
  clientFields: Record<string, FieldValue>;
  orderCreationMethod: string;
  page: string;
  referrer: string;
  landingPage: string;
  utm: Utm;
  ip: string;
  userAgent: string;
  callback: boolean;
  createdAt: string;
  status: LeadStatus;
  crmId: string | null;
  attemptCount: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  duplicateOf: string | null;
  comments: LeadComment[];
}

export interface DeliveryAttempt {
  /** What was sent: the lead itself, a comment (note) or the call-back request. */
  kind: 'create' | 'note' | 'callback';
  at: string;
  ok: boolean;
  httpStatus: number | null;
  error: string | null;
  durationMs: number;
  /** Extra fields the CRM refused: the lead was delivered without them (they went into a note on the deal). */
  droppedFields?: DroppedField[];
}

/** An extra field the CRM refused: its key as the form sent it, its value, and the CRM's reason. */
export interface DroppedField {
  key: string;
  value: string;
  reason: string;
}

// ---------- what the snippet sends (docs/http-api.md "Site API") ----------

const short = z.string().max(8000);

/** The page context the snippet collects, for the {variables} (README "Variables"). */
export const PageContext = z.object({
  page: z.string().max(4000).default(''),
  referrer: z.string().max(4000).default(''),
  landingPage: z.string().max(4000).default(''),
  visit: z.number().int().nonnegative().nullable().default(null),
  firstVisit: z.number().int().nonnegative().nullable().default(null),
  utm: Utm.partial().default({}),
  clickIds: z.record(z.string(), short).default({}),
  /** Analytics ids read from first-party cookies: ga, ymUid, fbc. */
  cookies: z.record(z.string(), short).default({}),
  /** roistat_param1..5 from the landing URL, by number "1".."5". */
  params: z.record(z.string(), short).default({}),
});
export type PageContext = z.infer<typeof PageContext>;

export const SiteLeadBody = z.object({
  clientId: z.string().min(8).max(64),
  formId: z.string().max(64).nullable().default(null),
  source: z.enum(['form', 'js']).default('form'),
  title: short.optional(),
  name: short.optional(),
  phone: short.optional(),
  email: short.optional(),
  comment: short.optional(),
  fields: z.record(z.string().max(256), z.union([short, z.array(short).max(100)])).default({}),
  isSkipSending: z.boolean().optional(),
  callback: z.boolean().optional(),
  /** Test mode (docs/http-api.md "Test leads"): stored with status `test`, never sent to the CRM. */
  test: z.boolean().optional(),
  context: PageContext.default(() => PageContext.parse({})),
});
export type SiteLeadBody = z.infer<typeof SiteLeadBody>;

export const VisitBody = z.object({
  landingPage: z.string().max(4000).default(''),
  referrer: z.string().max(4000).default(''),
  utm: Utm.partial().default({}),
  clickIds: z.record(z.string(), short).default({}),
  params: z.record(z.string(), short).default({}),
  firstVisit: z.number().int().nonnegative().nullable().default(null),
});
export type VisitBody = z.infer<typeof VisitBody>;

// ---------- errors (docs/http-api.md "Conventions") ----------

export const ErrorBody = z.object({ status: z.literal('error'), error: z.string(), message: z.string() });
export type ErrorBody = z.infer<typeof ErrorBody>;
