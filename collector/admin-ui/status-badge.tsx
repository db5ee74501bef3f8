// A lead's delivery state as an icon and words (docs/data-model.md "Lead statuses"); shared by the leads list and the lead page.
// A duplicate links to its original by the original's name and date, not by a bare id.
import { useEffect, useState } from 'preact/hooks';
import type { Lead } from '../../shared/schemas.ts';
import { adminApi } from './api.ts';
import { messages } from './lib/i18n.ts';
import { formatDate, formatTime, statusView, type LeadStatusFields } from './lib/status.ts';
import { paths } from './lib/routes.ts';
import { Link } from './ui.tsx';

const t = messages({
  en: { duplicateOf: 'Duplicate of', nextTry: 'Next try: {time}', noName: 'a lead', original: '{name} of {date}' },
  ru: { duplicateOf: 'Дубль заявки', nextTry: 'Следующая попытка: {time}', noName: 'заявка', original: '{name} от {date}' },
});

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
          {t('duplicateOf')}{' '}
          <Link href={paths.lead(projectId, lead.duplicateOf)}>
            <OriginalName projectId={projectId} leadId={lead.duplicateOf} />
          </Link>
        </span>
      ) : (
        view.detail && <span class="status-detail">{view.detail}</span>
      )}
      {view.nextTry && <span class="status-next">{t('nextTry', { time: formatTime(view.nextTry) })}</span>}
    </div>
  );
}

/** Originals already looked up in this tab: a list of duplicates of one lead asks for it once. */
const originals = new Map<string, Promise<Lead | null>>();

function originalOf(projectId: string, leadId: string): Promise<Lead | null> {
  const key = `${projectId}/${leadId}`;
  let found = originals.get(key);
  if (!found) {
    found = adminApi.getLead(projectId, leadId).then(
      (l) => l,
      () => null,
    );
    originals.set(key, found);
  }
  return found;
}

/** "Anna of 1 Dec 2026": the original's name (or phone, email) and date; its id until it is known. */
function OriginalName({ projectId, leadId }: { projectId: string; leadId: string }) {
  const [original, setOriginal] = useState<Lead | null>(null);
  useEffect(() => {
    let live = true;
    void originalOf(projectId, leadId).then((l) => live && setOriginal(l));
    return () => {
      live = false;
    };
  }, [projectId, leadId]);
  if (!original) return <>{leadId}</>;
  return <>{t('original', { name: original.name || original.phone || original.email || t('noName'), date: formatDate(original.createdAt) })}</>;
}
