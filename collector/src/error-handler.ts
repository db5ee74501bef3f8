// The app's error handler: whatever a request throws (a route's ApiError, a zod validation failure,
// Fastify's own refusals, a daily quota, a fault) is answered with a code of the catalog
// (collector/src/errors.ts) and the catalog's HTTP status. A fault says nothing of itself to the
// client: it is logged.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { ApiError, ERRORS, errorBody, sendError, type ErrorCode } from './errors.ts';
import type { Metrics } from './metrics.ts';
import { utcDay } from './store/rows.ts';
import { QuotaExceededError } from './store/types.ts';

/** Fastify's own refusals of a request body, by their code (fastify's lib/errors.js). */
const FASTIFY_ERRORS: ReadonlyMap<string, ErrorCode> = new Map([
  ['FST_ERR_CTP_BODY_TOO_LARGE', 'PAYLOAD_TOO_LARGE'],
  ['FST_ERR_CTP_INVALID_MEDIA_TYPE', 'UNSUPPORTED_MEDIA_TYPE'],
  ['FST_ERR_CTP_EMPTY_JSON_BODY', 'BAD_JSON'],
  ['FST_ERR_CTP_INVALID_JSON_BODY', 'BAD_JSON'],
]);

export interface ErrorHandlerDeps {
  metrics: Metrics;
  now: () => number;
}

export function errorHandler({ metrics, now }: ErrorHandlerDeps) {
  return (err: FastifyError, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    if (err instanceof ApiError) return reply.code(err.statusCode).send(errorBody(err.code, err.message));
    if (err instanceof QuotaExceededError) {
      metrics.recordQuotaExceeded(err.kind);
      const untilNextDay = Math.ceil(((utcDay(now()) + 1) * 86_400_000 - now()) / 1000);
      return sendError(reply.header('retry-after', String(untilNextDay)), 'QUOTA_EXCEEDED', err.message);
    }
    if (hasZodFastifySchemaValidationErrors(err)) {
      const details = err.validation
        .map((v) => `${v.instancePath ? v.instancePath.slice(1).replace(/\//g, '.') : err.validationContext}: ${v.message}`)
        .join('; ');
      return sendError(reply, 'VALIDATION_ERROR', details);
    }
    const known = err.code === undefined ? undefined : FASTIFY_ERRORS.get(err.code);
    if (known) return sendError(reply, known);
    if (err.statusCode === ERRORS.RATE_LIMITED.status) return sendError(reply, 'RATE_LIMITED');
    // Any other refusal of the HTTP layer (a body shorter than its Content-Length, a byte range past
    // the end of a file, a failed If-Match) is BAD_REQUEST with that layer's own 4xx status and words.
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(errorBody('BAD_REQUEST', err.message));
    }
    req.log.error({ err }, 'request failed');
    return sendError(reply, 'INTERNAL');
  };
}
