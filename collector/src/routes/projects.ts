// Deleting a project and giving it a new key (README "Projects", docs/http-api.md "Admin API");
// renaming is PUT /projects/:projectId in admin.ts. Owners only (auth/roles.ts).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordAudit } from '../audit.ts';
import { guardAdminRoutes } from '../auth/guard.ts';
import { principalOf } from '../auth/principal.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { deleteProject, newProjectKey, projectCounts } from '../projects.ts';
import { projectOr404 } from './lookups.ts';

const ProjectParams = z.object({ projectId: z.string().min(1).max(64) });

export function projectRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    guardAdminRoutes(app, ctx);

    // What deleting would remove, for the confirmation.
    app.get('/projects/:projectId/counts', { schema: { params: ProjectParams } }, async (req) => {
      const project = await projectOr404(ctx.store, req.params.projectId);
      return projectCounts(ctx.store.db, project.id);
    });

    app.post('/projects/:projectId/key', { schema: { params: ProjectParams } }, async (req) => {
      const project = await projectOr404(ctx.store, req.params.projectId);
      const key = await newProjectKey(ctx.store.db, project.id);
      await recordAudit(ctx.store.db, { projectId: project.id, actor: principalOf(req)?.actor ?? 'unknown', action: 'project.key', detail: {} }, ctx.now());
      return { ...project, key };
    });

    app.delete('/projects/:projectId', { schema: { params: ProjectParams } }, async (req, reply) => {
      const project = await projectOr404(ctx.store, req.params.projectId);
      const counts = await projectCounts(ctx.store.db, project.id);
      if (!(await deleteProject(ctx.store.db, project.id))) throw new ApiError('PROJECT_NOT_FOUND');
      ctx.siteConfig.invalidate(project.id);
      await recordAudit(
        ctx.store.db,
        { projectId: project.id, actor: principalOf(req)?.actor ?? 'unknown', action: 'project.delete', detail: { name: project.name, ...counts } },
        ctx.now(),
      );
      return reply.code(204).send();
    });
  };
}
