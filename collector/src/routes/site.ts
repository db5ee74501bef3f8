// The public site API used by the snippet (README "Site API"): CORS open, JSON bodies sent as
// text/plain so browsers send them without a preflight. Registered under the /api/site/1.0 prefix,
// so CORS (and its catch-all OPTIONS route) covers the site API only, never the admin API.
import cors from '@fastify/cors';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { SiteLeadBody, VisitBody } from '../../../shared/schemas.ts';
import type { FormConfig } from '../../../shared/form-config.ts';
import { ApiError } from '../errors.ts';
import { projectOr404 } from './lookups.ts';
import { leadFromSite } from '../leads/from-site.ts';
import { missedFormsSiteRoutes } from './missed-forms.ts';
import { projectIp } from '../privacy/ip.ts';
import type { BuiltConfig } from '../site-config.ts';
import type { AppContext } from '../context.ts';

/** Every site API route is under this prefix (the snippet's paths). */
export const SITE_API_PREFIX = '/api/site/1.0';

const ProjectParams = z.object({ projectId: z.string().min(1).max(64) });

/** Why a lead of this form must not reach the CRM: its form is switched off or deleted (null: it may). */
export function formOffReason(formId: string | null, form: FormConfig | null): string | null {
  if (!formId) return null;
  if (!form) return `Not sent: its form (${formId}) was deleted.`;
  if (!form.enabled) return `Not sent: its form "${form.title || form.selector}" is switched off.`;
  return null;
}

/** The lead as a cookie-less project takes it: no visit, no first visit (their variables are empty). */
function withoutVisit(body: SiteLeadBody): SiteLeadBody {
  return { ...body, context: { ...body.context, visit: null, firstVisit: null } };
}

export function siteRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    await app.register(cors, { origin: '*', methods: ['GET', 'POST'], maxAge: 86400 });
    app.addHook('onRoute', (route) => {
      route.schema = { tags: ['site'], ...(route.schema ?? {}) };
    });

    // The snippet sends JSON as text/plain; parse it here so a bad body is a clear 400, not a crash.
    app.addContentTypeParser('text/plain', { parseAs: 'string' }, (_req, body, done) => {
      try {
        done(null, JSON.parse(String(body)));
      } catch {
        done(new ApiError('BAD_JSON'), undefined);
      }
    });

    await app.register(missedFormsSiteRoutes(ctx));

    // Every page view of every site asks for the config, most of them revalidating (a 304): a config
    // kept in memory is answered without a promise; a cold one is built first.
    app.get('/:projectId/config', { schema: { params: ProjectParams } }, (req, reply) => {
      const send = (built: BuiltConfig | null) => {
        if (!built) throw new ApiError('PROJECT_NOT_FOUND');
        reply.header('cache-control', 'public, max-age=60, must-revalidate').header('etag', built.etag);
        if (req.headers['if-none-match'] === built.etag) return reply.code(304).send();
        return reply.type('application/json; charset=utf-8').send(built.body);
      };
      const hit = ctx.siteConfig.cached(req.params.projectId);
      return hit ? send(hit) : ctx.siteConfig.get(req.params.projectId).then(send);
    });

    app.post('/:projectId/visits', { schema: { params: ProjectParams, body: VisitBody } }, async (req) => {
      await projectOr404(ctx.store, req.params.projectId);
      // A cookie-less project keeps no visits (docs/privacy.md), even from a snippet whose config
      // predates the switch: nothing is stored, and `visit: null` makes the snippet set no cookie.
      if (!(await ctx.store.getProjectSettings(req.params.projectId)).cookies) return { visit: null };
      const visit = await ctx.store.registerVisit(
        req.params.projectId,
        req.body,
        // Cut before the fingerprint and the row see it when the project asks (docs/privacy.md).
        await projectIp(ctx.store, req.params.projectId, req.ip),
        String(req.headers['user-agent'] ?? ''),
        ctx.now(),
        ctx.quotas.visitsPerDay,
      );
      return { visit };
    });

    app.post('/:projectId/leads', { schema: { params: ProjectParams, body: SiteLeadBody } }, async (req, reply) => {
      const { projectId } = req.params;
      await projectOr404(ctx.store, projectId);
      // A cookie-less project's leads name no visit (docs/privacy.md), whatever an older snippet sent.
      const body = (await ctx.store.getProjectSettings(projectId)).cookies ? req.body : withoutVisit(req.body);
      const form = body.formId ? await ctx.store.getForm(projectId, body.formId) : null;
      const visit = body.context.visit != null ? await ctx.store.getVisit(projectId, body.context.visit) : null;
      const now = ctx.now();
      const ip = await projectIp(ctx.store, projectId, req.ip);
      const made = leadFromSite(projectId, body, form, visit, { ip, userAgent: String(req.headers['user-agent'] ?? ''), geo: ctx.geo.lookup(ip) }, now);
      // Browsers keep a config for minutes, so a form switched off or deleted still sends leads for a
      // while: keep them (nothing is lost, a resend can still deliver one) but never send them to the CRM.
      const notSentReason = formOffReason(body.formId, form);
      const lead = notSentReason ? { ...made, formId: body.formId, send: false, notSentReason } : made;
      const result = await ctx.store.ingestLead(lead, now, ctx.quotas.leadsPerDay);
      if (result.created) ctx.onLeadStored();
      // The id alone: reading result.lead would build the whole Lead object for nothing.
      return reply.code(202).send({ status: 'success', data: { id: result.id } });
    });
  };
}
