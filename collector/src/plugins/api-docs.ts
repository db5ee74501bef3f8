// The OpenAPI document and its UI at /docs; static files (the snippet, the admin UI) and the demo are
// not API and stay out of it.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { openApiTransform } from '../routes/api-docs.ts';

async function apiDocs(app: FastifyInstance): Promise<void> {
  app.addHook('onRoute', (route) => {
    if (route.url === '/s.js' || route.url === '/s-tools.js' || /^\/(admin|demo)(\/|$)/.test(route.url)) route.schema = { ...(route.schema ?? {}), hide: true };
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'leadrelay', description: 'Site, proxy (Roistat-compatible) and admin APIs of the leadrelay collector.', version: '1.0.0' },
      components: { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN (printed at first start)' } } },
      tags: [
        { name: 'admin', description: 'Admin API: Authorization: Bearer <ADMIN_TOKEN> ("Authorize" above).' },
        { name: 'site', description: 'Site API, used by the snippet (public, CORS open).' },
        { name: 'proxy', description: "Proxy API, compatible with Roistat's: called by the site's own server with the project key." },
        { name: 'operations', description: 'Health and metrics.' },
      ],
    },
    transform: openApiTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
}

/** Registered before every route, so each one is seen (and hidden or documented). */
export const apiDocsPlugin = fp(apiDocs, { name: 'leadrelay-api-docs' });
