// Fast set-up for large measurements: a direct bulk insert of leads (and their delivery jobs) in
// one transaction, into a database whose schema the store created from collector/migrations.
import Database from 'better-sqlite3';
import { timeOrderedId } from '../shared/ids.ts';
import { searchText } from '../collector/src/store/rows.ts';
import { openSqliteStore } from '../collector/src/store/sqlite.ts';
import { ensureBenchProject, type BenchProject } from './fixture.ts';

export interface BulkOptions {
  /** 'sent' history, or 'pending' leads each with a delivery job due now (a backlog). */
  status: 'sent' | 'pending';
  /** Leads are spread evenly from `spreadMs` ago until now. */
  spreadMs: number;
  /** Keeps phones, emails and client ids unique across several fills of one file. */
  tag: string;
}

/** Creates (or opens) the file through the store, so migrations run, and sets up the bench project. */
export async function createBenchDb(file: string, webhookUrl: string): Promise<BenchProject> {
  const store = openSqliteStore({ file });
  try {
    return await ensureBenchProject(store, webhookUrl);
  } finally {
    await store.close();
  }
}

export function bulkInsertLeads(file: string, projectId: string, n: number, o: BulkOptions): void {
  const db = new Database(file);
  // Set-up speed only: the measured code opens the file with synchronous=FULL.
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -262144'); // 256 MiB: index pages stay in memory during the fill
  const lead = db.prepare(`INSERT INTO leads (id, project_id, form_id, client_id, source, visit, title, name, phone,
    email, comment, fields, client_fields, order_creation_method, page, referrer, landing_page, utm, ip, user_agent,
    callback, created_at, status, crm_id, phone_norm, email_norm, search)
    VALUES (?, ?, NULL, ?, 'form', NULL, 'Request from the site', 'Ivan Petrov', ?, ?, 'Please call me after 6 pm',
    '{"budget":"100000"}', '{}', 'form', 'https://shop.example.com/contacts', 'https://www.google.com/',
    'https://shop.example.com/?utm_source=google',
    '{"source":"google","medium":"cpc","campaign":"","term":"","content":""}',
    '203.0.113.7', 'Mozilla/5.0 (bench)', 0, ?, ?, ?, ?, ?, ?)`);
  // The create job holds the delivery state (docs/data-model.md "Delivery state"): done after one attempt, or queued.
  const job = db.prepare("INSERT INTO jobs (lead_id, project_id, kind, payload, run_at, created_at, state, attempts, tries) VALUES (?, ?, 'create', '{}', ?, ?, ?, ?, ?)");
  // The indexes are dropped for the fill and made again after it: one sort per index instead of a B-tree
  // insert per row halves a 10^6 fill, the bench's longest wait. UNIQUE constraints (no SQL of their own) stay.
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name IN ('leads', 'jobs') AND sql IS NOT NULL").all() as { name: string; sql: string }[];
  for (const index of indexes) db.exec(`DROP INDEX "${index.name}"`);
  const now = Date.now();
  const step = o.spreadMs / Math.max(1, n);
  const sent = o.status === 'sent';
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const createdAt = Math.round(now - o.spreadMs + i * step);
      const id = timeOrderedId(createdAt);
      // Zero-padded keys keep the UNIQUE indexes append-only.
      const seq = String(i).padStart(9, '0');
      const digits = `7${o.tag}${seq}`;
      const email = `${o.tag}-${seq}@example.org`;
      const search = searchText({ name: 'Ivan Petrov', phone: `+${digits}`, email, title: 'Request from the site', comment: 'Please call me after 6 pm' });
      lead.run(id, projectId, `${o.tag}-${seq}`, `+${digits}`, email, createdAt, o.status, sent ? `CRM-${i}` : null, digits, email, search);
      job.run(id, projectId, now, now, sent ? 'done' : 'queued', sent ? 1 : 0, sent ? 1 : 0);
    }
  })();
  for (const index of indexes) db.exec(index.sql);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}
