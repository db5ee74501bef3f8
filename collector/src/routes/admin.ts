// The admin API (docs/http-api.md "Admin API"), behind `Authorization: Bearer <ADMIN_TOKEN>`.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { IntegrationInput, LeadStatus, ProjectInput, ProjectSettingsInput, type Integration } from '../../../shared/schemas.ts';
import { FormConfigBody } from '../../../shared/form-config.ts';
import {
  ConnectionTestView,
  CrmFieldView,
  FormView,
  InstallView,
  IntegrationAnswer,
  IntegrationTypeView,
  LeadView,
  LeadWithAttempts,
  LeadsPage,
  ProjectAnswer,
  ProjectView,
  QueuedView,
} from '../../../shared/admin-api.ts';
import { URL_SETTINGS, checkSettings } from '../crm/settings.ts';
import { guardAdminRoutes } from '../auth/guard.ts';
import type { CrmAdapter } from '../crm/types.ts';
import { ApiError } from '../errors.ts';
import { renameProject } from '../projects.ts';
import { leadsSummaryRoutes } from './leads-summary.ts';
import { missedFormsAdminRoutes } from './missed-forms.ts';
import { privacyRoutes } from './privacy.ts';
import { projectScopePlugin } from './project-scope.ts';
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

/** The integration as a GET shows it: secrets replaced by a mask. */
export function maskIntegration(integration: Integration, adapter: CrmAdapter | null) {
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
    // The token or a login, the role, CSRF and the audit log (README "Users and roles"); in /docs every
    // admin operation asks for the bearer token, so "Authorize" then "Try it out" works.
    guardAdminRoutes(app, ctx);
    // Every /projects/:projectId… route finds its project on `req.project` (404 before the handler).
    await app.register(projectScopePlugin, { store: ctx.store });
    // Erasure (routes/privacy.ts) and missed forms, behind the same guard.
    await app.register(privacyRoutes(ctx));
    await app.register(missedFormsAdminRoutes(ctx));

    // ----- projects -----
    app.post('/projects', { schema: { body: ProjectInput, response: { 201: ProjectAnswer } } }, async (req, reply) => {
      return reply.code(201).send(await ctx.store.createProject(req.body.name, ctx.now()));
    });
    // Plain lists are JSON arrays; only the paged leads list has the {items, next} envelope (docs/http-api.md "Admin API").
    app.get('/projects', { schema: { response: { 200: z.array(ProjectAnswer) } } }, async () => ctx.store.listProjects());
    // One project with its settings (jsRules: README "JavaScript field rules and trust").
    app.get('/projects/:projectId', { schema: { params: ProjectParams, response: { 200: ProjectView } } }, async (req) => {
      const { project } = req;
      return { ...project, ...(await ctx.store.getProjectSettings(project.id)), ...(await projectQuotas(project.id)) };
    });
    app.put('/projects/:projectId', { schema: { params: ProjectParams, body: ProjectSettingsInput, response: { 200: ProjectView } } }, async (req) => {
      const { project } = req;
      const { quotaLeadsPerDay, quotaVisitsPerDay, name, ...change } = req.body;
      if (name !== undefined) await renameProject(ctx.store.db, project.id, name);
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
      return { ...project, ...(name !== undefined ? { name } : {}), ...settings, ...(await projectQuotas(project.id)) };
    });
    async function projectQuotas(projectId: string) {
      const quotas = await ctx.store.getProjectQuotas(projectId);
      return { quotaLeadsPerDay: quotas?.leadsPerDay ?? null, quotaVisitsPerDay: quotas?.visitsPerDay ?? null };
    }

    app.get('/projects/:projectId/install', { schema: { params: ProjectParams, response: { 200: InstallView } } }, async (req) => {
      const { project } = req;
      const publicUrl = ctx.publicUrl ?? `${req.protocol}://${req.host}`;
      return { publicUrl, scriptTag: installTag(publicUrl, project.id), proxyUrl: `${publicUrl}/api/proxy/1.0/leads/add` };
    });

    // ----- forms -----
    app.get('/projects/:projectId/forms', { schema: { params: ProjectParams, response: { 200: z.array(FormView) } } }, async (req) => {
      return ctx.store.listForms(req.params.projectId);
    });
    app.post('/projects/:projectId/forms', { schema: { params: ProjectParams, body: FormConfigBody, response: { 201: FormView } } }, async (req, reply) => {
      const form = await ctx.store.createForm(req.params.projectId, req.body, ctx.now());
      ctx.siteConfig.invalidate(req.params.projectId);
      return reply.code(201).send(form);
    });
    app.get('/projects/:projectId/forms/:formId', { schema: { params: FormParams, response: { 200: FormView } } }, async (req) => {
      const form = await ctx.store.getForm(req.params.projectId, req.params.formId);
      if (!form) throw new ApiError('FORM_NOT_FOUND');
      return form;
    });
    app.put('/projects/:projectId/forms/:formId', { schema: { params: FormParams, body: FormConfigBody, response: { 200: FormView } } }, async (req) => {
      const form = await ctx.store.updateForm(req.params.projectId, req.params.formId, req.body, ctx.now());
      ctx.siteConfig.invalidate(req.params.projectId);
      if (!form) throw new ApiError('FORM_NOT_FOUND');
      return form;
    });
    app.delete('/projects/:projectId/forms/:formId', { schema: { params: FormParams } }, async (req, reply) => {
      if (!(await ctx.store.deleteForm(req.params.projectId, req.params.formId))) throw new ApiError('FORM_NOT_FOUND');
      ctx.siteConfig.invalidate(req.params.projectId);
      return reply.code(204).send();
    });
    app.post('/projects/:projectId/forms/:formId/copy', { schema: { params: FormParams, response: { 201: FormView } } }, async (req, reply) => {
      const form = await ctx.store.getForm(req.params.projectId, req.params.formId);
      if (!form) throw new ApiError('FORM_NOT_FOUND');
      const { id: _id, projectId: _p, ...config } = form;
      const copy = await ctx.store.createForm(req.params.projectId, { ...config, title: `${config.title} (copy)`.slice(0, 1024) }, ctx.now());
      ctx.siteConfig.invalidate(req.params.projectId);
      return reply.code(201).send(copy);
    });

    // ----- integration -----
    app.get('/integration-types', { schema: { response: { 200: z.array(IntegrationTypeView) } } }, async () =>
      ctx.adapters.all().map((a) => ({
        type: a.type,
        label: a.label,
        settings: [...a.settings],
        requiredSettings: [...a.requiredSettings],
        secretSettings: [...a.secretSettings],
        rateLimit: a.rateLimit,
      })),
    );
    app.get('/projects/:projectId/integration', { schema: { params: ProjectParams, response: { 200: IntegrationAnswer } } }, async (req) => {
      const integration = await ctx.store.getIntegration(req.params.projectId);
      if (!integration) throw new ApiError('NO_INTEGRATION');
      return maskIntegration(integration, ctx.adapters.adapterFor(integration.type));
    });
    app.put('/projects/:projectId/integration', { schema: { params: ProjectParams, body: IntegrationInput, response: { 200: IntegrationAnswer } } }, async (req) => {
      const { projectId } = req.params;
      const adapter = ctx.adapters.adapterFor(req.body.type);
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
      return maskIntegration(saved, adapter);
    });
    app.post('/projects/:projectId/integration/test', { schema: { params: ProjectParams, response: { 200: ConnectionTestView } } }, async (req) => {
      const integration = await ctx.store.getIntegration(req.params.projectId);
      if (!integration) throw new ApiError('NO_INTEGRATION');
      const adapter = ctx.adapters.adapterFor(integration.type);
      if (!adapter) throw new ApiError('NO_INTEGRATION');
      return adapter.testConnection({ settings: integration.settings, fetch: ctx.fetch, signal: AbortSignal.timeout(15_000) });
    });
    app.get('/projects/:projectId/crm-fields', { schema: { params: ProjectParams, response: { 200: z.array(CrmFieldView) } } }, async (req) => {
      const integration = await ctx.store.getIntegration(req.params.projectId);
      if (!integration) throw new ApiError('NO_INTEGRATION');
      const adapter = ctx.adapters.adapterFor(integration.type);
      if (!adapter) throw new ApiError('NO_INTEGRATION');
      try {
        return await adapter.listFields({ settings: integration.settings, fetch: ctx.fetch, signal: AbortSignal.timeout(15_000) });
      } catch (err) {
        throw new ApiError('CRM_ERROR', `The CRM's field list could not be loaded: ${err instanceof Error ? err.message : String(err)}`);
      }
    });

    // ----- leads -----
    await app.register(leadsSummaryRoutes(ctx));
    app.get('/projects/:projectId/leads', { schema: { params: ProjectParams, querystring: LeadsQuery, response: { 200: LeadsPage } } }, async (req) => {
      return await ctx.store.listLeads(req.params.projectId, req.query);
    });
    app.get('/projects/:projectId/leads/:leadId', { schema: { params: LeadParams, response: { 200: LeadWithAttempts } } }, async (req) => {
      const lead = await ctx.store.getLead(req.params.projectId, req.params.leadId);
      if (!lead) throw new ApiError('LEAD_NOT_FOUND');
      return { ...lead, attempts: await ctx.store.listAttempts(lead.id) };
    });
    app.post('/projects/:projectId/leads/resend', { schema: { params: ProjectParams, body: BulkResendBody, response: { 202: QueuedView } } }, async (req, reply) => {
      const { status, since, ids } = req.body;
      const queued = ids
        ? await requeueSelected(req.params.projectId, ids)
        : await ctx.store.requeueLeads(req.params.projectId, { status, ...(since ? { since: Date.parse(since) } : {}) }, ctx.now());
      if (queued > 0) ctx.onLeadStored();
      return reply.code(202).send({ queued });
    });
    /** Selected leads: a sent one is skipped (a second deal), a test one too (docs/http-api.md "Test leads"), an unknown id is ignored. */
    async function requeueSelected(projectId: string, ids: string[]): Promise<number> {
      let queued = 0;
      for (const id of new Set(ids)) {
        const lead = await ctx.store.getLead(projectId, id);
        if (lead && lead.status !== 'sent' && lead.status !== 'test' && (await ctx.store.requeueLead(projectId, id, ctx.now()))) queued += 1;
      }
      return queued;
    }
    app.post('/projects/:projectId/leads/:leadId/resend', { schema: { params: LeadParams, response: { 202: LeadView } } }, async (req, reply) => {
      // A test lead never reaches the CRM, not even by a resend (docs/http-api.md "Test leads").
      if ((await ctx.store.getLead(req.params.projectId, req.params.leadId))?.status === 'test') throw new ApiError('TEST_LEAD');
      const lead = await ctx.store.requeueLead(req.params.projectId, req.params.leadId, ctx.now());
      if (!lead) throw new ApiError('LEAD_NOT_FOUND');
      ctx.onLeadStored();
      return reply.code(202).send(lead);
    });
  };
}
