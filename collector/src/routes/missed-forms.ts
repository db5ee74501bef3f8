// Missed forms (docs/http-api.md "Missed forms"): the snippet's public report of a submitted form no
// enabled config matched, and the admin list the Forms page shows under "Not captured yet". Each
// plugin is registered inside its API's plugin (site.ts, admin.ts), so it takes that API's CORS, body
// parsing and auth; the table and its bounds are collector/src/missed-forms.ts.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { AppContext } from '../context.ts';
import { MissedFormReport, listMissedForms, recordMissedForm } from '../missed-forms.ts';
import { projectOr404 } from './lookups.ts';

const ProjectParams = z.object({ projectId: z.string().min(1).max(64) });

/** `POST /api/site/1.0/:projectId/missed`: public; structure only (a field's `value` is dropped). */
export function missedFormsSiteRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.post('/:projectId/missed', { schema: { params: ProjectParams, body: MissedFormReport } }, async (req, reply) => {
      await projectOr404(ctx.store, req.params.projectId);
      await recordMissedForm(ctx.store.db, req.params.projectId, req.body, ctx.now());
      return reply.code(202).send({ status: 'success' });
    });
  };
}

/** `GET /api/v1/projects/:projectId/missed-forms`: newest first, without the forms an enabled config now covers. */
export function missedFormsAdminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/projects/:projectId/missed-forms', { schema: { params: ProjectParams } }, async (req) => {
      await projectOr404(ctx.store, req.params.projectId);
      return listMissedForms(ctx.store.db, req.params.projectId, await ctx.store.listForms(req.params.projectId));
    });
  };
}
