// Users of the admin (README "Users and roles", docs/data-model.md "Users and sessions"): SQL written
// once against store.db, so it works on SQLite and PostgreSQL alike.
import { shortId } from '../../../shared/ids.ts';
import type { Db, SqlRow } from '../store/db.ts';
import { iso, num } from '../store/rows.ts';
import type { Role } from './roles.ts';

export interface User {
  id: string;
  email: string;
  role: Role;
  createdAt: string;
}

export interface UserWithHash extends User {
  passwordHash: string;
}

/** Emails are compared without regard to case or surrounding spaces. */
export function normalEmail(email: string): string {
  return email.trim().toLowerCase();
}

function toUser(r: SqlRow): User {
  return { id: String(r.id), email: String(r.email), role: String(r.role) as Role, createdAt: iso(num(r.created_at)) };
}

/** null when a user with that email exists already. */
export async function createUser(db: Db, user: { email: string; passwordHash: string; role: Role }, now: number): Promise<User | null> {
  const email = normalEmail(user.email);
  if (await db.get('SELECT id FROM users WHERE email = ?', [email])) return null;
  const id = shortId(12);
  try {
    await db.run('INSERT INTO users (id, email, password_hash, role, created_at) VALUES (?, ?, ?, ?, ?)', [id, email, user.passwordHash, user.role, now]);
  } catch (err) {
    // Two requests with the same email at once: the unique index refuses the second.
    if (await db.get('SELECT id FROM users WHERE email = ?', [email])) return null;
    throw err;
  }
  return { id, email, role: user.role, createdAt: iso(now) };
}

export async function listUsers(db: Db): Promise<User[]> {
  return (await db.all('SELECT id, email, role, created_at FROM users ORDER BY created_at, id')).map(toUser);
}

export async function getUser(db: Db, id: string): Promise<User | null> {
  const r = await db.get('SELECT id, email, role, created_at FROM users WHERE id = ?', [id]);
  return r ? toUser(r) : null;
}

export async function userByEmail(db: Db, email: string): Promise<UserWithHash | null> {
  const r = await db.get('SELECT id, email, role, created_at, password_hash FROM users WHERE email = ?', [normalEmail(email)]);
  return r ? { ...toUser(r), passwordHash: String(r.password_hash) } : null;
}

export async function countOwners(db: Db): Promise<number> {
  return num((await db.get("SELECT COUNT(*) AS n FROM users WHERE role = 'owner'"))?.n ?? 0);
}

/**
 * Deletes the user and their sessions, unless they are the last owner: then nothing changes and the
 * answer is 'last_owner'. The check and the delete are one statement. (ADMIN_TOKEN stays an owner's
 * way in whatever the users table holds.)
 */
export async function deleteUser(db: Db, id: string): Promise<'deleted' | 'not_found' | 'last_owner'> {
  const changed = await db.run(
    "DELETE FROM users WHERE id = ? AND (role <> 'owner' OR (SELECT COUNT(*) FROM users WHERE role = 'owner') > 1)",
    [id],
  );
  if (changed > 0) return 'deleted';
  return (await getUser(db, id)) ? 'last_owner' : 'not_found';
}

/** Changes a user's role; the last owner keeps theirs ('last_owner'), as with deleteUser. */
export async function setUserRole(db: Db, id: string, role: Role): Promise<User | 'not_found' | 'last_owner'> {
  const changed = await db.run(
    "UPDATE users SET role = ? WHERE id = ? AND (role <> 'owner' OR ? = 'owner' OR (SELECT COUNT(*) FROM users WHERE role = 'owner') > 1)",
    [role, id, role],
  );
  const user = await getUser(db, id);
  if (!user) return 'not_found';
  return changed > 0 ? user : 'last_owner';
}
