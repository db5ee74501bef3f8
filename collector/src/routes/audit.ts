// The audit log for owners (README "Audit log", docs/http-api.md "Audit log"): newest first, paged.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listAudit } from '../audit.ts';
import { guardAdminRoutes } from '../auth/guard.ts';
import type { AppContext } from '../context.ts';
import { iso } from '../store/rows.ts';

const AuditQuery = z.object({
  projectId: z.string().min(1).max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().min(1).optional(),
});

export function auditRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    guardAdminRoutes(app, ctx);
    app.get('/audit', { schema: { querystring: AuditQuery } }, async (req) => {
      const { projectId, limit, before } = req.query;
      const rows = await listAudit(ctx.store.db, { limit: limit + 1, ...(projectId ? { projectId } : {}), ...(before ? { beforeId: before } : {}) });
      const items = rows.slice(0, limit).map((e) => ({ ...e, at: iso(e.at) }));
      return { items, next: rows.length > limit ? String(items.at(-1)!.id) : null };
    });
  };
}
