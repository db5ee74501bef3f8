// Public endpoints (site API, proxy API) are limited per IP; the admin API sits behind its token instead.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RateLimits } from '../config.ts';
import { ApiError } from '../errors.ts';

async function rateLimits(app: FastifyInstance, limits: RateLimits): Promise<void> {
  app.addHook('onRoute', (route) => {
    const perMinute = route.url.startsWith('/api/site/') ? limits.sitePerMinute : route.url.startsWith('/api/proxy/') ? limits.proxyPerMinute : 0;
    if (perMinute > 0 && route.method !== 'OPTIONS') route.config = { ...(route.config ?? {}), rateLimit: { max: perMinute, timeWindow: 60_000 } };
  });
  await app.register(rateLimit, {
    global: false,
    // No X-RateLimit-* headers on answers within the limit: every page view's config revalidation (a 304)
    // would carry three more headers to format and write (BENCHMARKS.md, "Config revalidation"). A 429
    // still says when to retry (Retry-After).
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    errorResponseBuilder: (_req, context) =>
      new ApiError('RATE_LIMITED', `Too many requests from this address: at most ${context.max} a minute; retry in ${Math.ceil(context.ttl / 1000)} s.`),
  });
}

/** Registered before the routes it limits (it sets their limit as they are added). */
export const rateLimitsPlugin = fp(rateLimits, { name: 'leadrelay-rate-limits' });
