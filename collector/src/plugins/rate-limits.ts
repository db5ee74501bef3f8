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
    errorResponseBuilder: (_req, context) =>
      new ApiError('RATE_LIMITED', `Too many requests from this address: at most ${context.max} a minute; retry in ${Math.ceil(context.ttl / 1000)} s.`),
  });
}

/** Registered before the routes it limits (it sets their limit as they are added). */
export const rateLimitsPlugin = fp(rateLimits, { name: 'leadrelay-rate-limits' });
