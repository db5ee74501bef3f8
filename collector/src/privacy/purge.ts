// Deleting a person's or an age's data (docs/privacy.md): the SQL both retention (retention.ts) and
// erasure (erasure.ts) run through `store.db`, written once for SQLite and PostgreSQL. A lead goes with
// its delivery jobs, attempts and comments; visits go by their own age, or with the leads that name them.
import type { Db } from '../store/db.ts';

export const PURGE_KINDS = ['leads', 'visits', 'jobs', 'attempts', 'comments'] as const;
export type PurgeKind = (typeof PURGE_KINDS)[number];
export type Deleted = Record<PurgeKind, number>;

export function noneDeleted(): Deleted {
  return { leads: 0, visits: 0, jobs: 0, attempts: 0, comments: 0 };
}

export function addDeleted(total: Deleted, more: Deleted): Deleted {
  for (const kind of PURGE_KINDS) total[kind] += more[kind];
  return total;
}

const DAY_MS = 86_400_000;

export interface PurgeBatches {
  /** Rows one batch deletes at most: each batch is one short transaction (on SQLite, one group commit). */
  batchSize: number;
  /** Runs between batches so requests get their turn (default: the next turn of the event loop). */
  pause?: () => Promise<void>;
  /** Each batch's counts, as it commits (for /metrics). */
  onBatch?: (deleted: Deleted) => void;
  /** Asked before each batch: true ends the purge early (the app is closing). */
  stopped?: () => boolean;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Deletes the leads (with their jobs, attempts and comments) and the visits of a project created
 * before `before`, in batches. A lead whose delivery job is leased right now (an attempt in flight) is
 * left for a later pass, so the attempt is recorded against a lead that still exists.
 */
export async function purgeOlderThan(db: Db, projectId: string, before: number, now: number, opts: PurgeBatches): Promise<Deleted> {
  const total = noneDeleted();
  const pause = opts.pause ?? nextTurn;
  const done = (d: Deleted) => {
    addDeleted(total, d);
    opts.onBatch?.(d);
  };
  for (;;) {
    if (opts.stopped?.()) return total;
    const rows = await db.all(
      `SELECT id FROM leads WHERE project_id = ? AND created_at < ?
         AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.lead_id = leads.id AND j.locked_until > ?)
       ORDER BY created_at LIMIT ?`,
      [projectId, before, now, opts.batchSize],
    );
    if (rows.length === 0) break;
    const deleted = await deleteLeads(db, rows.map((r) => String(r.id)), now);
    done(deleted);
    await pause();
    // A full batch of which nothing could go (every lead taken by a worker meanwhile): try next pass.
    if (rows.length < opts.batchSize || deleted.leads === 0) break;
  }
  for (;;) {
    if (opts.stopped?.()) return total;
    const visits = await db.run(
      `DELETE FROM visits WHERE project_id = ? AND number IN
         (SELECT number FROM visits WHERE project_id = ? AND created_at < ? ORDER BY created_at LIMIT ?)`,
      [projectId, projectId, before, opts.batchSize],
    );
    if (visits > 0) done({ ...noneDeleted(), visits });
    await pause();
    if (visits < opts.batchSize) break;
  }
  return total;
}

/**
 * One transaction: the leads `ids` with their jobs, attempts and comments, except a lead with a job
 * leased at `now` (kept whole: its jobs, attempts and comments too).
 */
async function deleteLeads(db: Db, ids: string[], now: number): Promise<Deleted> {
  const list = ids.map(() => '?').join(', ');
  const noJob = (table: string, column: string) => `NOT EXISTS (SELECT 1 FROM jobs j WHERE j.lead_id = ${table}.${column})`;
  const [jobs, comments, attempts, leads] = await db.batch([
    {
      sql: `DELETE FROM jobs WHERE lead_id IN (${list})
              AND lead_id NOT IN (SELECT lead_id FROM jobs WHERE lead_id IN (${list}) AND locked_until > ?)`,
      params: [...ids, ...ids, now],
    },
    { sql: `DELETE FROM lead_comments WHERE lead_id IN (${list}) AND ${noJob('lead_comments', 'lead_id')}`, params: ids },
    { sql: `DELETE FROM attempts WHERE lead_id IN (${list}) AND ${noJob('attempts', 'lead_id')}`, params: ids },
    { sql: `DELETE FROM leads WHERE id IN (${list}) AND ${noJob('leads', 'id')}`, params: ids },
  ]);
  return { ...noneDeleted(), jobs: jobs ?? 0, comments: comments ?? 0, attempts: attempts ?? 0, leads: leads ?? 0 };
}

/** A person to erase: their normalized phone and/or email (shared/phone.ts); '' means not given. */
export interface Person {
  phoneNorm: string;
  emailNorm: string;
}

/**
 * Every lead of the person in the project, with its jobs, attempts and comments, and the visits those
 * leads name, in one transaction (all or nothing). A lead being sent at this moment goes too.
 */
export async function erasePerson(db: Db, projectId: string, person: Person): Promise<Deleted> {
  const match: string[] = [];
  const matchParams: string[] = [];
  // `<> ''` lets both databases use the partial indexes of the duplicate check.
  if (person.phoneNorm) {
    match.push("(phone_norm = ? AND phone_norm <> '')");
    matchParams.push(person.phoneNorm);
  }
  if (person.emailNorm) {
    match.push("(email_norm = ? AND email_norm <> '')");
    matchParams.push(person.emailNorm);
  }
  if (!match.length) throw new Error('erasePerson: a phone or an email is required');
  const theirs = `SELECT id FROM leads WHERE project_id = ? AND (${match.join(' OR ')})`;
  const params = [projectId, ...matchParams];
  const [visits, jobs, comments, attempts, leads] = await db.batch([
    {
      sql: `DELETE FROM visits WHERE project_id = ? AND number IN
              (SELECT visit FROM leads WHERE project_id = ? AND visit IS NOT NULL AND (${match.join(' OR ')}))`,
      params: [projectId, ...params],
    },
    { sql: `DELETE FROM jobs WHERE lead_id IN (${theirs})`, params },
    { sql: `DELETE FROM lead_comments WHERE lead_id IN (${theirs})`, params },
    { sql: `DELETE FROM attempts WHERE lead_id IN (${theirs})`, params },
    { sql: `DELETE FROM leads WHERE project_id = ? AND (${match.join(' OR ')})`, params },
  ]);
  return { visits: visits ?? 0, jobs: jobs ?? 0, comments: comments ?? 0, attempts: attempts ?? 0, leads: leads ?? 0 };
}

/** Leads older than this are deleted by a project's `retentionDays`. */
export function retentionCutoff(now: number, retentionDays: number): number {
  return now - retentionDays * DAY_MS;
}

