// The admin API's door (README "Users and roles", docs/http-api.md "Authentication and roles"): who
// is asking (the ADMIN_TOKEN bearer, or a session cookie), whether a cookie request really comes from
// the admin's own page (CSRF), and whether their role allows this route.
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { auditHook } from './audit-hook.ts';
import { atLeast, isSafeMethod, requiredRole } from './roles.ts';
import { setPrincipal, type Principal } from './principal.ts';
import { sessionIdFrom, sessionUser } from './sessions.ts';

function tokenMatches(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The bearer token or the session cookie, checked; null when the request carries neither that works. */
export async function authenticate(ctx: AppContext, req: FastifyRequest): Promise<Principal | null> {
  const bearer = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (bearer) return tokenMatches(bearer[1]!.trim(), ctx.adminToken) ? { kind: 'token', role: 'owner', actor: 'admin token' } : null;
  const sessionId = sessionIdFrom(req.headers.cookie);
  if (!sessionId) return null;
  const user = await sessionUser(ctx.store.db, sessionId, ctx.now());
  return user ? { kind: 'session', role: user.role, actor: user.email, userId: user.id, email: user.email, sessionId } : null;
}

/** The origin as URL writes it (a default port left out), or null for one that is not a URL ("null"). */
function originOf(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/** This collector's own origins: the one the request came to, and PUBLIC_URL's. */
function ownOrigins(ctx: AppContext, req: FastifyRequest): string[] {
  return [originOf(`${req.protocol}://${req.host}`), ctx.publicUrl ? originOf(ctx.publicUrl) : null].filter((o): o is string => o !== null);
}



/**
 * A browser sends the cookie whoever made the page, so a change made with it must come from a page of
 * this collector (docs/http-api.md "Authentication and roles"). What a browser tells of the page is
 * checked: `Origin` (every current browser sends it on a POST, PUT or DELETE), else `Sec-Fetch-Site`,
 * else `Referer`; any of them naming another site refuses the request. A request with none of them
 * is no browser page's (a script, curl): SameSite=Strict already keeps the cookie off another site's
 * requests in every browser, so it passes.
 */
export function sameOrigin(ctx: AppContext, req: FastifyRequest): boolean {
  const own = ownOrigins(ctx, req);
  const origin = req.headers.origin;
  if (origin !== undefined) return own.includes(originOf(origin) ?? '');
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined) return site === 'same-origin' || site === 'none';
  const referer = req.headers.referer;
  if (referer !== undefined) return own.includes(originOf(referer) ?? '');
  return true;
}

/** The 401 message: what was wrong with what the request carried (docs/http-api.md "Authentication and roles"). */
export function whyUnauthorized(req: FastifyRequest): string | undefined {
  if (/^Bearer\s/i.test(req.headers.authorization ?? '')) return 'The admin token is wrong.';
  if (sessionIdFrom(req.headers.cookie)) return 'Your login session has ended (logged out, expired, or the user was deleted): log in again.';
  return undefined;
}

/** The onRequest hook of every admin route plugin. */
export function adminGuard(ctx: AppContext) {
  return async (req: FastifyRequest): Promise<void> => {
    const principal = await authenticate(ctx, req);
    if (!principal) throw new ApiError('UNAUTHORIZED', whyUnauthorized(req));
    if (principal.kind === 'session' && !isSafeMethod(req.method) && !sameOrigin(ctx, req)) {
      throw new ApiError('FORBIDDEN', 'A change made with a login cookie must come from the admin page itself (its Origin did not match this collector).');
    }
    const needed = requiredRole(req.method, req.routeOptions.url ?? req.url);
    if (!atLeast(principal.role, needed)) {
      throw new ApiError('FORBIDDEN', `Your role (${principal.role}) cannot do this; it needs ${needed === 'owner' ? 'an owner' : 'a marketer or an owner'}.`);
    }
    setPrincipal(req, principal);
  };
}

/**
 * Puts a route plugin behind the guard: every route it adds needs a login or the token, its role is
 * checked, its changes are audited, and /docs shows it as an admin operation.
 */
export function guardAdminRoutes(app: FastifyInstance, ctx: AppContext): void {
  app.addHook('onRoute', (route) => {
    route.schema = { tags: ['admin'], ...(route.schema ?? {}), security: [{ adminToken: [] }] };
  });
  app.addHook('onRequest', adminGuard(ctx));
  app.addHook('onSend', auditHook(ctx));
}
