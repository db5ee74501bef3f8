// The audit log: who changed what and when (forms, the integration, users, projects, erasures).
// Owners read it in the admin UI; docs/data-model.md describes the table. `detail` must never hold
// a secret or the data of a person whose leads were erased.
import type { Db } from './store/db.ts';
import { num } from './store/rows.ts';

export interface AuditEntry {
  /** null for collector-wide changes (users). */
  projectId: string | null;
  /** Who did it: a user's email, or "admin token". */
  actor: string;
  /** What was done, e.g. "form.update", "integration.update", "user.create", "erasure". */
  action: string;
  detail: Record<string, unknown>;
}

export interface StoredAuditEntry extends AuditEntry {
  id: number;
  at: number;
}

export async function recordAudit(db: Db, entry: AuditEntry, now: number): Promise<void> {
  await db.run('INSERT INTO audit_log (project_id, actor, action, detail, at) VALUES (?, ?, ?, ?, ?)', [
    entry.projectId,
    entry.actor,
    entry.action,
    JSON.stringify(entry.detail),
    now,
  ]);
}

/** Newest first; `projectId` undefined: every entry, null: collector-wide ones only. */
export async function listAudit(db: Db, query: { projectId?: string | null; limit: number; beforeId?: number }): Promise<StoredAuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (query.projectId === null) where.push('project_id IS NULL');
  else if (query.projectId !== undefined) {
    where.push('project_id = ?');
    params.push(query.projectId);
  }
  if (query.beforeId !== undefined) {
    where.push('id < ?');
    params.push(query.beforeId);
  }
  params.push(query.limit);
  const rows = await db.all(
    `SELECT * FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
    params,
  );
  return rows.map((r) => ({
    id: num(r.id),
    projectId: r.project_id == null ? null : String(r.project_id),
    actor: String(r.actor),
    action: String(r.action),
    detail: JSON.parse(String(r.detail)) as Record<string, unknown>,
    at: num(r.at),
  }));
}
