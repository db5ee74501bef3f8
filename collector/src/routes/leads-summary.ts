// The leads page's summary (docs/http-api.md "Leads summary"): leads per day of the last 30 days by
// status, the share delivered, the oldest undelivered lead, and per form the leads of the last 7 days
// and the time of the last one. Plain SQL through store.db, written once for both stores; every count
// is bounded to the last 30 days of `leads.created_at`.
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { LeadsSummary } from '../../../shared/admin-api.ts';
import type { LeadStatus } from '../../../shared/schemas.ts';
import type { AppContext } from '../context.ts';
import type { Db } from '../store/db.ts';
import { num } from '../store/rows.ts';

const DAY_MS = 86_400_000;
export const SUMMARY_DAYS = 30;
const FORM_WINDOW_DAYS = 7;

/** Leads that should reach the CRM but have not (yet). */
const UNDELIVERED: readonly LeadStatus[] = ['pending', 'retrying', 'failed', 'no_integration'];
/** Leads never meant for the CRM: left out of the delivered share. */
const NOT_FOR_CRM: readonly LeadStatus[] = ['not_sent', 'duplicate', 'test'];

const Params = z.object({ projectId: z.string().min(1).max(64) });
const Query = z.object({
  /** The viewer's offset from UTC in minutes (+180 for Moscow), so days start at their midnight. */
  offset: z.coerce.number().int().min(-840).max(840).default(0),
});


const placeholders = (n: number) => Array.from({ length: n }, () => '?').join(', ');

export async function leadsSummary(db: Db, projectId: string, now: number, offsetMinutes: number): Promise<LeadsSummary> {
  const offset = offsetMinutes * 60_000;
  const today = Math.floor((now + offset) / DAY_MS);
  const firstDay = today - (SUMMARY_DAYS - 1);
  const since = firstDay * DAY_MS - offset;
  const weekAgo = now - FORM_WINDOW_DAYS * DAY_MS;

  const [perDay, oldest, forms] = await Promise.all([
    db.all(
      // CAST: SQLite binds a JS number as REAL, which would make the division fractional.
      `SELECT CAST((created_at + ?) / ${DAY_MS} AS BIGINT) AS day, status, COUNT(*) AS n
         FROM leads WHERE project_id = ? AND created_at >= ?
        GROUP BY 1, 2`,
      [offset, projectId, since],
    ),
    db.get(
      `SELECT id, name, phone, email, status, created_at FROM leads
        WHERE project_id = ? AND created_at >= ? AND status IN (${placeholders(UNDELIVERED.length)})
        ORDER BY created_at, id LIMIT 1`,
      [projectId, since, ...UNDELIVERED],
    ),
    db.all(
      `SELECT form_id, SUM(CASE WHEN created_at >= ? THEN 1 ELSE 0 END) AS last7, MAX(created_at) AS last_at
         FROM leads WHERE project_id = ? AND created_at >= ? AND form_id IS NOT NULL
        GROUP BY form_id`,
      [weekAgo, projectId, since],
    ),
  ]);

  const days: LeadsSummary['days'] = [];
  for (let d = firstDay; d <= today; d++) days.push({ date: new Date(d * DAY_MS).toISOString().slice(0, 10), total: 0, byStatus: {} });
  let total = 0;
  let sent = 0;
  let notForCrm = 0;
  for (const row of perDay) {
    const entry = days[num(row.day) - firstDay];
    if (!entry) continue;
    const status = String(row.status) as LeadStatus;
    const n = num(row.n);
    entry.total += n;
    entry.byStatus[status] = (entry.byStatus[status] ?? 0) + n;
    total += n;
    if (status === 'sent') sent += n;
    if (NOT_FOR_CRM.includes(status)) notForCrm += n;
  }
  const forCrm = total - notForCrm;

  return {
    since: new Date(since).toISOString(),
    days,
    total,
    sent,
    deliveredShare: forCrm > 0 ? sent / forCrm : null,
    oldestUndelivered: oldest
      ? {
          id: String(oldest.id),
          name: String(oldest.name),
          phone: String(oldest.phone),
          email: String(oldest.email),
          status: String(oldest.status) as LeadStatus,
          createdAt: new Date(num(oldest.created_at)).toISOString(),
        }
      : null,
    forms: forms.map((r) => ({ formId: String(r.form_id), last7Days: num(r.last7), lastLeadAt: new Date(num(r.last_at)).toISOString() })),
  };
}

/** Registered inside the admin routes, so it has their guard (a read: any role) and project scope. */
export function leadsSummaryRoutes(ctx: AppContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get('/projects/:projectId/leads/summary', { schema: { params: Params, querystring: Query } }, async (req) => {
      // req.project: loaded by the project scope (routes/project-scope.ts), 404 before this runs.
      return leadsSummary(ctx.store.db, req.project.id, ctx.now(), req.query.offset);
    });
  };
}
