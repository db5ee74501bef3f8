// Who may do what in the admin API (README "Users and roles"; docs/http-api.md "Roles"). The rules
// go by route, so route modules need not say anything: a viewer reads; a marketer also changes forms
// and resends leads; an owner does everything, and only owners read users and the audit log.
export const ROLES = ['owner', 'marketer', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, marketer: 1, owner: 2 };

export function atLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean {
  return SAFE_METHODS.has(method.toUpperCase());
}

/** Routes (as registered, under /api/v1) that only owners may even read. */
const OWNER_READS = [/^\/api\/v1\/users(\/|$)/, /^\/api\/v1\/audit(\/|$)/];

/** Changes a marketer may make: forms, and sending leads again. */
const MARKETER_CHANGES = [/^\/api\/v1\/projects\/:projectId\/forms(\/|$)/, /^\/api\/v1\/projects\/:projectId\/leads\/(:leadId\/)?resend$/];

/** The least role a request needs, by its method and its route's URL pattern. */
export function requiredRole(method: string, routeUrl: string): Role {
  if (OWNER_READS.some((r) => r.test(routeUrl))) return 'owner';
  if (isSafeMethod(method)) return 'viewer';
  if (MARKETER_CHANGES.some((r) => r.test(routeUrl))) return 'marketer';
  return 'owner';
}
