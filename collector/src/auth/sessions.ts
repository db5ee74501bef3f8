// Login sessions (README "Users and roles"): the cookie carries a random id; the database keeps only
// its SHA-256, so a copy of the database opens no session. Every collector process on one PostgreSQL
// reads the same table, so a session works on each of them.
import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../store/db.ts';
import { num } from '../store/rows.ts';
import type { Role } from './roles.ts';
import type { User } from './users.ts';

export const SESSION_COOKIE = 'leadrelay_session';
/** A session ends this long after login (logout ends it at once). */
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

function idHash(id: string): string {
  return createHash('sha256').update(id).digest('base64url');
}

export async function createSession(db: Db, userId: string, now: number): Promise<{ id: string; expiresAt: number }> {
  const id = randomBytes(32).toString('base64url');
  const expiresAt = now + SESSION_TTL_MS;
  await db.batch([
    { sql: 'DELETE FROM sessions WHERE expires_at <= ?', params: [now] },
    { sql: 'INSERT INTO sessions (id_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)', params: [idHash(id), userId, now, expiresAt] },
  ]);
  return { id, expiresAt };
}

/** The user a live session belongs to, or null (unknown, expired, or the user was deleted). */
export async function sessionUser(db: Db, id: string, now: number): Promise<Pick<User, 'id' | 'email' | 'role'> | null> {
  const r = await db.get(
    'SELECT u.id, u.email, u.role, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id_hash = ?',
    [idHash(id)],
  );
  if (!r || num(r.expires_at) <= now) return null;
  return { id: String(r.id), email: String(r.email), role: String(r.role) as Role };
}

export async function deleteSession(db: Db, id: string): Promise<void> {
  await db.run('DELETE FROM sessions WHERE id_hash = ?', [idHash(id)]);
}

/** The session id from a Cookie header, if any. */
export function sessionIdFrom(cookieHeader: string | undefined): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === SESSION_COOKIE) {
      const value = part.slice(eq + 1).trim();
      return /^[A-Za-z0-9_-]{20,100}$/.test(value) ? value : null;
    }
  }
  return null;
}

/** Set-Cookie for a session (httpOnly, SameSite=Strict; Secure when the request came over https). */
export function sessionCookie(id: string, maxAgeMs: number, secure: boolean): string {
  const attrs = [`${SESSION_COOKIE}=${id}`, 'Path=/', 'HttpOnly', 'SameSite=Strict', `Max-Age=${Math.max(0, Math.floor(maxAgeMs / 1000))}`];
  if (secure) attrs.push('Secure');
  return attrs.join('; ');
}

export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', 0, secure);
}
