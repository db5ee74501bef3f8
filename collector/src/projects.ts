// Renaming a project, giving it a new key, and deleting it with all its data (README "Projects",
// docs/http-api.md "Admin API"). SQL written once against store.db, so each change holds on every
// process at once: a write through store.db also drops the lookups a SQLite store keeps
// (store/lookup-cache.ts), and PostgreSQL keeps none.
import { secretToken } from '../../shared/ids.ts';
import type { Db } from './store/db.ts';
import { num } from './store/rows.ts';

/** Tables that outlive a project: the audit log keeps the record of who deleted it. */
const KEPT_TABLES = new Set(['audit_log', 'projects', 'migrations']);

export async function renameProject(db: Db, projectId: string, name: string): Promise<void> {
  await db.run('UPDATE projects SET name = ? WHERE id = ?', [name, projectId]);
}

/** A new integration key; the old one stops working for the proxy API at once. */
export async function newProjectKey(db: Db, projectId: string): Promise<string> {
  const key = secretToken(18);
  await db.run('UPDATE projects SET key = ? WHERE id = ?', [key, projectId]);
  return key;
}

/** What deleting the project would remove, for the confirmation the admin UI shows. */
export async function projectCounts(db: Db, projectId: string): Promise<{ forms: number; leads: number }> {
  const forms = await db.get('SELECT COUNT(*) AS n FROM forms WHERE project_id = ?', [projectId]);
  const leads = await db.get('SELECT COUNT(*) AS n FROM leads WHERE project_id = ?', [projectId]);
  return { forms: num(forms?.n ?? 0), leads: num(leads?.n ?? 0) };
}

/**
 * Every table with a `project_id` or `lead_id` column, read from the schema at run time, so a table
 * that a later migration adds (missed forms, privacy jobs) is covered without a change here.
 */
async function projectTables(db: Db): Promise<{ byProject: string[]; byLead: string[] }> {
  const columns: { table: string; column: string }[] = [];
  if (db.dialect === 'sqlite') {
    const tables = await db.all("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
    for (const t of tables) {
      for (const c of await db.all('SELECT name FROM pragma_table_info(?)', [String(t.name)])) columns.push({ table: String(t.name), column: String(c.name) });
    }
  } else {
    const rows = await db.all(
      `SELECT c.table_name, c.column_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
       WHERE c.table_schema = current_schema() AND c.column_name IN ('project_id', 'lead_id')`,
    );
    for (const r of rows) columns.push({ table: String(r.table_name), column: String(r.column_name) });
  }
  const has = (column: string) => new Set(columns.filter((c) => c.column === column && !KEPT_TABLES.has(c.table)).map((c) => c.table));
  const byProject = has('project_id');
  const byLead = [...has('lead_id')].filter((t) => !byProject.has(t));
  return { byProject: [...byProject], byLead };
}

const quoted = (table: string) => `"${table.replaceAll('"', '""')}"`;

/** Deletes the project and everything of it, in one transaction; false when there was no such project. */
export async function deleteProject(db: Db, projectId: string): Promise<boolean> {
  const { byProject, byLead } = await projectTables(db);
  const leadsLast = (a: string, b: string) => (a === 'leads' ? 1 : 0) - (b === 'leads' ? 1 : 0);
  const changed = await db.batch([
    ...byLead.map((t) => ({ sql: `DELETE FROM ${quoted(t)} WHERE lead_id IN (SELECT id FROM leads WHERE project_id = ?)`, params: [projectId] })),
    ...byProject.sort(leadsLast).map((t) => ({ sql: `DELETE FROM ${quoted(t)} WHERE project_id = ?`, params: [projectId] })),
    { sql: 'DELETE FROM projects WHERE id = ?', params: [projectId] },
  ]);
  return (changed.at(-1) ?? 0) > 0;
}
