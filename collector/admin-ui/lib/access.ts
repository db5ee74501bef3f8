// What the logged-in role may do in the admin UI (README "Users and roles"): the UI hides what the
// server would refuse with 403. The role is set once at login (app.tsx) and read by the pages.
export type Role = 'owner' | 'marketer' | 'viewer';

const RANK: Record<Role, number> = { viewer: 0, marketer: 1, owner: 2 };

/** Whether `role` reaches `need`: marketer for forms and resending, owner for everything else that changes. */
export function allows(role: Role, need: Role): boolean {
  return RANK[role] >= RANK[need];
}

let current: Role = 'viewer';

export function setCurrentRole(role: Role): void {
  current = role;
}

/** Whether the logged-in user may do what needs `need`. */
export function can(need: Role): boolean {
  return allows(current, need);
}
