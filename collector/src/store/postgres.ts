// The PostgreSQL store, for several collector processes sharing one database (DATABASE_URL).
// Each acknowledged write is its own committed transaction (synchronous_commit stays on); delivery
// jobs are claimed with FOR UPDATE SKIP LOCKED so each lead is sent by one worker only.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { FormConfigInput as FormConfigInputSchema } from '../../../shared/schemas.ts';
import { secretToken, shortId, timeOrderedId } from '../../../shared/ids.ts';
import { packageRoot } from '../package-root.ts';
import {
  DUPLICATE_WINDOW_MS,
  NOTE_TO_CRM_STATUSES,
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
import { QuotaExceededError, type AttemptRecord, type JobKind, type NewLead, type Store } from './types.ts';
import { stripNulArguments } from './without-nul.ts';
import { postgresDb } from './db.ts';

const MIGRATIONS_DIR = join(packageRoot, 'collector/migrations/postgres');

type Db = pg.Pool | pg.PoolClient;

export interface PostgresStoreOptions {
  connectionString: string;
  /** A schema to keep the tables in (tests use a fresh one each); default: the search_path's. */
  schema?: string;
  max?: number;
  /** Shown in pg_stat_activity (default "leadrelay"). */
  applicationName?: string;
  /** Told when a connection breaks (server restart, failover, idle timeout); the pool reconnects. */
  onConnectionError?: (err: Error) => void;
}

export async function openPostgresStore(opts: PostgresStoreOptions): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: opts.connectionString,
    max: opts.max ?? 10,
    application_name: opts.applicationName ?? 'leadrelay',
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  // A connection that breaks while idle in the pool (PostgreSQL restarted, a failover, an
  // idle_session_timeout, a pooler) is an 'error' event: unheard, it would end the process. The pool
  // has already dropped that connection and opens a new one when a query needs it.
  const onConnectionError = opts.onConnectionError ?? ((err: Error) => process.emitWarning(`PostgreSQL connection lost: ${err.message}`));
  pool.on('error', (err) => onConnectionError(err));
  if (opts.schema) {
    if (!/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new Error(`bad schema name "${opts.schema}"`);
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
  }
  await migrate(pool);
  const projects = createProjectMemo();

  async function rows(db: Db, sql: string, params: unknown[] = []): Promise<Row[]> {
    return (await db.query(sql, params)).rows as Row[];
  }
  async function one(db: Db, sql: string, params: unknown[] = []): Promise<Row | undefined> {
    return (await rows(db, sql, params))[0];
  }

  async function tx<T>(work: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    // A checked-out connection is the caller's to watch: its failure between two queries must not
    // end the process either (the next query rejects, and the broken client is not reused).
    let broken: Error | undefined;
    const onError = (err: Error) => {
      broken = err;
      onConnectionError(err);
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.removeListener('error', onError);
      client.release(broken);
    }
  }

  async function toLead(db: Db, r: Row) {
    const comments = await rows(db, 'SELECT * FROM lead_comments WHERE lead_id = $1 ORDER BY id', [r.id]);
    return rowToLead(r, comments.map(toComment));
  }

  async function leadRow(db: Db, projectId: string, leadId: string) {
    return one(db, 'SELECT * FROM leads WHERE project_id = $1 AND id = $2', [projectId, leadId]);
  }

  async function queueJob(db: Db, leadId: string, projectId: string, kind: JobKind, payload: object, now: number) {
    await db.query('INSERT INTO jobs (lead_id, project_id, kind, payload, run_at, created_at) VALUES ($1, $2, $3, $4, $5, $5)', [
      leadId,
      projectId,
      kind,
      JSON.stringify(payload),
      now,
    ]);
  }

  async function addCommentNow(db: Db, projectId: string, leadId: string, title: string, message: string, now: number) {
    await db.query('INSERT INTO lead_comments (lead_id, at, title, message) VALUES ($1, $2, $3, $4)', [leadId, now, title, message]);
    const lead = await leadRow(db, projectId, leadId);
    if (lead && NOTE_TO_CRM_STATUSES.includes(String(lead.status))) await queueJob(db, leadId, projectId, 'note', { title, message }, now);
  }

  /** Counts one more lead or visit of the project today; throws (and so the transaction writes nothing) over its quota. */
  /**
   * Counts one more lead or visit of the project today; throws (and so writes nothing) over its quota.
   * One statement on the way in: the project's own quota is read inside it; only a refusal reads it again, for its message.
   */
  async function countToday(c: pg.PoolClient, kind: 'leads' | 'visits', projectId: string, now: number, collectorQuota: number | undefined) {
    const counted = await one(
      c,
      `WITH q(lim) AS (SELECT COALESCE((SELECT CASE WHEN $3::text = 'leads' THEN quota_leads_per_day ELSE quota_visits_per_day END
         FROM projects WHERE id = $1), $4::integer))
       INSERT INTO project_usage (project_id, day, kind, stored) VALUES ($1, $2, $3::text, 1)
       ON CONFLICT (project_id, day, kind) DO UPDATE SET stored = project_usage.stored + 1
       WHERE (SELECT lim FROM q) = 0 OR project_usage.stored < (SELECT lim FROM q)
       RETURNING stored`,
      [projectId, utcDay(now), kind, collectorQuota ?? 0],
    );
    if (counted) return;
    const own = await one(c, 'SELECT quota_leads_per_day, quota_visits_per_day FROM projects WHERE id = $1', [projectId]);
    throw new QuotaExceededError(kind, effectiveQuota(kind === 'leads' ? own?.quota_leads_per_day : own?.quota_visits_per_day, collectorQuota));
  }

  async function ingest(c: pg.PoolClient, lead: NewLead, now: number, leadsPerDay: number | undefined) {
    // One ingest per project at a time, so two processes cannot both miss each other's duplicate.
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1))', [lead.projectId]);
    if (lead.clientId) {
      const existing = await one(c, 'SELECT * FROM leads WHERE project_id = $1 AND client_id = $2', [lead.projectId, lead.clientId]);
      if (existing) return { lead: await toLead(c, existing), created: false };
    }
    await countToday(c, 'leads', lead.projectId, now, leadsPerDay);
    const candidates =
      !lead.test && (lead.phoneNorm || lead.emailNorm)
        ? await rows(
            c,
            `SELECT id, status, created_at FROM leads WHERE project_id = $1 AND created_at >= $2 AND status <> 'duplicate'
             AND ((phone_norm <> '' AND phone_norm = $3) OR (email_norm <> '' AND email_norm = $4))`,
            [lead.projectId, now - DUPLICATE_WINDOW_MS, lead.phoneNorm, lead.emailNorm],
          )
        : [];
    const original = pickOriginal(candidates, lead.duplicateCheck);
    const integration = await one(c, 'SELECT enabled, callback_url FROM integrations WHERE project_id = $1', [lead.projectId]);
    const id = timeOrderedId(now);
    const status = initialStatus({ test: !!lead.test, duplicate: !!original, send: lead.send, integrationUsable: integration?.enabled === 1 });
    const cols = leadColumns(id, lead, status, original ? String(original.id) : null, now);
    const names = Object.keys(cols);
    await c.query(
      `INSERT INTO leads (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`,
      Object.values(cols),
    );
    if (status === 'pending') await queueJob(c, id, lead.projectId, 'create', {}, now);
    if (original && lead.appendDuplicateComment) {
      const note = duplicateNote(id, lead);
      await addCommentNow(c, lead.projectId, String(original.id), note.title, note.message, now);
    }
    const callbackUrl = integration ? String(integration.callback_url) : '';
    if (status !== 'test' && lead.callback && !original && callbackUrl) {
      await queueJob(c, id, lead.projectId, 'callback', { phone: lead.callbackPhone || lead.phone }, now);
    }
    return { lead: await toLead(c, (await leadRow(c, lead.projectId, id))!), created: true };
  }

  const store: Store = {
    async close() {
      await pool.end();
    },
    db: postgresDb(pool, tx),

    async createProject(name, now) {
      const id = shortId(10);
      await pool.query('INSERT INTO projects (id, name, key, created_at) VALUES ($1, $2, $3, $4)', [id, name, secretToken(18), now]);
      return toProject((await one(pool, 'SELECT * FROM projects WHERE id = $1', [id]))!);
    },
    async listProjects() {
      return (await rows(pool, 'SELECT * FROM projects ORDER BY created_at, id')).map(toProject);
    },
    async getProject(id) {
      const known = projects.byId(id);
      if (known) return known;
      const r = await one(pool, 'SELECT * FROM projects WHERE id = $1', [id]);
      return projects.remember(r ? toProject(r) : null);
    },
    async getProjectByKey(key) {
      const known = projects.byKey(key);
      if (known) return known;
      const r = await one(pool, 'SELECT * FROM projects WHERE key = $1', [key]);
      return projects.remember(r ? toProject(r) : null);
    },
    async getProjectQuotas(projectId) {
      const r = await one(pool, 'SELECT quota_leads_per_day, quota_visits_per_day FROM projects WHERE id = $1', [projectId]);
      return r ? toProjectQuotas(r) : null;
    },
    async setProjectQuotas(projectId, quotas) {
      checkProjectQuotas(quotas);
      const r = await pool.query('UPDATE projects SET quota_leads_per_day = $1, quota_visits_per_day = $2 WHERE id = $3', [
        quotas.leadsPerDay,
        quotas.visitsPerDay,
        projectId,
      ]);
      return (r.rowCount ?? 0) > 0;
    },

    async getProjectSettings(projectId) {
      return toProjectSettings(await one(pool, 'SELECT settings FROM project_settings WHERE project_id = $1', [projectId]));
    },
    async putProjectSettings(projectId, change, now) {
      return tx(async (c) => {
        const stored = await one(c, 'SELECT settings FROM project_settings WHERE project_id = $1 FOR UPDATE', [projectId]);
        const settings = mergedProjectSettings(stored, change);
        await c.query(
          `INSERT INTO project_settings (project_id, settings, updated_at) VALUES ($1, $2, $3)
           ON CONFLICT (project_id) DO UPDATE SET settings = excluded.settings, updated_at = excluded.updated_at`,
          [projectId, settings, now],
        );
        return toProjectSettings({ settings });
      });
    },

    async listForms(projectId) {
      return (await rows(pool, 'SELECT * FROM forms WHERE project_id = $1 ORDER BY created_at, id', [projectId])).map(toForm);
    },
    async getForm(projectId, formId) {
      const r = await one(pool, 'SELECT * FROM forms WHERE project_id = $1 AND id = $2', [projectId, formId]);
      return r ? toForm(r) : null;
    },
    async createForm(projectId, input, now) {
      const id = shortId(10);
      const r = await one(
        pool,
        'INSERT INTO forms (id, project_id, config, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) RETURNING *',
        [id, projectId, JSON.stringify(FormConfigInputSchema.parse(input)), now],
      );
      return toForm(r!);
    },
    async updateForm(projectId, formId, input, now) {
      const r = await one(pool, 'UPDATE forms SET config = $1, updated_at = $2 WHERE project_id = $3 AND id = $4 RETURNING *', [
        JSON.stringify(FormConfigInputSchema.parse(input)),
        now,
        projectId,
        formId,
      ]);
      return r ? toForm(r) : null;
    },
    async deleteForm(projectId, formId) {
      return ((await pool.query('DELETE FROM forms WHERE project_id = $1 AND id = $2', [projectId, formId])).rowCount ?? 0) > 0;
    },

    async getIntegration(projectId) {
      const r = await one(pool, 'SELECT * FROM integrations WHERE project_id = $1', [projectId]);
      return r ? toIntegration(r) : null;
    },
    async putIntegration(projectId, input, now) {
      return tx(async (c) => {
        const r = await one(
          c,
          `INSERT INTO integrations (project_id, type, enabled, settings, retry, rate_limit, callback_url, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (project_id) DO UPDATE SET type = excluded.type, enabled = excluded.enabled,
             settings = excluded.settings, retry = excluded.retry, rate_limit = excluded.rate_limit,
             callback_url = excluded.callback_url, updated_at = excluded.updated_at
           RETURNING *`,
          [
            projectId,
            input.type,
            input.enabled ? 1 : 0,
            JSON.stringify(input.settings),
            input.retry ? JSON.stringify(input.retry) : null,
            input.rateLimit ? JSON.stringify(input.rateLimit) : null,
            input.callbackUrl ?? '',
            now,
          ],
        );
        if (input.enabled) {
          const waiting = await rows(
            c,
            "UPDATE leads SET status = 'pending', next_attempt_at = $2, last_error = NULL WHERE project_id = $1 AND status = 'no_integration' RETURNING id",
            [projectId, now],
          );
          for (const w of waiting) await queueJob(c, String(w.id), projectId, 'create', {}, now);
          await c.query('UPDATE jobs SET run_at = $1 WHERE project_id = $2 AND run_at = $3', [now, projectId, PARKED_RUN_AT]);
        }
        return toIntegration(r!);
      });
    },

    async registerVisit(projectId, body, ip, userAgent, now, visitsPerDay) {
      return tx(async (c) => {
        // The project's row lock (which numbering the visit takes anyway) makes two processes see each other's repeat.
        await c.query('SELECT 1 FROM projects WHERE id = $1 FOR NO KEY UPDATE', [projectId]);
        const fingerprint = visitFingerprint(body, ip, userAgent);
        const repeat = await one(
          c,
          'SELECT number FROM visits WHERE project_id = $1 AND fingerprint = $2 AND created_at >= $3 ORDER BY created_at DESC LIMIT 1',
          [projectId, fingerprint, now - VISIT_REPEAT_WINDOW_MS],
        );
        if (repeat) return Number(repeat.number);
        await countToday(c, 'visits', projectId, now, visitsPerDay);
        const r = await one(c, 'UPDATE projects SET last_visit = last_visit + 1 WHERE id = $1 RETURNING last_visit', [projectId]);
        const number = Number(r!.last_visit);
        await c.query(
          `INSERT INTO visits (project_id, number, first_visit, landing_page, referrer, utm, click_ids, params, ip, user_agent, created_at, fingerprint)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [projectId, number, body.firstVisit ?? number, body.landingPage, body.referrer, JSON.stringify(body.utm), JSON.stringify(body.clickIds), JSON.stringify(body.params), ip, userAgent, now, fingerprint],
        );
        return number;
      });
    },
    async getVisit(projectId, number) {
      const r = await one(pool, 'SELECT * FROM visits WHERE project_id = $1 AND number = $2', [projectId, number]);
      return r ? toVisit(r) : null;
    },

    async ingestLead(lead, now, leadsPerDay) {
      try {
        return await tx((c) => ingest(c, lead, now, leadsPerDay));
      } catch (err) {
        // Two processes inserting the same clientId at once: the loser reads the winner's lead.
        if ((err as { code?: string }).code === '23505' && lead.clientId) return tx((c) => ingest(c, lead, now, leadsPerDay));
        throw err;
      }
    },
    async addComment(projectId, leadId, title, message, now) {
      return tx(async (c) => {
        if (!(await leadRow(c, projectId, leadId))) return null;
        await addCommentNow(c, projectId, leadId, title, message, now);
        return toLead(c, (await leadRow(c, projectId, leadId))!);
      });
    },
    async getLead(projectId, leadId) {
      const r = await leadRow(pool, projectId, leadId);
      return r ? toLead(pool, r) : null;
    },
    async listLeads(projectId, query) {
      const where = ['project_id = $1'];
      const params: unknown[] = [projectId];
      const add = (v: unknown) => `$${params.push(v)}`;
      if (query.status) where.push(`status = ${add(query.status)}`);
      if (query.before) where.push(`id < ${add(query.before)}`);
      if (query.q) {
        const like = add(`%${query.q.replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`);
        const exact = add(query.q);
        where.push(
          `(name ILIKE ${like} OR phone ILIKE ${like} OR email ILIKE ${like} OR title ILIKE ${like} OR comment ILIKE ${like} OR id = ${exact} OR crm_id = ${exact})`,
        );
      }
      const found = await rows(pool, `SELECT * FROM leads WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT ${add(query.limit + 1)}`, params);
      const items = await Promise.all(found.slice(0, query.limit).map((r) => toLead(pool, r)));
      return { items, next: found.length > query.limit ? (items[items.length - 1]?.id ?? null) : null };
    },
    async listAttempts(leadId) {
      return (await rows(pool, 'SELECT * FROM attempts WHERE lead_id = $1 ORDER BY id', [leadId])).map(toAttempt);
    },
    async requeueLead(projectId, leadId, now) {
      return tx(async (c) => {
        const r = await one(c, 'SELECT * FROM leads WHERE project_id = $1 AND id = $2 FOR UPDATE', [projectId, leadId]);
        if (!r) return null;
        await requeueIn(c, leadId, projectId, now);
        return toLead(c, (await leadRow(c, projectId, leadId))!);
      });
    },
    async requeueLeads(projectId, filter, now) {
      return tx(async (c) => {
        const found = await rows(
          c,
          'SELECT id FROM leads WHERE project_id = $1 AND status = $2 AND created_at >= $3 ORDER BY id FOR UPDATE',
          [projectId, filter.status, filter.since ?? 0],
        );
        for (const r of found) await requeueIn(c, String(r.id), projectId, now);
        return found.length;
      });
    },

    async claimJobs(workerId, now, limit, leaseMs, skipProjects = []) {
      const claimed = await rows(
        pool,
        `UPDATE jobs SET locked_until = $1, locked_by = $2
         WHERE id IN (SELECT id FROM jobs WHERE run_at <= $3 AND (locked_until IS NULL OR locked_until <= $3)
                      AND NOT (project_id = ANY($5::text[]))
                      ORDER BY run_at, id LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [now + leaseMs, workerId, now, limit, [...skipProjects]],
      );
      return claimed.map(toJob).sort((a, b) => a.runAt - b.runAt || a.id - b.id);
    },
    async renewLease(job, until) {
      const r = await pool.query('UPDATE jobs SET locked_until = $1 WHERE id = $2 AND locked_by IS NOT DISTINCT FROM $3', [until, job.id, job.lockedBy]);
      return (r.rowCount ?? 0) > 0;
    },
    async completeJob(job, a, crmId, notes = []) {
      await tx(async (c) => {
        await c.query('DELETE FROM jobs WHERE id = $1', [job.id]);
        await recordAttempt(c, job.leadId, job.kind, a);
        if (job.kind === 'create') {
          await c.query("UPDATE leads SET status = 'sent', crm_id = $1, next_attempt_at = NULL, last_error = NULL WHERE id = $2", [crmId, job.leadId]);
        }
        for (const n of notes) await queueJob(c, job.leadId, job.projectId, 'note', { title: n.title, message: n.message }, a.at);
      });
    },
    async failJob(job, a, retryAt, error) {
      await tx(async (c) => {
        await recordAttempt(c, job.leadId, job.kind, a);
        // Only while this worker still holds the job: after a lost lease it belongs to another.
        const held =
          retryAt == null
            ? await c.query('DELETE FROM jobs WHERE id = $1 AND locked_by IS NOT DISTINCT FROM $2', [job.id, job.lockedBy])
            : await c.query(
                `UPDATE jobs SET attempts = attempts + 1, run_at = $1, first_attempt_at = COALESCE(first_attempt_at, $2),
                 last_error = $3, locked_by = NULL, locked_until = NULL WHERE id = $4 AND locked_by IS NOT DISTINCT FROM $5`,
                [retryAt, job.firstAttemptAt ?? a.at, error, job.id, job.lockedBy],
              );
        if ((held.rowCount ?? 0) > 0 && job.kind === 'create') {
          await c.query('UPDATE leads SET status = $1, next_attempt_at = $2, last_error = $3 WHERE id = $4', [
            retryAt == null ? 'failed' : 'retrying',
            retryAt,
            error,
            job.leadId,
          ]);
        }
      });
    },
    async releaseJob(job, runAt) {
      await pool.query('UPDATE jobs SET run_at = $1, locked_by = NULL, locked_until = NULL WHERE id = $2 AND locked_by IS NOT DISTINCT FROM $3', [
        runAt,
        job.id,
        job.lockedBy,
      ]);
    },
    async parkJob(job) {
      if (job.kind !== 'create') {
        await pool.query('UPDATE jobs SET run_at = $1, locked_by = NULL, locked_until = NULL WHERE id = $2 AND locked_by IS NOT DISTINCT FROM $3', [
          PARKED_RUN_AT,
          job.id,
          job.lockedBy,
        ]);
        return;
      }
      await tx(async (c) => {
        const held = await c.query('DELETE FROM jobs WHERE id = $1 AND locked_by IS NOT DISTINCT FROM $2', [job.id, job.lockedBy]);
        if ((held.rowCount ?? 0) > 0 && job.kind === 'create') {
          await c.query("UPDATE leads SET status = 'no_integration', next_attempt_at = NULL, last_error = $1 WHERE id = $2", [
            'no enabled integration',
            job.leadId,
          ]);
        }
      });
    },
    async queueStats(now) {
      const r = await one(pool, 'SELECT COUNT(*) AS depth, MIN(CASE WHEN run_at <= $1 THEN run_at END) AS oldest FROM jobs', [now]);
      return { depth: Number(r!.depth), oldestDueAt: r!.oldest == null ? null : Number(r!.oldest) };
    },

    async initSetting(name, value) {
      // ON CONFLICT DO NOTHING waits for a concurrent insert of the same name, then keeps that one.
      const inserted = await one(pool, 'INSERT INTO settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING RETURNING value', [name, value]);
      if (inserted) return { value: String(inserted.value), created: true };
      return { value: String((await one(pool, 'SELECT value FROM settings WHERE name = $1', [name]))!.value), created: false };
    },
    async probeWrite(now) {
      await pool.query("INSERT INTO settings (name, value) VALUES ('health_probe', $1) ON CONFLICT (name) DO UPDATE SET value = EXCLUDED.value", [String(now)]);
    },
  };
  return stripNulArguments(store);

  /** Queues the lead's create job again (now), or makes one; the lead shows `pending`. */
  async function requeueIn(c: Db, leadId: string, projectId: string, now: number) {
    const job = await one(c, "SELECT id FROM jobs WHERE lead_id = $1 AND kind = 'create'", [leadId]);
    if (job) await c.query('UPDATE jobs SET run_at = $1, locked_by = NULL, locked_until = NULL WHERE id = $2', [now, job.id]);
    else await queueJob(c, leadId, projectId, 'create', {}, now);
    await c.query("UPDATE leads SET status = 'pending', next_attempt_at = $1 WHERE id = $2", [now, leadId]);
  }

  async function recordAttempt(c: Db, leadId: string, kind: JobKind, a: AttemptRecord) {
    const dropped = a.droppedFields?.length ? JSON.stringify(a.droppedFields) : null;
    await c.query('INSERT INTO attempts (lead_id, kind, at, ok, http_status, error, duration_ms, dropped_fields) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      leadId,
      kind,
      a.at,
      a.ok ? 1 : 0,
      a.httpStatus,
      a.error,
      Math.round(a.durationMs),
      dropped,
    ]);
    if (kind === 'create') await c.query('UPDATE leads SET attempt_count = attempt_count + 1 WHERE id = $1', [leadId]);
  }
}

async function migrate(pool: pg.Pool) {
  const client = await pool.connect();
  try {
    // Several processes may start at once: one migrates, the others wait for it.
    await client.query('SELECT pg_advisory_lock(727001)');
    await client.query('CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)');
    const done = new Set((await client.query('SELECT name FROM migrations')).rows.map((r: Row) => String(r.name)));
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{4}_.*\.sql$/.test(f))
      .sort();
    for (const file of files) {
      if (done.has(file)) continue;
      await client.query('BEGIN');
      try {
        await client.query(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
        await client.query('INSERT INTO migrations (name, applied_at) VALUES ($1, $2)', [file, Date.now()]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
  } finally {
    await client.query('SELECT pg_advisory_unlock(727001)').catch(() => undefined);
    client.release();
  }
}
