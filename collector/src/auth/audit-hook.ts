// Records each successful change made through the admin routes in the audit log (collector/src/audit.ts;
// README "Audit log"): who (the principal the guard found), when, and what, by route. Detail holds
// ids, titles and the names of changed settings, never a setting's value, a secret or a password.
import type { FastifyReply, FastifyRequest } from 'fastify';
import { recordAudit } from '../audit.ts';
import type { AppContext } from '../context.ts';
import { principalOf } from './principal.ts';

type Body = Record<string, unknown>;
interface Change {
  action: string;
  detail: (params: Record<string, string>, body: Body, answer: Body) => Record<string, unknown>;
  /** The project the change belongs to, when not in the URL (a new project). */
  projectId?: (answer: Body) => string | undefined;
}

const P = '/api/v1/projects/:projectId';
const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The audited routes: "METHOD url-pattern" → what is recorded. */
const CHANGES: Record<string, Change> = {
  'POST /api/v1/projects': { action: 'project.create', detail: (_p, b) => ({ name: b.name }), projectId: (a) => str(a.id) },
  [`PUT ${P}`]: { action: 'project.update', detail: (_p, b) => ({ ...b }) },
  [`POST ${P}/forms`]: { action: 'form.create', detail: (_p, b, a) => ({ formId: a.id, title: b.title }) },
  [`PUT ${P}/forms/:formId`]: { action: 'form.update', detail: (p, b) => ({ formId: p.formId, title: b.title, enabled: b.enabled }) },
  [`DELETE ${P}/forms/:formId`]: { action: 'form.delete', detail: (p) => ({ formId: p.formId }) },
  [`POST ${P}/forms/:formId/copy`]: { action: 'form.copy', detail: (p, _b, a) => ({ formId: p.formId, copyId: a.id, title: a.title }) },
  [`PUT ${P}/integration`]: {
    action: 'integration.update',
    detail: (_p, b) => ({ type: b.type, enabled: b.enabled, settings: Object.keys((b.settings as Body | undefined) ?? {}).sort() }),
  },
  [`POST ${P}/leads/resend`]: { action: 'leads.resend', detail: (_p, b, a) => ({ status: b.status, since: b.since, queued: a.queued }) },
  [`POST ${P}/leads/:leadId/resend`]: { action: 'lead.resend', detail: (p) => ({ leadId: p.leadId }) },
};

function parse(payload: unknown): Body {
  if (typeof payload !== 'string' || !payload.startsWith('{')) return {};
  try {
    return JSON.parse(payload) as Body;
  } catch {
    return {};
  }
}

/** The onSend hook of the admin route plugin. */
export function auditHook(ctx: AppContext) {
  return async (req: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> => {
    if (reply.statusCode >= 300) return payload;
    const change = CHANGES[`${req.method} ${req.routeOptions.url ?? ''}`];
    const principal = principalOf(req);
    if (!change || !principal) return payload;
    const params = (req.params ?? {}) as Record<string, string>;
    const body = (req.body && typeof req.body === 'object' ? req.body : {}) as Body;
    const answer = parse(payload);
    const projectId = params.projectId ?? change.projectId?.(answer) ?? null;
    const detail = Object.fromEntries(Object.entries(change.detail(params, body, answer)).filter(([, v]) => v !== undefined));
    await recordAudit(ctx.store.db, { projectId, actor: principal.actor, action: change.action, detail }, ctx.now());
    return payload;
  };
}
