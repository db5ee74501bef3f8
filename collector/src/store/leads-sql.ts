// The store's lead methods (store/types.ts `Store`), for both dialects: ingest with the duplicate
// rules and quota, comments, the list with its search, and resends. Decisions: leads/plan.ts.
import type { Lead, LeadStatus } from '../../../shared/schemas.ts';
import { timeOrderedId } from '../../../shared/ids.ts';
import { DUPLICATE_WINDOW_MS, type DuplicateCandidate } from '../leads/duplicates.ts';
import { NOTE_TO_CRM_STATUSES, planIngest } from '../leads/plan.ts';
import { all, get, run, type Engine, type Script } from './engine.ts';
import { leadColumns, num, toAttempt, toLead, type Row } from './rows.ts';
import { countToday, DUPLICATES_BY_EMAIL, DUPLICATES_BY_PHONE, LEAD_SELECT, leadRow, leadWithComments, queueJob, requeueLead } from './statements.ts';
import type { IngestResult, NewLead, Store } from './types.ts';

type LeadMethods = Pick<Store, 'ingestLead' | 'addComment' | 'getLead' | 'listLeads' | 'listAttempts' | 'requeueLead' | 'requeueLeads'>;

/** The list's condition for a status as the admin API names it (`retrying` is `pending` with a retrying create job). */
function statusCondition(status: LeadStatus): { sql: string; params: unknown[] } {
  if (status === 'retrying') return { sql: "l.status = 'pending' AND j.state = 'retrying'", params: [] };
  if (status === 'pending') return { sql: "l.status = 'pending' AND (j.state IS NULL OR j.state <> 'retrying')", params: [] };
  return { sql: 'l.status = ?', params: [status] };
}

/** The INSERT of a lead's columns (rows.ts `leadColumns`, whose keys are always the same), made once. */
let leadInsert: string | undefined;
function leadInsertSql(cols: Record<string, unknown>): string {
  if (leadInsert === undefined) {
    const names = Object.keys(cols);
    leadInsert = `INSERT INTO leads (${names.join(', ')}) VALUES (${names.map(() => '?').join(', ')})`;
  }
  return leadInsert;
}

/**
 * A new lead's answer, its Lead made only when read: the site API answers with the id alone, so
 * most ingests never need the full object (docs/architecture.md "Ingest").
 */
function createdResult(id: string, make: () => Lead): IngestResult {
  let lead: Lead | undefined;
  return {
    id,
    created: true,
    get lead() {
      lead ??= make();
      return lead;
    },
  };
}

export function leadMethods(engine: Engine): LeadMethods {
  const d = engine.dialect;

  function* addCommentNow(leadId: string, projectId: string, title: string, message: string, now: number, toCrm: boolean): Script<void> {
    yield* run('INSERT INTO lead_comments (lead_id, at, title, message) VALUES (?, ?, ?, ?)', [leadId, now, title, message]);
    // The note reaches the CRM once the lead is there; a lead that will never be sent keeps it here.
    if (toCrm) yield* queueJob(leadId, projectId, { kind: 'note', payload: { title, message } }, now);
  }

  function* candidates(lead: NewLead, now: number): Script<DuplicateCandidate[]> {
    if (lead.test || (!lead.phoneNorm && !lead.emailNorm)) return [];
    const since = now - DUPLICATE_WINDOW_MS;
    const found: Row[] = [];
    if (lead.phoneNorm) found.push(...(yield* all(DUPLICATES_BY_PHONE, [lead.projectId, lead.phoneNorm, since])));
    if (lead.emailNorm) found.push(...(yield* all(DUPLICATES_BY_EMAIL, [lead.projectId, lead.emailNorm, since])));
    return found.map((r) => ({ id: String(r.id), status: r.status as LeadStatus, createdAt: num(r.created_at) }));
  }

  function* ingest(lead: NewLead, now: number, leadsPerDay: number | undefined): Script<IngestResult> {
    // One ingest per project at a time, so two processes cannot both miss each other's duplicate.
    if (d.lockProjectIngest) yield* get(d.lockProjectIngest, [lead.projectId]);
    if (lead.clientId) {
      const existing = yield* get(`${LEAD_SELECT} WHERE l.project_id = ? AND l.client_id = ?`, [lead.projectId, lead.clientId]);
      if (existing) return { id: String(existing.id), lead: yield* leadWithComments(existing), created: false };
    }
    yield* countToday('leads', lead.projectId, now, leadsPerDay);
    const integration = yield* get('SELECT enabled, callback_url FROM integrations WHERE project_id = ?', [lead.projectId]);
    const id = timeOrderedId(now);
    const plan = planIngest(lead, id, {
      candidates: yield* candidates(lead, now),
      integration: integration ? { enabled: num(integration.enabled) === 1, callbackUrl: String(integration.callback_url) } : null,
    });
    const cols = leadColumns(id, lead, plan, now);
    yield* run(leadInsertSql(cols), Object.values(cols));
    const note = plan.noteOnOriginal;
    // The original's comment first, then this lead's jobs: the order both stores have always kept.
    if (plan.jobs[0]?.kind === 'create') yield* queueJob(id, lead.projectId, plan.jobs[0], now);
    if (note) yield* addCommentNow(note.leadId, lead.projectId, note.title, note.message, now, note.toCrm);
    for (const job of plan.jobs) if (job.kind !== 'create') yield* queueJob(id, lead.projectId, job, now);
    // The answer is made from what was inserted, not read back: a new lead has no comments yet, and
    // its create job (if any) was just queued with nothing tried (docs/architecture.md "Ingest").
    const queued = plan.jobs[0]?.kind === 'create' ? { job_state: 'queued', job_tries: 0, job_run_at: now, job_last_error: null } : {};
    return createdResult(id, () => toLead({ ...cols, ...queued }, []));
  }

  function* requeueWhere(projectId: string, where: string, params: unknown[], now: number): Script<number> {
    const found = yield* all(`SELECT l.id FROM leads l LEFT JOIN jobs j ON j.lead_id = l.id AND j.kind = 'create'
      WHERE l.project_id = ? AND ${where} ORDER BY l.id${d.forUpdateOfLeads}`, [projectId, ...params]);
    for (const r of found) yield* requeueLead(String(r.id), projectId, 'resend', now);
    return found.length;
  }

  return {
    async ingestLead(lead, now, leadsPerDay) {
      try {
        return await engine.write(ingest(lead, now, leadsPerDay));
      } catch (err) {
        // Two processes inserting the same clientId at once: the loser reads the winner's lead.
        if (d.isUniqueViolation(err) && lead.clientId) return engine.write(ingest(lead, now, leadsPerDay));
        throw err;
      }
    },
    async addComment(projectId, leadId, title, message, now) {
      return engine.write(
        (function* () {
          const r = yield* leadRow(projectId, leadId);
          if (!r) return null;
          yield* addCommentNow(leadId, projectId, title, message, now, NOTE_TO_CRM_STATUSES.includes(String(r.status)));
          return yield* leadWithComments((yield* leadRow(projectId, leadId))!);
        })(),
      );
    },
    async getLead(projectId, leadId) {
      return engine.read(
        (function* () {
          const r = yield* leadRow(projectId, leadId);
          return r ? yield* leadWithComments(r) : null;
        })(),
      );
    },
    async listLeads(projectId, query) {
      const where = ['l.project_id = ?'];
      const params: unknown[] = [projectId];
      if (query.status) {
        const c = statusCondition(query.status);
        where.push(c.sql);
        params.push(...c.params);
      }
      if (query.before) {
        where.push('l.id < ?');
        params.push(query.before);
      }
      if (query.q) {
        where.push("(l.search LIKE ? ESCAPE '\\' OR l.id = ? OR l.crm_id = ?)");
        params.push(`%${query.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`, query.q, query.q);
      }
      return engine.read(
        (function* () {
          const rows = yield* all(`${LEAD_SELECT} WHERE ${where.join(' AND ')} ORDER BY l.id DESC LIMIT ?`, [...params, query.limit + 1]);
          const items = [];
          for (const r of rows.slice(0, query.limit)) items.push(yield* leadWithComments(r));
          return { items, next: rows.length > query.limit ? (items[items.length - 1]?.id ?? null) : null };
        })(),
      );
    },
    async listAttempts(leadId) {
      return (await engine.read(all('SELECT * FROM attempts WHERE lead_id = ? ORDER BY id', [leadId]))).map(toAttempt);
    },
    async requeueLead(projectId, leadId, now) {
      return engine.write(
        (function* () {
          if (!(yield* requeueWhere(projectId, 'l.id = ?', [leadId], now))) return null;
          return yield* leadWithComments((yield* leadRow(projectId, leadId))!);
        })(),
      );
    },
    async requeueLeads(projectId, filter, now) {
      const c = statusCondition(filter.status);
      return engine.write(requeueWhere(projectId, `${c.sql} AND l.created_at >= ?`, [...c.params, filter.since ?? 0], now));
    },
  };
}
