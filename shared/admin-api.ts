// The admin API's answers as zod schemas (docs/http-api.md "Admin API"): the routes declare them as
// response schemas, so /docs documents every answer, and the admin UI takes its types from them
// (collector/admin-ui/api.ts). Objects are loose: an answer is never cut down to the schema's keys.
import { z } from 'zod';
import { IntegrationRateLimit, IntegrationType, LeadStatus, Project, RetryPolicy, type DeliveryAttempt, type Lead } from './schemas.ts';
import { FormConfig } from './form-config.ts';

/**
 * The schema with unknown keys kept: an answer is never cut down to the keys named here (fastify
 * serializes through the schema). Typed as the named shape, so the store's interfaces fit it.
 */
function keepingOtherKeys<T extends z.ZodObject>(schema: T): T {
  return schema.loose() as unknown as T;
}

const FieldValue = z.union([z.string(), z.array(z.string())]);
const FieldValues = z.record(z.string(), FieldValue);

export const LeadCommentView = z.object({ at: z.string(), title: z.string(), message: z.string() });

const LeadShape = z.object({
  id: z.string(),
  projectId: z.string(),
  formId: z.string().nullable(),
  source: z.enum(['form', 'js', 'proxy']),
  visit: z.number().nullable(),
  title: z.string(),
  name: z.string(),
  phone: z.string(),
  email: z.string(),
  comment: z.string(),
  fields: FieldValues,
  clientFields: FieldValues,
  orderCreationMethod: z.string(),
  page: z.string(),
  referrer: z.string(),
  landingPage: z.string(),
  utm: z.object({ source: z.string(), medium: z.string(), campaign: z.string(), term: z.string(), content: z.string() }),
  ip: z.string(),
  userAgent: z.string(),
  callback: z.boolean(),
  createdAt: z.string(),
  status: LeadStatus,
  crmId: z.string().nullable(),
  attemptCount: z.number(),
  nextAttemptAt: z.string().nullable(),
  lastError: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  comments: z.array(LeadCommentView),
});
/** A stored lead (docs/http-api.md "Lead"). */
export const LeadView = keepingOtherKeys(LeadShape);

export const DroppedFieldView = z.object({ key: z.string(), value: z.string(), reason: z.string() });
const AttemptShape = z.object({
  kind: z.enum(['create', 'note', 'callback']),
  at: z.string(),
  ok: z.boolean(),
  httpStatus: z.number().nullable(),
  error: z.string().nullable(),
  durationMs: z.number(),
  droppedFields: z.array(DroppedFieldView).optional(),
});
/** One delivery attempt of a lead: of the lead itself, a note or the call-back. */
export const DeliveryAttemptView = keepingOtherKeys(AttemptShape);

export const LeadWithAttempts = keepingOtherKeys(LeadShape.extend({ attempts: z.array(DeliveryAttemptView) }));
export type LeadWithAttempts = z.infer<typeof LeadWithAttempts>;
export const LeadsPage = z.object({ items: z.array(LeadView), next: z.string().nullable() });

/** One project as GET/PUT /projects/:projectId answer it: with its settings and its own quotas. */
export const ProjectView = keepingOtherKeys(Project.extend({
  jsRules: z.boolean(),
  retentionDays: z.number().nullable(),
  truncateIp: z.boolean(),
  cookies: z.boolean(),
  quotaLeadsPerDay: z.number().nullable(),
  quotaVisitsPerDay: z.number().nullable(),
}));
export type ProjectView = z.infer<typeof ProjectView>;
export const ProjectAnswer = keepingOtherKeys(Project);
export const FormView = keepingOtherKeys(FormConfig);
export const InstallView = z.object({ publicUrl: z.string(), scriptTag: z.string(), proxyUrl: z.string() });

/** The integration as a GET shows it: secrets masked. */
export const IntegrationAnswer = keepingOtherKeys(
  z.object({
    projectId: z.string(),
    type: IntegrationType,
    enabled: z.boolean(),
    settings: z.record(z.string(), z.string()),
    retry: RetryPolicy.optional(),
    rateLimit: IntegrationRateLimit.optional(),
    callbackUrl: z.string().optional(),
    updatedAt: z.string(),
  })
);
export type IntegrationAnswer = z.infer<typeof IntegrationAnswer>;

export const IntegrationTypeView = keepingOtherKeys(
  z.object({
    type: IntegrationType,
    label: z.string(),
    settings: z.array(z.string()),
    requiredSettings: z.array(z.string()),
    secretSettings: z.array(z.string()),
    rateLimit: keepingOtherKeys(z.object({ count: z.number(), perMs: z.number(), burst: z.number().optional(), parallel: z.number().optional() })),
  })
);
export type IntegrationTypeView = z.infer<typeof IntegrationTypeView>;

export const CrmFieldView = keepingOtherKeys(
  z.object({
    key: z.string(),
    label: z.string(),
    type: z.string().optional(),
    options: z.array(z.object({ value: z.string(), label: z.string() })).optional(),
  })
);
export type CrmFieldView = z.infer<typeof CrmFieldView>;
export const ConnectionTestView = z.object({ ok: z.boolean(), message: z.string() });
export const QueuedView = z.object({ queued: z.number() });

// The schemas above and the store's own types say the same (a compile error otherwise).
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameLead: Same<z.infer<typeof LeadShape>, Lead> = true;
type Attempt = z.infer<typeof AttemptShape>;
// zod's optional key also takes undefined; compared apart.
const sameAttempt: Same<Omit<Attempt, 'droppedFields'>, Omit<DeliveryAttempt, 'droppedFields'>> = true;
const sameDropped: Same<NonNullable<Attempt['droppedFields']>, NonNullable<DeliveryAttempt['droppedFields']>> = true;
export const SHAPES_AGREE = sameLead && sameAttempt && sameDropped;

/** GET /projects/:projectId/leads/summary (docs/http-api.md "Leads summary"): the route builds it, the admin UI shows it. */
export interface LeadsSummary {
  /** The first moment counted: midnight (at `offset`) 29 days before today. */
  since: string;
  /** One entry per day, oldest first, every day present (zeros included); `date` is YYYY-MM-DD at `offset`. */
  days: { date: string; total: number; byStatus: Partial<Record<LeadStatus, number>> }[];
  total: number;
  sent: number;
  /** sent / the leads meant for the CRM (all but not_sent, duplicate and test); null when there are none. */
  deliveredShare: number | null;
  /** The oldest lead of the 30 days still pending, retrying, failed or without an integration. */
  oldestUndelivered: { id: string; name: string; phone: string; email: string; status: LeadStatus; createdAt: string } | null;
  /** Forms with a lead in the 30 days: how many in the last 7 days, and when the last one came. */
  forms: { formId: string; last7Days: number; lastLeadAt: string }[];
}
