// Who made an admin request, as the audit log names them (collector/src/audit.ts). Today every admin
// request carries the admin token; with user accounts this is where the signed-in user's email comes from.
import type { FastifyRequest } from 'fastify';

export const ADMIN_TOKEN_ACTOR = 'admin token';

export function actorOf(_req: FastifyRequest): string {
  return ADMIN_TOKEN_ACTOR;
}
