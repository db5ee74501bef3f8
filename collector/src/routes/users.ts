// Users and their roles (README "Users and roles", docs/http-api.md "Users"); owners only (auth/roles.ts).
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { recordAudit } from '../audit.ts';
import { guardAdminRoutes } from '../auth/guard.ts';
import { hashPassword } from '../auth/passwords.ts';
import { principalOf } from '../auth/principal.ts';
import { ROLES } from '../auth/roles.ts';
import { createUser, deleteUser, getUser, listUsers, setUserRole } from '../auth/users.ts';
import type { AppContext } from '../context.ts';
import { ApiError } from '../errors.ts';

/** Passwords: at least 8 characters (a passphrase is welcome), at most 200. */
export const MIN_PASSWORD_LENGTH = 8;

const UserInput = z.object({
  email: z.email().max(254),
  password: z.string().min(MIN_PASSWORD_LENGTH, `a password needs at least ${MIN_PASSWORD_LENGTH} characters`).max(200),
  role: z.enum(ROLES),
});
const UserParams = z.object({ userId: z.string().min(1).max(64) });
const RoleInput = z.object({ role: z.enum(ROLES) });

export function userRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    guardAdminRoutes(app, ctx);
    const audit = (req: Parameters<typeof principalOf>[0], action: string, detail: Record<string, unknown>) =>
      recordAudit(ctx.store.db, { projectId: null, actor: principalOf(req)?.actor ?? 'unknown', action, detail }, ctx.now());

    app.get('/users', async () => (await listUsers(ctx.store.db)).map(({ id, email, role, createdAt }) => ({ id, email, role, createdAt })));

    app.post('/users', { schema: { body: UserInput } }, async (req, reply) => {
      const passwordHash = await hashPassword(req.body.password, ctx.passwordCost);
      const user = await createUser(ctx.store.db, { email: req.body.email, passwordHash, role: req.body.role }, ctx.now());
      if (!user) throw new ApiError('USER_EXISTS');
      await audit(req, 'user.create', { userId: user.id, email: user.email, role: user.role });
      return reply.code(201).send({ id: user.id, email: user.email, role: user.role });
    });

    app.put('/users/:userId', { schema: { params: UserParams, body: RoleInput } }, async (req) => {
      const before = await getUser(ctx.store.db, req.params.userId);
      const result = await setUserRole(ctx.store.db, req.params.userId, req.body.role);
      if (result === 'not_found') throw new ApiError('USER_NOT_FOUND');
      if (result === 'last_owner') throw new ApiError('LAST_OWNER', 'This is the last owner: make another user an owner first.');
      await audit(req, 'user.role', { userId: result.id, email: result.email, from: before?.role, role: result.role });
      return { id: result.id, email: result.email, role: result.role };
    });

    app.delete('/users/:userId', { schema: { params: UserParams } }, async (req, reply) => {
      const user = await getUser(ctx.store.db, req.params.userId);
      const result = await deleteUser(ctx.store.db, req.params.userId);
      if (result === 'not_found' || !user) throw new ApiError('USER_NOT_FOUND');
      if (result === 'last_owner') throw new ApiError('LAST_OWNER', 'This is the last owner: add another owner before deleting this one.');
      await audit(req, 'user.delete', { userId: user.id, email: user.email, role: user.role });
      return reply.code(204).send();
    });
  };
}
