// The Roistat-compatible proxy API (docs/http-api.md "Proxy API"): a site's backend sends leads with
// `file_get_contents(".../leads/add?" . http_build_query($data))`, or POSTs the same as a form,
// multipart or JSON. Bodies reach the handler as raw bytes: the charset a request names decides how
// they become text (collector/src/proxy/parse.ts), so no Fastify body parser may decode them first.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { LIMITS, type Lead } from '../../../shared/schemas.ts';
import { truncate } from '../../../shared/limits.ts';
import type { AppContext } from '../context.ts';
import { ApiError, ERRORS, sendError } from '../errors.ts';
import type { RequestInfo } from '../leads/variables.ts';
import { leadFromProxy } from '../leads/from-proxy.ts';
import { projectIp } from '../privacy/ip.ts';
import { MAX_INPUT_VARS } from '../proxy/input-budget.ts';
import { parseMessageParams, parseProxyParams, type RawProxyRequest } from '../proxy/parse.ts';
import { ProxyParamsError } from '../proxy/params-error.ts';
import type { StoredVisit } from '../store/types.ts';

export interface ProxyRouteOptions {
  /** How long `sync=1` waits for the CRM's answer (default 25 s; server.ts passes PROXY_SYNC_TIMEOUT_MS). */
  syncTimeoutMs?: number;
}

/** Lead states in which the CRM has answered (or never will be asked). */
const SETTLED: ReadonlySet<Lead['status']> = new Set(['sent', 'failed', 'retrying', 'not_sent', 'no_integration', 'duplicate', 'test']);
const SYNC_POLL_MS = 20;
const DEFAULT_SYNC_TIMEOUT_MS = 25_000;

const KEPT_STATUSES: ReadonlySet<number> = new Set([ERRORS.PAYLOAD_TOO_LARGE.status, ERRORS.RATE_LIMITED.status, ERRORS.QUOTA_EXCEEDED.status]);

/**
 * The HTTP status a proxy API answer goes out with. The reference article's PHP reads the answer with
 * a bare `file_get_contents`, which gives `false` and no body on a 4xx/5xx, so every answer, errors
 * included, is 200 with its JSON body; only 413 and 429 keep theirs (a client must slow down or shrink).
 */
function proxyHttpStatus(status: number): number {
  return status >= 400 && !KEPT_STATUSES.has(status) ? 200 : status;
}

export function proxyRoutes(ctx: AppContext, opts: ProxyRouteOptions = {}): FastifyPluginAsync {
  const syncTimeoutMs = opts.syncTimeoutMs ?? DEFAULT_SYNC_TIMEOUT_MS;

  // Registered with the prefix /api/proxy, so its hooks and its not-found answer cover every URL under it.
  return async (app: FastifyInstance) => {
    app.addHook('onSend', async (_req, reply) => {
      reply.code(proxyHttpStatus(reply.statusCode));
    });
    app.setNotFoundHandler((_req, reply) =>
      sendError(reply, 'NOT_FOUND', `${ERRORS.NOT_FOUND.message} The proxy API has GET or POST /api/proxy/1.0/leads/add and /api/proxy/1.0/leads/messages/add.`),
    );

    // Every body arrives as bytes (and an absent body as none); the bodyLimit of the app (64 KiB)
    // still applies, answered 413 by the app's error handler.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

    app.route({
      method: ['GET', 'POST'],
      url: '/1.0/leads/add',
      // A HEAD (link checkers, monitors) must not create a lead.
      exposeHeadRoute: false,
      // Documentation only: the parameters are PHP-style nested names in any charset, which no
      // JSON schema can validate; parse.ts reads them.
      schema: {
        tags: ['proxy'],
        summary: 'Add a lead (Roistat-compatible)',
        description:
          'Query string, application/x-www-form-urlencoded, multipart/form-data or JSON: roistat, key, title, comment, name, email, phone, ' +
          'order_creation_method, is_need_callback, callback_phone, sync, is_need_check_order_in_processing(_append), is_skip_sending, is_test, ' +
          'fields[...], client_fields[...], charset. Answers {"status":"success","data":{"id",...}}; with sync=1 data.order_id is the CRM deal id.',
      },
      handler: async (req, reply) => {
        const params = read(req, parseProxyParams);
        const project = await projectByKey(params.key);
        const visit = typeof params.roistat === 'number' ? await ctx.store.getVisit(project.id, params.roistat) : null;
        const now = ctx.now();
        const lead = leadFromProxy(project.id, params, visit, await requestInfo(req, project.id, visit), now);
        const result = await ctx.store.ingestLead(lead, now, ctx.quotas.leadsPerDay);
        if (result.created) ctx.onLeadStored();
        const stored = result.lead;
        // Past PHP's max_input_vars the rest was ignored, as PHP does: the answer and the log say so.
        const ignored = params.ignoredParams > 0 ? { ignored_params: params.ignoredParams } : {};
        if (params.ignoredParams > 0) {
          ctx.log.warn({ projectId: project.id, leadId: stored.id, ignored: params.ignoredParams }, `proxy lead: parameters past the first ${MAX_INPUT_VARS} were ignored`);
        }
        if (!params.sync) return reply.send({ status: 'success', data: { id: stored.id, status: stored.status, ...ignored } });

        const left = watchClientLeft(reply);
        const settled = await waitUntilSettled(project.id, stored.id, syncTimeoutMs, left);
        if (settled.status === 'sent') {
          return reply.send({ status: 'success', data: { id: settled.id, status: settled.status, order_id: settled.crmId, ...ignored } });
        }
        if (settled.status === 'retrying' || settled.status === 'failed') {
          throw new ApiError('CRM_ERROR', `The CRM did not accept the lead ${settled.id}: ${settled.lastError ?? 'unknown error'}. It stays stored${settled.status === 'retrying' ? ' and is retried' : ''}.`);
        }
        if (settled.status === 'pending' && left()) {
          ctx.log.info({ leadId: settled.id }, 'sync=1: the client left before the CRM answered; the lead is stored and its delivery goes on');
        }
        if (settled.status === 'pending') {
          throw new ApiError('CRM_ERROR', `The CRM has not answered within ${Math.round(syncTimeoutMs / 1000)} s; the lead ${settled.id} is stored and its delivery goes on.`);
        }
        // not_sent, duplicate, no_integration, test: no CRM will be asked now, so there is nothing to wait for.
        return reply.send({
          status: 'success',
          data: { id: settled.id, status: settled.status, ...(settled.duplicateOf ? { duplicate_of: settled.duplicateOf } : {}), ...ignored },
        });
      },
    });

    app.route({
      method: ['GET', 'POST'],
      url: '/1.0/leads/messages/add',
      exposeHeadRoute: false,
      schema: {
        tags: ['proxy'],
        summary: 'Add a comment to a lead and its CRM deal',
        description: 'key, id (the lead id from leads/add), title (optional), message; as a query string, a form or JSON.',
      },
      handler: async (req, reply) => {
        const params = read(req, parseMessageParams);
        const project = await projectByKey(params.key);
        if (!params.id) throw new ApiError('VALIDATION_ERROR', 'id: the lead id from leads/add is required');
        if (!params.message.trim()) throw new ApiError('VALIDATION_ERROR', 'message: the comment text is required');
        const lead = await ctx.store.addComment(
          project.id,
          truncate(params.id, 64),
          truncate(params.title ?? '', LIMITS.title),
          truncate(params.message, LIMITS.comment),
          ctx.now(),
        );
        if (!lead) throw new ApiError('LEAD_NOT_FOUND');
        ctx.onLeadStored();
        return reply.send({ status: 'success', data: { id: lead.id } });
      },
    });
  };

  function read<T>(req: FastifyRequest, parse: (raw: RawProxyRequest) => T): T {
    const url = req.raw.url ?? '';
    const q = url.indexOf('?');
    const raw: RawProxyRequest = { query: q === -1 ? '' : url.slice(q + 1) };
    if (Buffer.isBuffer(req.body)) raw.body = req.body;
    const contentType = req.headers['content-type'];
    if (contentType) raw.contentType = contentType;
    try {
      return parse(raw);
    } catch (err) {
      if (err instanceof ProxyParamsError) {
        throw new ApiError(err.code === 'UNKNOWN_CHARSET' ? 'BAD_CHARSET' : 'BAD_JSON', err.message);
      }
      throw err;
    }
  }

  async function projectByKey(key: string) {
    const project = key ? await ctx.store.getProjectByKey(key) : null;
    if (!project) throw new ApiError('AUTH_ERROR');
    return project;
  }

  /**
   * The visitor is who the visit saw; the request itself comes from the site's server. The address is
   * cut when the project asks (a visit stored before the setting was on still has it whole).
   */
  async function requestInfo(req: FastifyRequest, projectId: string, visit: StoredVisit | null): Promise<RequestInfo> {
    const ip = await projectIp(ctx.store, projectId, visit?.ip || req.ip);
    return { ip, userAgent: visit ? visit.userAgent : String(req.headers['user-agent'] ?? ''), geo: ctx.geo.lookup(ip) };
  }

  /** Polls the stored lead until the worker has an answer from the CRM, the time is up, or the client left. */
  async function waitUntilSettled(projectId: string, leadId: string, timeoutMs: number, left: () => boolean): Promise<Lead> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const lead = await ctx.store.getLead(projectId, leadId);
      if (!lead) throw new ApiError('LEAD_NOT_FOUND');
      if (SETTLED.has(lead.status) || Date.now() >= deadline || left()) return lead;
      await new Promise((resolve) => setTimeout(resolve, SYNC_POLL_MS));
    }
  }
}

/**
 * Whether the client has gone. The request stream says nothing about that: it ends (and is
 * destroyed) once a POST body has been read. The response closing before it was finished does.
 */
function watchClientLeft(reply: FastifyReply): () => boolean {
  let left = reply.raw.destroyed && !reply.raw.writableFinished;
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) left = true;
  });
  return () => left;
}
