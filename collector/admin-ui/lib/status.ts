// How a lead's delivery state reads in the UI (docs/data-model.md "Lead statuses"): ✓ and the deal id for sent, "Do not send"
// for not_sent, ✗ with the reason and the next try while it is not delivered, "Duplicate of …".
import type { Lead, LeadStatus } from '../../../shared/schemas.ts';

export type StatusTone = 'ok' | 'bad' | 'muted';

export interface StatusView {
  icon: '✓' | '✗' | '';
  tone: StatusTone;
  label: string;
  /** The CRM deal id, the failure reason, or the original's id: one short line. */
  detail: string;
  nextTry: string | null;
}

export const STATUS_LABELS: Record<LeadStatus, string> = {
  sent: 'Sent',
  pending: 'Waiting to be sent',
  retrying: 'Retrying',
  failed: 'Failed',
  no_integration: 'No CRM connected',
  not_sent: 'Do not send',
  duplicate: 'Duplicate',
  test: 'Test',
};

const DEFAULT_REASON: Partial<Record<LeadStatus, string>> = {
  pending: 'Not sent yet',
  retrying: 'The last attempt failed',
  failed: 'Gave up after the last attempt',
  no_integration: 'The project has no CRM integration',
};

export type LeadStatusFields = Pick<Lead, 'status' | 'crmId' | 'lastError' | 'nextAttemptAt' | 'duplicateOf'>;

export function statusView(lead: LeadStatusFields): StatusView {
  switch (lead.status) {
    case 'sent':
      return { icon: '✓', tone: 'ok', label: 'Sent', detail: lead.crmId ? `CRM deal ${lead.crmId}` : '', nextTry: null };
    case 'not_sent':
      // The reason when there is one (its form was switched off or deleted).
      return { icon: '', tone: 'muted', label: 'Do not send', detail: lead.lastError ?? '', nextTry: null };
    case 'test':
      // Test mode: stored to show the setup works, never sent to the CRM.
      return { icon: '', tone: 'muted', label: 'Test', detail: 'Test lead: never sent to the CRM', nextTry: null };
    case 'duplicate':
      return { icon: '', tone: 'muted', label: 'Duplicate', detail: lead.duplicateOf ? `Duplicate of ${lead.duplicateOf}` : 'Duplicate', nextTry: null };
    default:
      return {
        icon: '✗',
        tone: 'bad',
        label: STATUS_LABELS[lead.status] ?? lead.status,
        detail: lead.lastError || DEFAULT_REASON[lead.status] || '',
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

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
