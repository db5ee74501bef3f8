// The `/projects/:projectId` scope of the admin API (docs/http-api.md "Admin API"): one pre-handler
// loads the project for every route under it and puts it on the request as `req.project`, so a
// route never looks it up itself; an unknown id is 404 PROJECT_NOT_FOUND before the handler runs.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Project } from '../../../shared/schemas.ts';
import type { Store } from '../store/types.ts';
import { projectOr404 } from './lookups.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The project of a `/projects/:projectId…` admin route, loaded by the project scope (routes/project-scope.ts). */
    project: Project;
  }
}

/** Routes under this path (after the plugin's prefix) get the project loaded. */
const PROJECT_ROUTE = /\/projects\/:projectId(\/|$)/;

async function loadProject(store: Store, req: FastifyRequest): Promise<void> {
  const { projectId } = req.params as { projectId: string };
  req.project = await projectOr404(store, projectId);
}

async function projectScope(app: FastifyInstance, opts: { store: Store }): Promise<void> {
  app.decorateRequest('project', null as unknown as Project);
  app.addHook('onRoute', (route) => {
    if (!PROJECT_ROUTE.test(route.url)) return;
    const own = route.preHandler ? (Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler]) : [];
    // First, so a route's own pre-handlers (role checks, …) see the project too.
    route.preHandler = [(req: FastifyRequest) => loadProject(opts.store, req), ...own];
  });
}

/** Registered by the admin routes before their own routes (it sees each as it is added). */
export const projectScopePlugin = fp(projectScope, { name: 'leadrelay-project-scope' });
