// The admin API (docs/http-api.md "Admin API"), behind `Authorization: Bearer <ADMIN_TOKEN>`.
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import {
  FormConfigInput,
  IntegrationInput,
  LeadStatus,
  ProjectInput,
  ProjectSettingsInput,
  type Integration,
} from '../../../shared/schemas.ts';
import { adapterFor, allAdapters } from '../crm/index.ts';
import { URL_SETTINGS, checkSettings } from '../crm/settings.ts';
import { ApiError } from '../errors.ts';
import { leadsSummaryRoutes } from './leads-summary.ts';
import { projectOr404 } from './lookups.ts';
import type { AppContext } from '../context.ts';

export const SECRET_MASK = '********';

const ProjectParams = z.object({ projectId: z.string().min(1).max(64) });
const FormParams = ProjectParams.extend({ formId: z.string().min(1).max(64) });
const LeadParams = ProjectParams.extend({ leadId: z.string().min(1).max(64) });
const LeadsQuery = z.object({
  status: LeadStatus.optional(),
  q: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.string().max(64).optional(),
});

const BulkResendBody = z
  .object({
    /** Which leads to send again; `sent` is not offered: it would make second deals. */
    status: z.enum(['failed', 'retrying', 'no_integration']).default('failed'),
    /** Only leads created at or after this time. */
    since: z.iso.datetime({ offset: true }).optional(),
    /** These leads (the admin UI's selected rows) instead of a status: each is queued unless it was sent. */
    ids: z.array(z.string().min(1).max(64)).min(1).max(500).optional(),
  })
  .prefault({});

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The integration as a GET shows it: secrets replaced by a mask. */
export function maskIntegration(integration: Integration) {
  const adapter = adapterFor(integration.type);
  const secrets = new Set(adapter?.secretSettings ?? []);
  const settings: Record<string, string> = {};
  for (const [k, v] of Object.entries(integration.settings)) settings[k] = secrets.has(k) && v ? SECRET_MASK : v;
  return { ...integration, settings };
}

/** The settings to save: a masked secret sent back unchanged keeps the stored one (same CRM type only). */
function keepMaskedSecrets(type: Integration['type'], given: Record<string, string>, previous: Integration | null): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const [k, v] of Object.entries(given)) {
    settings[k] = v === SECRET_MASK && previous?.type === type ? (previous.settings[k] ?? '') : URL_SETTINGS.includes(k) ? v.trim() : v;
  }
  return settings;
}

/**
 * A stored secret goes only where it was entered for: when a URL setting changes, every secret sent
 * back masked must be typed again, or a changed `baseUrl` would carry the old token to a new host.
 */
function secretsToEnterAgain(type: Integration['type'], given: Record<string, string>, previous: Integration | null): string[] {
  if (!previous || previous.type !== type) return [];
  const same = (k: string) => (given[k] === SECRET_MASK ? true : (given[k] ?? '').trim() === (previous.settings[k] ?? '').trim());
  const changed = URL_SETTINGS.filter((k) => !same(k));
  if (!changed.length) return [];
  const masked = Object.keys(given).filter((k) => given[k] === SECRET_MASK && previous.settings[k]);
  return masked.map((k) => `settings.${k}: enter it again: ${changed.join(', ')} changed, and a stored secret is never sent to a new address`);
}

/** The one tag a site owner pastes (README "Install the snippet"). */
export function installTag(publicUrl: string, projectId: string): string {
  return `<script async src="${publicUrl}/s.js" data-project="${projectId}"></script>`;
}

export function adminRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    // In /docs every admin operation asks for the bearer token, so "Authorize" then "Try it out" works.
    app.addHook('onRoute', (route) => {
      route.schema = { tags: ['admin'], ...(route.schema ?? {}), security: [{ adminToken: [] }] };
    });
    app.addHook('onRequest', async (req) => {
      const header = req.headers.authorization ?? '';
      const match = /^Bearer\s+(.+)$/i.exec(header);
      if (!match || !tokenMatches(match[1]!.trim(), ctx.adminToken)) throw new ApiError('UNAUTHORIZED');
    });

    // ----- projects -----
    app.post('/projects', { schema: { body: ProjectInput } }, async (req, reply) => {
      return reply.code(201).send(await ctx.store.createProject(req.body.name, ctx.now()));
    });
    // Plain lists are JSON arrays; only the paged leads list has the {items, next} envelope (docs/http-api.md "Admin API").
    app.get('/projects', async () => ctx.store.listProjects());
    // One project with its settings (jsRules: README "JavaScript field rules and trust").
    app.get('/projects/:projectId', { schema: { params: ProjectParams } }, async (req) => {
      const project = await projectOr404(ctx.store, req.params.projectId);
      return { ...project, ...(await ctx.store.getProjectSettings(project.id)), ...(await projectQuotas(project.id)) };
    });
    app.put('/projects/:projectId', { schema: { params: ProjectParams, body: ProjectSettingsInput } }, async (req) => {
      const project = await projectOr404(ctx.store, req.params.projectId);
      const { quotaLeadsPerDay, quotaVisitsPerDay, ...change } = req.body;
      // The project's own daily quotas (README "Limits"): a key left out keeps its value, null takes the collector's.
      if (quotaLeadsPerDay !== undefined || quotaVisitsPerDay !== undefined) {
        const stored = await projectQuotas(project.id);
        await ctx.store.setProjectQuotas(project.id, {
          leadsPerDay: quotaLeadsPerDay === undefined ? stored.quotaLeadsPerDay : quotaLeadsPerDay,
          visitsPerDay: quotaVisitsPerDay === undefined ? stored.quotaVisitsPerDay : quotaVisitsPerDay,
        });
      }
      const settings = await ctx.store.putProjectSettings(project.id, change, ctx.now());
      // The served config depends on them (jsRules).
      ctx.siteConfig.invalidate(project.id);
      return { ...project, ...settings, ...(await projectQuotas(project.id)) };
    });
    async function projectQuotas(projectId: string) {
      const quotas = await ctx.store.getProjectQuotas(projectId);
      return { quotaLeadsPerDay: quotas?.leadsPerDay ?? null, quotaVisitsPerDay: quotas?.visitsPerDay ?? null };
    }

    app.get('/projects/:projectId/install', { schema: { params: ProjectParams } }, async (req) => {
      const project = await projectOr404(ctx.store, req.params.projectId);
      const publicUrl = ctx.publicUrl ?? `${req.protocol}://${req.host}`;
      return { publicUrl, scriptTag: installTag(publicUrl, project.id), proxyUrl: `${publicUrl}/api/proxy/1.0/leads/add` };
    });

    // ----- forms -----
    app.get('/projects/:projectId/forms', { schema: { params: ProjectParams } }, async (req) => {
      await projectOr404(ctx.store, req.params.projectId);
      return ctx.store.listForms(req.params.projectId);
    });
    app.post('/projects/:projectId/forms', { schema: { params: ProjectParams, body: FormConfigInput } }, async (req, reply) => {
      await projectOr404(ctx.store, req.params.projectId);
      const form = await ctx.store.createForm(req.params.projectId, req.body, ctx.now());
      ctx.siteConfig.invalidate(req.params.projectId);
      return reply.code(201).send(form);
    });
    app.get('/projects/:projectId/forms/:formId', { schema: { params: FormParams } }, async (req) => {
      await projectOr404(ctx.store, req.params.projectId);
      const form = await ctx.store.getForm(req.params.projectId, req.params.formId);
      if (!form) throw new ApiError('FORM_NOT_FOUND');
      return form;
    });
    app.put('/projects/:projectId/forms/:formId', { schema: { params: FormParams, body: FormConfigInput } }, async (req) => {
      await projectOr404(ctx.store, req.params.projectId);
      const form = await ctx.store.updateForm(req.params.projectId, req.params.formId, req.body, ctx.now());
      ctx.siteConfig.invalidate(req.params.projectId);
      if (!form) throw new ApiError('FORM_NOT_FOUND');
      return form;
    });
    app.delete('/projects/:projectId/forms/:formId', { schema: { params: FormParams } }, async (req, reply) => {
      await projectOr404(ctx.store, req.params.projectId);
      if (!(await ctx.store.deleteForm(req.params.projectId, req.params.formId))) throw new ApiError('FORM_NOT_FOUND');
      ctx.siteConfig.invalidate(req.params.projectId);
      return reply.code(204).send();
    });
    app.post('/projects/:projectId/forms/:formId/copy', { schema: { params: FormParams } }, async (req, reply) => {
      await projectOr404(ctx.store, req.params.projectId);
      const form = await ctx.store.getForm(req.params.projectId, req.params.formId);
      if (!form) throw new ApiError('FORM_NOT_FOUND');
      const { id: _id, projectId: _p, ...config } = form;
      const copy = await ctx.store.createForm(req.params.projectId, { ...config, title: `${config.title} (copy)`.slice(0, 1024) }, ctx.now());
      ctx.siteConfig.invalidate(req.params.projectId);
      return reply.code(201).send(copy);
    });

    // ----- integration -----
    app.get('/integration-types', async () =>
      allAdapters().map((a) => ({
        type: a.type,
        label: a.label,
        settings: a.settings,
        requiredSettings: a.requiredSettings,
        secretSettings: a.secretSettings,
        rateLimit: a.rateLimit,
      })),
    );
    app.get('/projects/:projectId/integration', { schema: { params: ProjectParams } }, async (req) => {
      await projectOr404(ctx.store, req.params.projectId);
      const integration = await ctx.store.getIntegration(req.params.projectId);
      if (!integration) throw new ApiError('NO_INTEGRATION');
      return maskIntegration(integration);
    });
    app.put('/projects/:projectId/integration', { schema: { params: ProjectParams, body: IntegrationInput } }, async (req) => {
      const { projectId } = req.params;
      await projectOr404(ctx.store, projectId);
      const adapter = adapterFor(req.body.type);
      if (!adapter) throw new ApiError('VALIDATION_ERROR', `The CRM type "${req.body.type}" is not available in this build.`);
      const previous = await ctx.store.getIntegration(projectId);
      const settings = keepMaskedSecrets(req.body.type, req.body.settings, previous);
      const problems = [
        ...checkSettings(req.body.type, settings, req.body.enabled).map((p) => `settings.${p.setting}: ${p.message}`),
        ...secretsToEnterAgain(req.body.type, req.body.settings, previous),
      ];
      if (problems.length) throw new ApiError('VALIDATION_ERROR', problems.join('; '));
      const saved = await ctx.store.putIntegration(projectId, { ...req.body, settings }, ctx.now());
      ctx.onLeadStored();
      return maskIntegration(saved);
    });
    app.post('/projects/:projectId/integration/test', { schema: { params: ProjectParams } }, async (req) => {
      await projectOr404(ctx.store, req.params.projectId);
      const integration = await ctx.store.getIntegration(req.params.projectId);
      if (!integration) throw new ApiError('NO_INTEGRATION');
      const adapter = adapterFor(integration.type);
      if (!adapter) throw new ApiError('NO_INTEGRATION');
      return adapter.testConnection({ settings: integration.settings, fetch: ctx.fetch, signal: AbortSignal.timeout(15_000) });
    });
    app.get('/projects/:projectId/crm-fields', { schema: { params: ProjectParams } }, async (req) => {
      await projectOr404(ctx.store, req.params.projectId);
      const integration = await ctx.store.getIntegration(req.params.projectId);
      if (!integration) throw new ApiError('NO_INTEGRATION');
      const adapter = adapterFor(integration.type);
      if (!adapter) throw new ApiError('NO_INTEGRATION');
      try {
        return await adapter.listFields({ settings: integration.settings, fetch: ctx.fetch, signal: AbortSignal.timeout(15_000) });
      } catch (err) {
        throw new ApiError('CRM_ERROR', `The CRM's field list could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
      }
    });

    // ----- leads -----
    await app.register(leadsSummaryRoutes(ctx));
    app.get('/projects/:projectId/leads', { schema: { params: ProjectParams, querystring: LeadsQuery } }, async (req) => {
      await projectOr404(ctx.store, req.params.projectId);
      return await ctx.store.listLeads(req.params.projectId, req.query);
    });
    app.get('/projects/:projectId/leads/:leadId', { schema: { params: LeadParams } }, async (req) => {
      await projectOr404(ctx.store, req.params.projectId);
      const lead = await ctx.store.getLead(req.params.projectId, req.params.leadId);
      if (!lead) throw new ApiError('LEAD_NOT_FOUND');
      return { ...lead, attempts: await ctx.store.listAttempts(lead.id) };
    });
    app.post('/projects/:projectId/leads/resend', { schema: { params: ProjectParams, body: BulkResendBody } }, async (req, reply) => {
      await projectOr404(ctx.store, req.params.projectId);
      const { status, since, ids } = req.body;
      const queued = ids
        ? await requeueSelected(req.params.projectId, ids)
        : await ctx.store.requeueLeads(req.params.projectId, { status, ...(since ? { since: Date.parse(since) } : {}) }, ctx.now());
      if (queued > 0) ctx.onLeadStored();
      return reply.code(202).send({ queued });
    });
    /** Selected leads: a sent one is skipped (a second deal), an unknown id is ignored. */
    async function requeueSelected(projectId: string, ids: string[]): Promise<number> {
      let queued = 0;
      for (const id of new Set(ids)) {
        const lead = await ctx.store.getLead(projectId, id);
        if (lead && lead.status !== 'sent' && (await ctx.store.requeueLead(projectId, id, ctx.now()))) queued += 1;
      }
      return queued;
    }
    app.post('/projects/:projectId/leads/:leadId/resend', { schema: { params: LeadParams } }, async (req, reply) => {
      await projectOr404(ctx.store, req.params.projectId);
      const lead = await ctx.store.requeueLead(req.params.projectId, req.params.leadId, ctx.now());
      if (!lead) throw new ApiError('LEAD_NOT_FOUND');
      ctx.onLeadStored();
      return reply.code(202).send(lead);
    });
  };
}
