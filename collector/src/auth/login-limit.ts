// Failed logins are counted in the database (README "Users and roles"), so the limit holds across
// every collector process; past it, a login is refused before any password is checked. Counts are
// kept per address and per address and email together, never per email alone: a count per email
// would let anyone lock a real user out for as long as they keep guessing, from anywhere. Guessing
// one password from many addresses is slowed by the memory-hard hash and the 8-character minimum.
import { isIPv4, isIPv6 } from 'node:net';
import { truncateIp } from '../privacy/ip.ts';
import type { Db } from '../store/db.ts';
import { num } from '../store/rows.ts';
import { normalEmail } from './users.ts';

export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failed logins allowed in the window for one email from one address, and from one address (an office shares one). */
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 20;

/**
 * The address a count belongs to: an IPv4 address as it is; an IPv6 one by its /48 network, since
 * one client holds a whole /64 or more and could take a new address for every guess.
 */
export function loginNetwork(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (isIPv4(ip) || !isIPv6(ip)) return ip;
  return truncateIp(ip) || ip;
}

const buckets = (ip: string, email: string) => {
  const net = loginNetwork(ip);
  return { ip: `ip:${net}`, email: `email:${net}:${normalEmail(email)}` };
};

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

/** After a good login: that address's count for that email starts again. */
export async function clearLoginFailures(db: Db, ip: string, email: string): Promise<void> {
  await db.run('DELETE FROM login_failures WHERE bucket = ?', [buckets(ip, email).email]);
}
