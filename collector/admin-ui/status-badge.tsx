// A lead's delivery state as an icon and words (docs/data-model.md "Lead statuses"); shared by the leads list and the lead page.
import type { Lead } from '../../shared/schemas.ts';
import { formatTime, statusView, type LeadStatusFields } from './lib/status.ts';
import { paths } from './lib/routes.ts';
import { Link } from './ui.tsx';

export function StatusBadge({ lead, projectId }: { lead: LeadStatusFields & Pick<Lead, 'id'>; projectId: string }) {
  const view = statusView(lead);
  return (
    <div class={`status status-${view.tone}`}>
      <span class="status-line">
        {view.icon && <span class="status-icon">{view.icon}</span>}
        {/* A test lead (test mode) wears a badge, in the list and on its page. */}
        <span class={lead.status === 'test' ? 'status-label badge badge-test' : 'status-label'}>{view.label}</span>
      </span>
      {lead.status === 'duplicate' && lead.duplicateOf ? (
        <span class="status-detail">
          Duplicate of <Link href={paths.lead(projectId, lead.duplicateOf)}>{lead.duplicateOf}</Link>
        </span>
      ) : (
        view.detail && <span class="status-detail">{view.detail}</span>
      )}
      {view.nextTry && <span class="status-next">Next try: {formatTime(view.nextTry)}</span>}
    </div>
  );
}
