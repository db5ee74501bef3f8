// The SQLite store: WAL with synchronous=FULL, so an acknowledged lead survives kill -9 and a power
// cut. Writes that acknowledge a client go through a group commit: every write queued in the same
// tick of the event loop shares one transaction (and one fsync), each inside its own savepoint.
import Database from 'better-sqlite3';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { FormConfigInput as FormConfigInputSchema } from '../../../shared/schemas.ts';
import { secretToken, shortId, timeOrderedId } from '../../../shared/ids.ts';
import { packageRoot } from '../package-root.ts';
import {
  NOTE_TO_CRM_STATUSES,
  DUPLICATE_WINDOW_MS,
  PARKED_RUN_AT,
  duplicateNote,
  initialStatus,
  leadColumns,
  pickOriginal,
  toAttempt,
  toComment,
  toForm,
  toIntegration,
  toJob,
  toLead as rowToLead,
  checkProjectQuotas,
  createProjectMemo,
  effectiveQuota,
  toProject,
  toProjectQuotas,
  toProjectSettings,
  mergedProjectSettings,
  toVisit,
  utcDay,
  visitFingerprint,
  VISIT_REPEAT_WINDOW_MS,
  type Row,
} from './rows.ts';
import { QuotaExceededError, type AttemptRecord, type IngestResult, type Job, type JobKind, type NewLead, type Store } from './types.ts';
import { stripNulArguments } from './without-nul.ts';
import { sqliteDb } from './db.ts';

const MIGRATIONS_DIR = join(packageRoot, 'collector/migrations');

export interface SqliteStoreOptions {
  /** A file path, or ':memory:' for tests. */
  file: string;
}

export function openSqliteStore(opts: SqliteStoreOptions): Store {
  if (opts.file !== ':memory:') {
    // The database holds CRM secrets and personal data: owner-only. SQLite gives its -wal and -shm
    // files the database file's mode, so creating that one 0600 covers all three.
    mkdirSync(dirname(opts.file), { recursive: true, mode: 0o700 });
    if (!existsSync(opts.file)) closeSync(openSync(opts.file, 'a', 0o600));
  }
  const db = new Database(opts.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);

  const groupCommit = createGroupCommit(db);
  const projects = createProjectMemo();
  const stmt = prepareStatements(db);

  function toLead(r: Row) {
    return rowToLead(r, (stmt.commentsOf.all(r.id) as Row[]).map(toComment));
  }

  function integrationUsable(projectId: string): { usable: boolean; callbackUrl: string } {
    const r = stmt.integrationOf.get(projectId) as Row | undefined;
    return { usable: !!r && r.enabled === 1, callbackUrl: r ? String(r.callback_url) : '' };
  }

  function queueJob(leadId: string, projectId: string, kind: JobKind, payload: object, now: number) {
    stmt.insertJob.run(leadId, projectId, kind, JSON.stringify(payload), now, now);
  }

  function findOriginal(lead: NewLead, now: number): Row | undefined {
    if (!lead.phoneNorm && !lead.emailNorm) return undefined;
    const since = now - DUPLICATE_WINDOW_MS;
    const candidates: Row[] = [];
    if (lead.phoneNorm) candidates.push(...(stmt.byPhone.all(lead.projectId, lead.phoneNorm, since) as Row[]));
    if (lead.emailNorm) candidates.push(...(stmt.byEmail.all(lead.projectId, lead.emailNorm, since) as Row[]));
    return pickOriginal(candidates, lead.duplicateCheck);
  }

  /**
   * Counts one more lead or visit of the project today; throws (and so writes nothing) over its quota.
   * One statement on the way in: the project's own quota is read inside it; only a refusal reads it again, for its message.
   */
  function countToday(kind: 'leads' | 'visits', projectId: string, now: number, collectorQuota: number | undefined) {
    if (stmt.countUsage.get({ project: projectId, day: utcDay(now), kind, fallback: collectorQuota ?? 0 })) return;
    const own = stmt.projectQuotas.get(projectId) as Row | undefined;
    throw new QuotaExceededError(kind, effectiveQuota(kind === 'leads' ? own?.quota_leads_per_day : own?.quota_visits_per_day, collectorQuota));
  }

  function ingestNow(lead: NewLead, now: number, leadsPerDay: number | undefined): IngestResult {
    if (lead.clientId) {
      const existing = stmt.byClientId.get(lead.projectId, lead.clientId) as Row | undefined;
      if (existing) return { lead: toLead(existing), created: false };
    }
    countToday('leads', lead.projectId, now, leadsPerDay);
    const id = timeOrderedId(now);
    const original = lead.test ? undefined : findOriginal(lead, now);
    const integration = integrationUsable(lead.projectId);
    const status = initialStatus({ test: !!lead.test, duplicate: !!original, send: lead.send, integrationUsable: integration.usable });
    stmt.insertLead.run(leadColumns(id, lead, status, original ? String(original.id) : null, now));
    if (status === 'pending') queueJob(id, lead.projectId, 'create', {}, now);
    if (original && lead.appendDuplicateComment) {
      const note = duplicateNote(id, lead);
      addCommentNow(String(original.id), lead.projectId, note.title, note.message, now);
    }
    if (status !== 'test' && lead.callback && !original && integration.callbackUrl) {
      queueJob(id, lead.projectId, 'callback', { phone: lead.callbackPhone || lead.phone }, now);
    }
    return { lead: toLead(stmt.leadById.get(lead.projectId, id) as Row), created: true };
  }

  function addCommentNow(leadId: string, projectId: string, title: string, message: string, now: number) {
    stmt.insertComment.run(leadId, now, title, message);
    const lead = stmt.leadById.get(projectId, leadId) as Row | undefined;
    // The note reaches the CRM once the lead is there; a lead that will never be sent keeps it here.
    if (lead && NOTE_TO_CRM_STATUSES.includes(String(lead.status))) {
      queueJob(leadId, projectId, 'note', { title, message }, now);
    }
  }

  const store: Store = {
    async close() {
      groupCommit.flushNow();
      db.close();
    },
    db: sqliteDb(db, groupCommit.run),

    async createProject(name, now) {
      const id = shortId(10);
      stmt.insertProject.run(id, name, secretToken(18), now);
      return toProject(stmt.projectById.get(id) as Row);
    },
    async listProjects() {
      return (stmt.projects.all() as Row[]).map(toProject);
    },
    async getProject(id) {
      const known = projects.byId(id);
      if (known) return known;
      const r = stmt.projectById.get(id) as Row | undefined;
      return projects.remember(r ? toProject(r) : null);
    },
    async getProjectByKey(key) {
      const known = projects.byKey(key);
      if (known) return known;
      const r = stmt.projectByKey.get(key) as Row | undefined;
      return projects.remember(r ? toProject(r) : null);
    },
    async getProjectQuotas(projectId) {
      const r = stmt.projectQuotas.get(projectId) as Row | undefined;
      return r ? toProjectQuotas(r) : null;
    },
    async setProjectQuotas(projectId, quotas) {
      checkProjectQuotas(quotas);
      return stmt.setProjectQuotas.run(quotas.leadsPerDay, quotas.visitsPerDay, projectId).changes > 0;
    },

    async getProjectSettings(projectId) {
      return toProjectSettings(stmt.projectSettings.get(projectId) as Row | undefined);
    },
    async putProjectSettings(projectId, change, now) {
      return db.transaction(() => {
        const settings = mergedProjectSettings(stmt.projectSettings.get(projectId) as Row | undefined, change);
        stmt.putProjectSettings.run(projectId, settings, now);
        return toProjectSettings(stmt.projectSettings.get(projectId) as Row);
      })();
    },

    async listForms(projectId) {
      return (stmt.formsOf.all(projectId) as Row[]).map(toForm);
    },
    async getForm(projectId, formId) {
      const r = stmt.formById.get(projectId, formId) as Row | undefined;
      return r ? toForm(r) : null;
    },
    async createForm(projectId, input, now) {
      const id = shortId(10);
      stmt.insertForm.run(id, projectId, JSON.stringify(FormConfigInputSchema.parse(input)), now, now);
      return toForm(stmt.formById.get(projectId, id) as Row);
    },
    async updateForm(projectId, formId, input, now) {
      const changed = stmt.updateForm.run(JSON.stringify(FormConfigInputSchema.parse(input)), now, projectId, formId);
      return changed.changes ? toForm(stmt.formById.get(projectId, formId) as Row) : null;
    },
    async deleteForm(projectId, formId) {
      return stmt.deleteForm.run(projectId, formId).changes > 0;
    },

    async getIntegration(projectId) {
      const r = stmt.integrationOf.get(projectId) as Row | undefined;
      return r ? toIntegration(r) : null;
    },
    async putIntegration(projectId, input, now) {
      db.transaction(() => {
        stmt.upsertIntegration.run({
          project_id: projectId,
          type: input.type,
          enabled: input.enabled ? 1 : 0,
          settings: JSON.stringify(input.settings),
          retry: input.retry ? JSON.stringify(input.retry) : null,
          rate_limit: input.rateLimit ? JSON.stringify(input.rateLimit) : null,
          callback_url: input.callbackUrl ?? '',
          updated_at: now,
        });
        if (input.enabled) {
          // Leads that arrived while there was no usable integration are sent now.
          const waiting = stmt.waitingLeads.all(projectId) as Row[];
          for (const r of waiting) {
            stmt.setLeadStatus.run('pending', now, null, r.id);
            queueJob(String(r.id), projectId, 'create', {}, now);
          }
          stmt.unparkJobs.run(now, projectId, PARKED_RUN_AT);
        }
      })();
      return toIntegration(stmt.integrationOf.get(projectId) as Row);
    },

    async registerVisit(projectId, body, ip, userAgent, now, visitsPerDay) {
      return groupCommit.run(() => {
        const fingerprint = visitFingerprint(body, ip, userAgent);
        const repeat = stmt.visitByFingerprint.get(projectId, fingerprint, now - VISIT_REPEAT_WINDOW_MS) as Row | undefined;
        if (repeat) return Number(repeat.number);
        countToday('visits', projectId, now, visitsPerDay);
        const r = stmt.bumpVisit.get(projectId) as Row;
        const number = Number(r.last_visit);
        stmt.insertVisit.run(
          projectId,
          number,
          body.firstVisit ?? number,
          body.landingPage,
          body.referrer,
          JSON.stringify(body.utm),
          JSON.stringify(body.clickIds),
          JSON.stringify(body.params),
          ip,
          userAgent,
          now,
          fingerprint,
        );
        return number;
      });
    },
    async getVisit(projectId, number) {
      const r = stmt.visit.get(projectId, number) as Row | undefined;
      return r ? toVisit(r) : null;
    },

    async ingestLead(lead, now, leadsPerDay) {
      return groupCommit.run(() => ingestNow(lead, now, leadsPerDay));
    },
    async addComment(projectId, leadId, title, message, now) {
      return groupCommit.run(() => {
        if (!stmt.leadById.get(projectId, leadId)) return null;
        addCommentNow(leadId, projectId, title, message, now);
        return toLead(stmt.leadById.get(projectId, leadId) as Row);
      });
    },
    async getLead(projectId, leadId) {
      const r = stmt.leadById.get(projectId, leadId) as Row | undefined;
      return r ? toLead(r) : null;
    },
    async listLeads(projectId, query) {
      const where = ['project_id = @projectId'];
      const params: Record<string, unknown> = { projectId, limit: query.limit + 1 };
      if (query.status) {
        where.push('status = @status');
        params.status = query.status;
      }
      if (query.before) {
        where.push('id < @before');
        params.before = query.before;
      }
      if (query.q) {
        where.push(
          "(name LIKE @q ESCAPE '\\' OR phone LIKE @q ESCAPE '\\' OR email LIKE @q ESCAPE '\\' OR title LIKE @q ESCAPE '\\' OR comment LIKE @q ESCAPE '\\' OR id = @exact OR crm_id = @exact)",
        );
        params.q = `%${query.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
        params.exact = query.q;
      }
      const rows = db
        .prepare(`SELECT * FROM leads WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT @limit`)
        .all(params) as Row[];
      const more = rows.length > query.limit;
      const items = rows.slice(0, query.limit).map(toLead);
      return { items, next: more ? (items[items.length - 1]?.id ?? null) : null };
    },
    async listAttempts(leadId) {
      return (stmt.attemptsOf.all(leadId) as Row[]).map(toAttempt);
    },
    async requeueLead(projectId, leadId, now) {
      return db.transaction(() => {
        const r = stmt.leadById.get(projectId, leadId) as Row | undefined;
        if (!r) return null;
        requeueNow(String(r.id), projectId, (r.last_error as string | null) ?? null, now);
        return toLead(stmt.leadById.get(projectId, leadId) as Row);
      })();
    },
    async requeueLeads(projectId, filter, now) {
      return db.transaction(() => {
        const rows = stmt.leadsToRequeue.all(projectId, filter.status, filter.since ?? 0) as Row[];
        for (const r of rows) requeueNow(String(r.id), projectId, (r.last_error as string | null) ?? null, now);
        return rows.length;
      })();
    },

    async claimJobs(workerId, now, limit, leaseMs, skipProjects = []) {
      const rows = skipProjects.length
        ? (db
            .prepare(`UPDATE jobs SET locked_until = ?, locked_by = ?
              WHERE id IN (SELECT id FROM jobs WHERE run_at <= ? AND (locked_until IS NULL OR locked_until <= ?)
                           AND project_id NOT IN (SELECT value FROM json_each(?))
                           ORDER BY run_at, id LIMIT ?)
              RETURNING *`)
            .all(now + leaseMs, workerId, now, now, JSON.stringify(skipProjects), limit) as Row[])
        : (stmt.claim.all(now + leaseMs, workerId, now, now, limit) as Row[]);
      // RETURNING does not keep the subquery's order.
      return rows.map(toJob).sort((a, b) => a.runAt - b.runAt || a.id - b.id);
    },
    async renewLease(job, until) {
      return stmt.renewLease.run(until, job.id, job.lockedBy).changes > 0;
    },
    // Attempt results share the group commit too: a worker finishing many attempts at once pays
    // one fsync for the batch, not one per lead.
    async completeJob(job, attempt, crmId, notes = []) {
      return groupCommit.run(() => {
        // The CRM has the lead whatever happened to the lease: success is always recorded.
        stmt.deleteJob.run(job.id);
        recordAttempt(job, attempt);
        if (job.kind === 'create') {
          stmt.leadSent.run(crmId, job.leadId);
        }
        for (const n of notes) queueJob(job.leadId, job.projectId, 'note', { title: n.title, message: n.message }, attempt.at);
      });
    },
    async failJob(job, attempt, retryAt, error) {
      return groupCommit.run(() => {
        recordAttempt(job, attempt);
        const held =
          retryAt == null
            ? stmt.deleteHeldJob.run(job.id, job.lockedBy).changes > 0
            : stmt.failJob.run(retryAt, job.firstAttemptAt ?? attempt.at, error, job.id, job.lockedBy).changes > 0;
        if (held && job.kind === 'create') {
          stmt.leadFailed.run(retryAt == null ? 'failed' : 'retrying', retryAt, error, job.leadId);
        }
      });
    },
    async releaseJob(job, runAt) {
      stmt.releaseJob.run(runAt, job.id, job.lockedBy);
    },
    async parkJob(job) {
      db.transaction(() => {
        if (job.kind !== 'create') {
          stmt.releaseJob.run(PARKED_RUN_AT, job.id, job.lockedBy);
        } else if (stmt.deleteHeldJob.run(job.id, job.lockedBy).changes > 0) {
          stmt.setLeadStatus.run('no_integration', null, 'no enabled integration', job.leadId);
        }
      })();
    },
    async queueStats(now) {
      const r = stmt.queueStats.get(now) as Row;
      return { depth: Number(r.depth), oldestDueAt: r.oldest == null ? null : Number(r.oldest) };
    },

    async initSetting(name, value) {
      const created = stmt.insertSetting.run(name, value).changes === 1;
      return { value: String((stmt.settingByName.get(name) as Row).value), created };
    },
    async probeWrite(now) {
      stmt.upsertSetting.run('health_probe', String(now));
    },
  };

  /** Queues the lead's create job again (now), or makes one; the lead shows `pending`. */
  function requeueNow(leadId: string, projectId: string, lastError: string | null, now: number) {
    const hasJob = stmt.createJobOf.get(leadId) as Row | undefined;
    if (hasJob) stmt.rescheduleJob.run(now, hasJob.id);
    else queueJob(leadId, projectId, 'create', {}, now);
    stmt.setLeadStatus.run('pending', now, lastError, leadId);
  }

  function recordAttempt(job: Job, a: AttemptRecord) {
    const dropped = a.droppedFields?.length ? JSON.stringify(a.droppedFields) : null;
    stmt.insertAttempt.run(job.leadId, job.kind, a.at, a.ok ? 1 : 0, a.httpStatus, a.error, a.durationMs, dropped);
    if (job.kind === 'create') stmt.countAttempt.run(job.leadId);
  }

  return stripNulArguments(store);
}

function migrate(db: Database.Database) {
  db.exec('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const done = new Set((db.prepare('SELECT name FROM migrations').all() as Row[]).map((r) => String(r.name)));
  const files = readdirSync(MIGRATIONS_DIR)
    .filter((f) => /^\d{4}_.*\.sql$/.test(f))
    .sort();
  for (const file of files) {
    if (done.has(file)) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, file), 'utf8');
    db.transaction(() => {
      db.exec(sql);
      db.prepare('INSERT INTO migrations (name, applied_at) VALUES (?, ?)').run(file, Date.now());
    })();
  }
}

/**
 * Runs writes queued in the same event-loop tick in one transaction, each in its own savepoint so
 * one failing write does not undo the others. Durability costs one fsync per batch, not per lead.
 */
function createGroupCommit(db: Database.Database) {
  let queue: { work: () => unknown; resolve: (v: unknown) => void; reject: (e: unknown) => void }[] = [];
  let scheduled = false;

  function flushNow() {
    scheduled = false;
    const batch = queue;
    queue = [];
    if (batch.length === 0) return;
    const outcomes: { ok: boolean; value: unknown }[] = [];
    try {
      db.transaction(() => {
        for (const item of batch) {
          try {
            outcomes.push({ ok: true, value: db.transaction(item.work)() });
          } catch (err) {
            outcomes.push({ ok: false, value: err });
          }
        }
      })();
    } catch (err) {
      for (const item of batch) item.reject(err);
      return;
    }
    batch.forEach((item, i) => {
      const o = outcomes[i]!;
      if (o.ok) item.resolve(o.value);
      else item.reject(o.value);
    });
  }

  return {
    run<T>(work: () => T): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ work, resolve: resolve as (v: unknown) => void, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flushNow);
        }
      });
    },
    flushNow,
  };
}

function prepareStatements(db: Database.Database) {
  return {
    insertProject: db.prepare('INSERT INTO projects (id, name, key, created_at) VALUES (?, ?, ?, ?)'),
    projects: db.prepare('SELECT * FROM projects ORDER BY created_at, id'),
    projectById: db.prepare('SELECT * FROM projects WHERE id = ?'),
    projectSettings: db.prepare('SELECT settings FROM project_settings WHERE project_id = ?'),
    putProjectSettings: db.prepare(`INSERT INTO project_settings (project_id, settings, updated_at) VALUES (?, ?, ?)
      ON CONFLICT (project_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`),
    projectByKey: db.prepare('SELECT * FROM projects WHERE key = ?'),

    formsOf: db.prepare('SELECT * FROM forms WHERE project_id = ? ORDER BY created_at, id'),
    formById: db.prepare('SELECT * FROM forms WHERE project_id = ? AND id = ?'),
    insertForm: db.prepare('INSERT INTO forms (id, project_id, config, created_at, updated_at) VALUES (?, ?, ?, ?, ?)'),
    updateForm: db.prepare('UPDATE forms SET config = ?, updated_at = ? WHERE project_id = ? AND id = ?'),
    deleteForm: db.prepare('DELETE FROM forms WHERE project_id = ? AND id = ?'),

    integrationOf: db.prepare('SELECT * FROM integrations WHERE project_id = ?'),
    upsertIntegration: db.prepare(`
      INSERT INTO integrations (project_id, type, enabled, settings, retry, rate_limit, callback_url, updated_at)
      VALUES (@project_id, @type, @enabled, @settings, @retry, @rate_limit, @callback_url, @updated_at)
      ON CONFLICT (project_id) DO UPDATE SET type = excluded.type, enabled = excluded.enabled,
        settings = excluded.settings, retry = excluded.retry, rate_limit = excluded.rate_limit,
        callback_url = excluded.callback_url, updated_at = excluded.updated_at`),
    waitingLeads: db.prepare("SELECT id FROM leads WHERE project_id = ? AND status = 'no_integration'"),

    bumpVisit: db.prepare('UPDATE projects SET last_visit = last_visit + 1 WHERE id = ? RETURNING last_visit'),
    insertVisit: db.prepare(`INSERT INTO visits (project_id, number, first_visit, landing_page, referrer, utm,
      click_ids, params, ip, user_agent, created_at, fingerprint) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`),
    visit: db.prepare('SELECT * FROM visits WHERE project_id = ? AND number = ?'),
    visitByFingerprint: db.prepare(
      'SELECT number FROM visits WHERE project_id = ? AND fingerprint = ? AND created_at >= ? ORDER BY created_at DESC LIMIT 1',
    ),

    projectQuotas: db.prepare('SELECT quota_leads_per_day, quota_visits_per_day FROM projects WHERE id = ?'),
    setProjectQuotas: db.prepare('UPDATE projects SET quota_leads_per_day = ?, quota_visits_per_day = ? WHERE id = ?'),
    // One more of `kind` today, unless the quota is reached (the project's own, else @fallback; 0: none):
    // then no row comes back.
    countUsage: db.prepare(`WITH q(lim) AS (SELECT COALESCE((SELECT CASE WHEN @kind = 'leads' THEN quota_leads_per_day
        ELSE quota_visits_per_day END FROM projects WHERE id = @project), @fallback))
      INSERT INTO project_usage (project_id, day, kind, stored) VALUES (@project, @day, @kind, 1)
      ON CONFLICT (project_id, day, kind) DO UPDATE SET stored = project_usage.stored + 1
      WHERE (SELECT lim FROM q) = 0 OR project_usage.stored < (SELECT lim FROM q)
      RETURNING stored`),

    byClientId: db.prepare('SELECT * FROM leads WHERE project_id = ? AND client_id = ?'),
    byPhone: db.prepare(
      // `phone_norm <> ''` lets SQLite use the partial index; without it every lead of the project is scanned.
      "SELECT id, status, created_at FROM leads WHERE project_id = ? AND phone_norm = ? AND phone_norm <> '' AND created_at >= ? AND status <> 'duplicate'",
    ),
    byEmail: db.prepare(
      "SELECT id, status, created_at FROM leads WHERE project_id = ? AND email_norm = ? AND email_norm <> '' AND created_at >= ? AND status <> 'duplicate'",
    ),
    insertLead: db.prepare(`INSERT INTO leads (id, project_id, form_id, client_id, source, visit, title, name, phone,
      email, comment, fields, client_fields, order_creation_method, page, referrer, landing_page, utm, ip,
      user_agent, callback, created_at, status, next_attempt_at, last_error, duplicate_of, phone_norm, email_norm, extra)
      VALUES (@id, @project_id, @form_id, @client_id, @source, @visit, @title, @name, @phone, @email, @comment,
      @fields, @client_fields, @order_creation_method, @page, @referrer, @landing_page, @utm, @ip, @user_agent,
      @callback, @created_at, @status, @next_attempt_at, @last_error, @duplicate_of, @phone_norm, @email_norm, @extra)`),
    leadById: db.prepare('SELECT * FROM leads WHERE project_id = ? AND id = ?'),
    setLeadStatus: db.prepare('UPDATE leads SET status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?'),
    leadSent: db.prepare(
      "UPDATE leads SET status = 'sent', crm_id = ?, next_attempt_at = NULL, last_error = NULL WHERE id = ?",
    ),
    leadFailed: db.prepare('UPDATE leads SET status = ?, next_attempt_at = ?, last_error = ? WHERE id = ?'),
    countAttempt: db.prepare('UPDATE leads SET attempt_count = attempt_count + 1 WHERE id = ?'),

    insertComment: db.prepare('INSERT INTO lead_comments (lead_id, at, title, message) VALUES (?, ?, ?, ?)'),
    commentsOf: db.prepare('SELECT * FROM lead_comments WHERE lead_id = ? ORDER BY id'),

    insertJob: db.prepare(
      'INSERT INTO jobs (lead_id, project_id, kind, payload, run_at, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    createJobOf: db.prepare("SELECT id FROM jobs WHERE lead_id = ? AND kind = 'create'"),
    rescheduleJob: db.prepare('UPDATE jobs SET run_at = ?, locked_by = NULL, locked_until = NULL WHERE id = ?'),
    claim: db.prepare(`UPDATE jobs SET locked_until = ?, locked_by = ?
      WHERE id IN (SELECT id FROM jobs WHERE run_at <= ? AND (locked_until IS NULL OR locked_until <= ?)
                   ORDER BY run_at, id LIMIT ?)
      RETURNING *`),
    deleteJob: db.prepare('DELETE FROM jobs WHERE id = ?'),
    failJob: db.prepare(`UPDATE jobs SET attempts = attempts + 1, run_at = ?, first_attempt_at = COALESCE(first_attempt_at, ?),
      last_error = ?, locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by IS ?`),
    releaseJob: db.prepare('UPDATE jobs SET run_at = ?, locked_by = NULL, locked_until = NULL WHERE id = ? AND locked_by IS ?'),
    renewLease: db.prepare('UPDATE jobs SET locked_until = ? WHERE id = ? AND locked_by IS ?'),
    deleteHeldJob: db.prepare('DELETE FROM jobs WHERE id = ? AND locked_by IS ?'),
    leadsToRequeue: db.prepare('SELECT id, last_error FROM leads WHERE project_id = ? AND status = ? AND created_at >= ? ORDER BY id'),
    insertSetting: db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING'),
    upsertSetting: db.prepare('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value'),
    settingByName: db.prepare('SELECT value FROM settings WHERE name = ?'),
    queueStats: db.prepare('SELECT COUNT(*) AS depth, MIN(CASE WHEN run_at <= ? THEN run_at END) AS oldest FROM jobs'),

    insertAttempt: db.prepare(
      'INSERT INTO attempts (lead_id, kind, at, ok, http_status, error, duration_ms, dropped_fields) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ),
    attemptsOf: db.prepare('SELECT * FROM attempts WHERE lead_id = ? ORDER BY id'),
    unparkJobs: db.prepare('UPDATE jobs SET run_at = ? WHERE project_id = ? AND run_at = ?'),
  };
}
