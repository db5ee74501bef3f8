// Login and logout by email and password (README "Users and roles", docs/http-api.md "Session").
// Outside the admin guard: logging in is how one gets past it.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { authenticate, sameOrigin, whyUnauthorized } from '../auth/guard.ts';
import { clearLoginFailures, loginBlockedFor, recordLoginFailure } from '../auth/login-limit.ts';
import { createHashSlots, type HashSlotLimits } from '../auth/hash-slots.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { clearedSessionCookie, createSession, deleteSession, sessionCookie, sessionIdFrom } from '../auth/sessions.ts';
import { userByEmail } from '../auth/users.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';

const LoginBody = z.object({ email: z.string().trim().min(1).max(254), password: z.string().min(1).max(200) });

export function sessionRoutes(ctx: AppContext, hashSlots?: HashSlotLimits): FastifyPluginAsyncZod {
  const slots = createHashSlots(hashSlots);
  // Secure when the request came over https, and whenever PUBLIC_URL is https: behind a proxy that
  // ends TLS without TRUST_PROXY set, the request itself looks like plain http.
  const secureCookie = (protocol: string) => protocol === 'https' || !!ctx.publicUrl?.startsWith('https:');
  // An unknown email costs the same hashing as a known one, so the answer's time does not tell which.
  let dummyHash: Promise<string> | null = null;
  const dummy = () => (dummyHash ??= hashPassword('no such user', ctx.passwordCost));

  return async (app) => {
    app.addHook('onRoute', (route) => {
      route.schema = { tags: ['session'], ...(route.schema ?? {}) };
    });

    app.post('/session', { schema: { body: LoginBody } }, async (req, reply) => {
      // A login form posted from another site would log the browser in as someone else.
      if (!sameOrigin(ctx, req)) throw new ApiError('FORBIDDEN', 'A login must come from the admin page itself.');
      const { email, password } = req.body;
      const wait = await loginBlockedFor(ctx.store.db, req.ip, email, ctx.now());
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        reply.header('retry-after', String(seconds));
        throw new ApiError('RATE_LIMITED', `Too many failed logins; try again in ${Math.ceil(seconds / 60)} min.`);
      }
      const user = await userByEmail(ctx.store.db, email);
      const check = async () => (user ? verifyPassword(password, user.passwordHash) : (await verifyPassword(password, await dummy()), false));
      const ok = await slots.run(check).catch((err: unknown) => {
        if (err instanceof ApiError) reply.header('retry-after', '1');
        throw err;
      });
      if (!user || !ok) {
        await recordLoginFailure(ctx.store.db, req.ip, email, ctx.now());
        throw new ApiError('LOGIN_FAILED');
      }
      await clearLoginFailures(ctx.store.db, req.ip, email);
      // A login ends the session the browser had before, so no older cookie (another user's, or one
      // copied earlier) stays alive beside the new one.
      const previous = sessionIdFrom(req.headers.cookie);
      if (previous) await deleteSession(ctx.store.db, previous);
      const session = await createSession(ctx.store.db, user.id, ctx.now());
      reply.header('set-cookie', sessionCookie(session.id, session.expiresAt - ctx.now(), secureCookie(req.protocol)));
      reply.header('cache-control', 'no-store');
      return { user: { id: user.id, email: user.email, role: user.role } };
    });

    // Who is logged in: the admin UI reads the role here to hide what it cannot do.
    app.get('/session', async (req, reply) => {
      const principal = await authenticate(ctx, req);
      if (!principal) throw new ApiError('UNAUTHORIZED', whyUnauthorized(req));
      reply.header('cache-control', 'no-store');
      return principal.kind === 'token'
        ? { token: true, role: 'owner' as const }
        : { user: { id: principal.userId, email: principal.email, role: principal.role } };
    });

    app.delete('/session', async (req, reply) => {
      const id = sessionIdFrom(req.headers.cookie);
      if (id) await deleteSession(ctx.store.db, id);
      return reply.header('set-cookie', clearedSessionCookie(secureCookie(req.protocol))).code(204).send();
    });
  };
}
