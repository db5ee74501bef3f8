// Who made an admin request, as the guard (guard.ts) found them; read by the routes and the audit hook.
import type { FastifyRequest } from 'fastify';
import type { Role } from './roles.ts';

export type Principal =
  | { kind: 'token'; role: 'owner'; actor: 'admin token' }
  | { kind: 'session'; role: Role; actor: string; userId: string; email: string; sessionId: string };

const principals = new WeakMap<FastifyRequest, Principal>();

/** undefined on a route the guard does not cover. */
export function principalOf(req: FastifyRequest): Principal | undefined {
  return principals.get(req);
}

export function setPrincipal(req: FastifyRequest, principal: Principal): void {
  principals.set(req, principal);
}
