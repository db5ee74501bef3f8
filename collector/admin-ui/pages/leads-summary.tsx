// The summary on top of the leads page (README "Admin UI"): leads per day of the last 30 days by
// status as a small inline SVG chart (no chart library; classes only, the CSP allows no inline
// style), the share delivered, the oldest undelivered lead, and "Resend all failed".
import type { LeadStatus } from '../../../shared/schemas.ts';
import type { LeadsSummary } from '../api.ts';
import { can } from '../lib/access.ts';
import { messages } from '../lib/i18n.ts';
import { paths } from '../lib/routes.ts';
import { formatDate, formatNumber, statusLabel } from '../lib/status.ts';
import { Link } from '../ui.tsx';

const t = messages({
  en: {
    title: 'Last 30 days',
    chart: 'Leads per day, last 30 days: {total} in all, {sent} sent',
    leads: '{n} leads',
    delivered: 'Delivered',
    deliveredNone: 'no leads for the CRM yet',
    oldest: 'Oldest undelivered',
    oldestNone: 'none: every lead reached the CRM',
    oldestOf: '{date}: {name}',
    noName: 'a lead',
    total: 'Leads',
    resendFailed: 'Resend all failed',
    g_ok: 'sent',
    g_wait: 'on the way',
    g_bad: 'not delivered',
    g_muted: 'kept here',
  },
  ru: {
    title: 'Последние 30 дней',
    chart: 'Заявки по дням за последние 30 дней: всего {total}, отправлено {sent}',
    leads: 'заявок: {n}',
    delivered: 'Доставлено',
    deliveredNone: 'заявок для CRM пока нет',
    oldest: 'Самая старая недоставленная',
    oldestNone: 'нет: все заявки дошли до CRM',
    oldestOf: '{date}: {name}',
    noName: 'заявка',
    total: 'Заявки',
    resendFailed: 'Отправить повторно все неудачные',
    g_ok: 'отправлены',
    g_wait: 'в пути',
    g_bad: 'не доставлены',
    g_muted: 'остались здесь',
  },
});

type Group = 'ok' | 'wait' | 'bad' | 'muted';
const GROUPS: Group[] = ['ok', 'wait', 'bad', 'muted'];
const GROUP_OF: Record<LeadStatus, Group> = {
  sent: 'ok',
  pending: 'wait',
  retrying: 'wait',
  failed: 'bad',
  no_integration: 'bad',
  not_sent: 'muted',
  duplicate: 'muted',
  test: 'muted',
};

const BAR = 8;
const GAP = 2;
const HEIGHT = 60;

/** "2026-03-10" (a day at the viewer's offset) as a date in their language. */
function dayLabel(date: string): string {
  return formatDate(`${date}T12:00:00.000Z`);
}

export function LeadsSummaryPanel({ projectId, summary, busy, onResendFailed }: { projectId: string; summary: LeadsSummary; busy: boolean; onResendFailed: () => void }) {
  const max = Math.max(1, ...summary.days.map((d) => d.total));
  const oldest = summary.oldestUndelivered;
  return (
    <div class="card summary">
      <div class="summary-head">
        <h2>{t('title')}</h2>
        {can('marketer') && (
          <button type="button" onClick={onResendFailed} disabled={busy}>
            {t('resendFailed')}
          </button>
        )}
      </div>
      <dl class="summary-figures">
        <div>
          <dt>{t('total')}</dt>
          <dd>{formatNumber(summary.total)}</dd>
        </div>
        <div>
          <dt>{t('delivered')}</dt>
          <dd>{summary.deliveredShare === null ? <span class="muted">{t('deliveredNone')}</span> : formatNumber(summary.deliveredShare, { style: 'percent', maximumFractionDigits: 1 })}</dd>
        </div>
        <div>
          <dt>{t('oldest')}</dt>
          <dd>
            {oldest ? (
              <Link href={paths.lead(projectId, oldest.id)}>
                {t('oldestOf', { name: oldest.name || oldest.phone || oldest.email || t('noName'), date: formatDate(oldest.createdAt) })}
              </Link>
            ) : (
              <span class="muted">{t('oldestNone')}</span>
            )}
            {oldest && <span class="muted"> · {statusLabel(oldest.status)}</span>}
          </dd>
        </div>
      </dl>
      <svg
        class="chart"
        role="img"
        aria-label={t('chart', { total: formatNumber(summary.total), sent: formatNumber(summary.sent) })}
        viewBox={`0 0 ${summary.days.length * (BAR + GAP)} ${HEIGHT}`}
        preserveAspectRatio="none"
      >
        {summary.days.map((day, i) => {
          let y = HEIGHT;
          const counts = GROUPS.map((g) => ({
            g,
            n: Object.entries(day.byStatus).reduce((sum, [s, n]) => (GROUP_OF[s as LeadStatus] === g ? sum + (n ?? 0) : sum), 0),
          }));
          return (
            <g key={day.date} class="chart-day" data-date={day.date} data-total={day.total}>
              <title>
                {`${dayLabel(day.date)}: ${t('leads', { n: formatNumber(day.total) })}`}
                {Object.entries(day.byStatus).map(([s, n]) => `\n${statusLabel(s as LeadStatus)}: ${formatNumber(n ?? 0)}`)}
              </title>
              {/* A transparent column makes the whole day hoverable for its title. */}
              <rect class="chart-hit" x={i * (BAR + GAP)} y={0} width={BAR + GAP} height={HEIGHT} />
              {counts.map(({ g, n }) => {
                if (!n) return null;
                const h = (n / max) * HEIGHT;
                y -= h;
                return <rect key={g} class={`chart-bar chart-${g}`} x={i * (BAR + GAP) + GAP / 2} y={y} width={BAR} height={h} />;
              })}
            </g>
          );
        })}
      </svg>
      <div class="chart-axis muted">
        <span>{dayLabel(summary.days[0]?.date ?? '')}</span>
        <span>{dayLabel(summary.days[summary.days.length - 1]?.date ?? '')}</span>
      </div>
      <ul class="chart-legend">
        {GROUPS.map((g) => (
          <li key={g}>
            <span class={`swatch chart-${g}`} />
            {t(`g_${g}`)}
          </li>
        ))}
      </ul>
    </div>
  );
}
