// The leads table: a checkbox per lead that may be sent again (and one for all shown), the selected
// resent at once; status, time, client, form, deal title, tries, and a Resend per lead. On a small
// screen each row is a card of labelled lines (the labels from data-label, app.css).
import type { Lead } from '../../../shared/schemas.ts';
import { messages } from '../lib/i18n.ts';
import { paths } from '../lib/routes.ts';
import { can } from '../lib/access.ts';
import { canResend, formatTime } from '../lib/status.ts';
import { StatusBadge } from '../status-badge.tsx';
import { Link } from '../ui.tsx';

const t = messages({
  en: {
    selectAll: 'Select every lead shown',
    select: 'Select {name}',
    resendSelected: 'Resend selected ({n})',
    status: 'Status',
    when: 'When',
    client: 'Client',
    form: 'Form',
    dealTitle: 'Deal title',
    tries: 'Tries',
    actions: 'Actions',
    noName: '(no name)',
    resend: 'Resend',
  },
  ru: {
    selectAll: 'Выбрать все показанные заявки',
    select: 'Выбрать: {name}',
    resendSelected: 'Отправить повторно выбранные ({n})',
    status: 'Статус',
    when: 'Когда',
    client: 'Клиент',
    form: 'Форма',
    dealTitle: 'Название сделки',
    tries: 'Попытки',
    actions: 'Действия',
    noName: '(без имени)',
    resend: 'Отправить повторно',
  },
});

export function LeadsTable(props: {
  projectId: string;
  leads: Lead[];
  formTitles: Map<string, string>;
  selected: Set<string>;
  onSelect: (selected: Set<string>) => void;
  busy: boolean;
  onResend: (lead: Lead) => void;
  onResendSelected: (ids: string[]) => void;
}) {
  const { projectId, leads, selected } = props;
  // Sending again is a marketer's or an owner's (README "Users and roles"): a viewer gets no checkboxes.
  const mayResend = (lead: Lead) => canResend(lead.status) && can('marketer');
  const selectable = leads.filter(mayResend);
  const chosen = selectable.filter((l) => selected.has(l.id));
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    props.onSelect(next);
  };
  return (
    <>
      {can('marketer') && (
        <div class="selection-bar">
          <button type="button" onClick={() => props.onResendSelected(chosen.map((l) => l.id))} disabled={props.busy || chosen.length === 0}>
            {t('resendSelected', { n: chosen.length })}
          </button>
        </div>
      )}
      <div class="table-wrap">
        <table class="table leads stack-on-small">
          <thead>
            <tr>
              <th scope="col" class="select-cell">
                {can('marketer') && (
                  <input
                    type="checkbox"
                    aria-label={t('selectAll')}
                    checked={selectable.length > 0 && chosen.length === selectable.length}
                    disabled={selectable.length === 0}
                    onChange={(e) => props.onSelect(e.currentTarget.checked ? new Set(selectable.map((l) => l.id)) : new Set())}
                  />
                )}
              </th>
              <th scope="col">{t('status')}</th>
              <th scope="col">{t('when')}</th>
              <th scope="col">{t('client')}</th>
              <th scope="col">{t('form')}</th>
              <th scope="col">{t('dealTitle')}</th>
              <th scope="col">{t('tries')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {leads.map((lead) => (
              <tr key={lead.id}>
                <td class="select-cell">
                  {mayResend(lead) && (
                    <input
                      type="checkbox"
                      aria-label={t('select', { name: lead.name || lead.phone || lead.email || lead.id })}
                      checked={selected.has(lead.id)}
                      onChange={(e) => toggle(lead.id, e.currentTarget.checked)}
                    />
                  )}
                </td>
                <td data-label={t('status')}>
                  <StatusBadge lead={lead} projectId={projectId} />
                </td>
                <td class="nowrap" data-label={t('when')}>
                  {formatTime(lead.createdAt)}
                </td>
                <td data-label={t('client')}>
                  <div class="client-name">
                    <Link href={paths.lead(projectId, lead.id)}>{lead.name || lead.phone || lead.email || t('noName')}</Link>
                  </div>
                  {lead.name && lead.phone && <div>{lead.phone}</div>}
                  {(lead.name || lead.phone) && lead.email && <div>{lead.email}</div>}
                </td>
                <td class="wrap" data-label={t('form')}>
                  {lead.formId ? (props.formTitles.get(lead.formId) ?? lead.formId) : ''}
                </td>
                <td class="wrap" data-label={t('dealTitle')}>
                  {lead.title}
                </td>
                <td data-label={t('tries')}>{lead.attemptCount}</td>
                <td class="actions">
                  {mayResend(lead) && (
                    <button type="button" onClick={() => props.onResend(lead)}>
                      {t('resend')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
