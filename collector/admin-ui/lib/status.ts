// How a lead's delivery state reads in the UI (docs/data-model.md "Lead statuses"): ✓ and the deal id for sent, "Do not send"
// for not_sent, ✗ with the reason and the next try while it is not delivered, "Duplicate of …".
import type { Lead, LeadStatus } from '../../../shared/schemas.ts';
import { locale, messages } from './i18n.ts';

export type StatusTone = 'ok' | 'bad' | 'muted';

export interface StatusView {
  icon: '✓' | '✗' | '';
  tone: StatusTone;
  label: string;
  /** The CRM deal id, the failure reason, or the original's id: one short line. */
  detail: string;
  nextTry: string | null;
}

const t = messages({
  en: {
    sent: 'Sent',
    pending: 'Waiting to be sent',
    retrying: 'Retrying',
    failed: 'Failed',
    no_integration: 'No CRM connected',
    not_sent: 'Do not send',
    duplicate: 'Duplicate',
    test: 'Test',
    reason_pending: 'Not sent yet',
    reason_retrying: 'The last attempt failed',
    reason_failed: 'Gave up after the last attempt',
    reason_no_integration: 'The project has no CRM integration',
    crmDeal: 'CRM deal {id}',
    testDetail: 'Test lead: never sent to the CRM',
    duplicateOf: 'Duplicate of {id}',
  },
  ru: {
    sent: 'Отправлена',
    pending: 'Ждёт отправки',
    retrying: 'Повторные попытки',
    failed: 'Не отправлена',
    no_integration: 'CRM не подключена',
    not_sent: 'Не отправлять',
    duplicate: 'Дубль',
    test: 'Тест',
    reason_pending: 'Ещё не отправлена',
    reason_retrying: 'Последняя попытка не удалась',
    reason_failed: 'Попытки закончились',
    reason_no_integration: 'У проекта нет интеграции с CRM',
    crmDeal: 'Сделка в CRM {id}',
    testDetail: 'Тестовая заявка: в CRM не отправляется',
    duplicateOf: 'Дубль заявки {id}',
  },
});

export const LEAD_STATUSES: readonly LeadStatus[] = ['sent', 'pending', 'retrying', 'failed', 'no_integration', 'not_sent', 'duplicate', 'test'];

/** A status in words, in the current language. */
export function statusLabel(status: LeadStatus): string {
  return LEAD_STATUSES.includes(status) ? t(status) : status;
}

function defaultReason(status: LeadStatus): string {
  switch (status) {
    case 'pending':
    case 'retrying':
    case 'failed':
    case 'no_integration':
      return t(`reason_${status}`);
    default:
      return '';
  }
}

export type LeadStatusFields = Pick<Lead, 'status' | 'crmId' | 'lastError' | 'nextAttemptAt' | 'duplicateOf'>;

export function statusView(lead: LeadStatusFields): StatusView {
  switch (lead.status) {
    case 'sent':
      return { icon: '✓', tone: 'ok', label: t('sent'), detail: lead.crmId ? t('crmDeal', { id: lead.crmId }) : '', nextTry: null };
    case 'not_sent':
      // The reason when there is one (its form was switched off or deleted).
      return { icon: '', tone: 'muted', label: t('not_sent'), detail: lead.lastError ?? '', nextTry: null };
    case 'test':
      // Test mode: stored to show the setup works, never sent to the CRM.
      return { icon: '', tone: 'muted', label: t('test'), detail: t('testDetail'), nextTry: null };
    case 'duplicate':
      return { icon: '', tone: 'muted', label: t('duplicate'), detail: lead.duplicateOf ? t('duplicateOf', { id: lead.duplicateOf }) : t('duplicate'), nextTry: null };
    default:
      return {
        icon: '✗',
        tone: 'bad',
        label: statusLabel(lead.status),
        detail: lead.lastError || defaultReason(lead.status),
        nextTry: lead.status === 'failed' ? null : lead.nextAttemptAt,
      };
  }
}

/** A lead may be queued again unless it already reached the CRM, or is a test lead (never sent). */
export function canResend(status: LeadStatus): boolean {
  return status !== 'sent' && status !== 'test';
}

/** Whether the worker may still change this lead, so the page should look again soon. */
export function isInFlight(status: LeadStatus): boolean {
  return status === 'pending' || status === 'retrying';
}

/** A time in the user's language and time zone (Intl). */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(locale(), { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}

/** A date without the time ("1 Dec 2026" / "1 дек. 2026 г."), in the user's time zone. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString(locale(), { year: 'numeric', month: 'short', day: 'numeric' });
}

/** A number with the user's digit grouping and decimal sign. */
export function formatNumber(n: number, options?: Intl.NumberFormatOptions): string {
  return new Intl.NumberFormat(locale(), options).format(n);
}
