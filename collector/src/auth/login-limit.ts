// Failed logins are counted per IP and per email in the database (README "Users and roles"), so the
// limit holds across every collector process; past it, a login is refused before any password is
// checked. A successful login clears its email's count.
import type { Db } from '../store/db.ts';
import { num } from '../store/rows.ts';
import { normalEmail } from './users.ts';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failed logins allowed in the window for one email, and from one IP (an office shares one). */
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 20;

const buckets = (ip: string, email: string) => ({ ip: `ip:${ip}`, email: `email:${normalEmail(email)}` });

/** Milliseconds until a login may be tried again, or 0 when it may be tried now. */
export async function loginBlockedFor(db: Db, ip: string, email: string, now: number): Promise<number> {
  const b = buckets(ip, email);
  const since = now - LOGIN_WINDOW_MS;
  const rows = await db.all(
    'SELECT bucket, COUNT(*) AS n, MIN(at) AS oldest FROM login_failures WHERE bucket IN (?, ?) AND at > ? GROUP BY bucket',
    [b.ip, b.email, since],
  );
  let wait = 0;
  for (const r of rows) {
    const limit = r.bucket === b.ip ? MAX_FAILURES_PER_IP : MAX_FAILURES_PER_EMAIL;
    if (num(r.n) >= limit) wait = Math.max(wait, num(r.oldest) + LOGIN_WINDOW_MS - now);
  }
  return Math.max(0, wait);
}

export async function recordLoginFailure(db: Db, ip: string, email: string, now: number): Promise<void> {
  const b = buckets(ip, email);
  await db.batch([
    { sql: 'DELETE FROM login_failures WHERE at <= ?', params: [now - LOGIN_WINDOW_MS] },
    { sql: 'INSERT INTO login_failures (bucket, at) VALUES (?, ?)', params: [b.ip, now] },
    { sql: 'INSERT INTO login_failures (bucket, at) VALUES (?, ?)', params: [b.email, now] },
  ]);
}

export async function clearLoginFailures(db: Db, email: string): Promise<void> {
  await db.run('DELETE FROM login_failures WHERE bucket = ?', [buckets('', email).email]);
}
