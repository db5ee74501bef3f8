// The Activity page (owners; README "Audit log"): who changed what and when, newest first, by project.
import { useState } from 'preact/hooks';
import type { Project } from '../../../shared/schemas.ts';
import { adminApi, type AuditView } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import { formatTime } from '../lib/status.ts';
import { ErrorMessage, Loading, useLoad } from '../ui.tsx';

const t = messages({
  en: {
    title: 'Activity',
    intro: 'Every change of forms, integrations, projects and users: who made it and when.',
    project: 'Project',
    all: 'All projects',
    when: 'When',
    who: 'Who',
    what: 'What',
    details: 'Details',
    none: 'Nothing has been changed yet.',
    more: 'Older entries',
    team: 'Team',
    'project.create': 'Project created',
    'project.update': 'Project changed',
    'project.delete': 'Project deleted',
    'project.key': 'New project key',
    'form.create': 'Form added',
    'form.update': 'Form changed',
    'form.delete': 'Form deleted',
    'form.copy': 'Form copied',
    'integration.update': 'Integration changed',
    'lead.resend': 'Lead resent',
    'leads.resend': 'Leads resent',
    'user.create': 'User added',
    'user.delete': 'User deleted',
    'user.role': 'Role changed',
    erasure: 'Personal data erased',
  },
  ru: {
    title: 'Журнал',
    intro: 'Все изменения форм, интеграций, проектов и пользователей: кто и когда их сделал.',
    project: 'Проект',
    all: 'Все проекты',
    when: 'Когда',
    who: 'Кто',
    what: 'Что',
    details: 'Подробности',
    none: 'Изменений пока не было.',
    more: 'Более ранние записи',
    team: 'Команда',
    'project.create': 'Проект создан',
    'project.update': 'Проект изменён',
    'project.delete': 'Проект удалён',
    'project.key': 'Новый ключ проекта',
    'form.create': 'Форма добавлена',
    'form.update': 'Форма изменена',
    'form.delete': 'Форма удалена',
    'form.copy': 'Форма скопирована',
    'integration.update': 'Интеграция изменена',
    'lead.resend': 'Заявка отправлена повторно',
    'leads.resend': 'Заявки отправлены повторно',
    'user.create': 'Пользователь добавлен',
    'user.delete': 'Пользователь удалён',
    'user.role': 'Роль изменена',
    erasure: 'Персональные данные удалены',
  },
});

type ActionKey = Parameters<typeof t>[0];
const actionText = (action: string) => (action.includes('.') || action === 'erasure' ? t(action as ActionKey) : action);

function detailText(detail: Record<string, unknown>): string {
  return Object.entries(detail)
    .map(([k, v]) => `${k}: ${Array.isArray(v) ? v.join(', ') : String(v)}`)
    .join('; ');
}

export function ActivityPage({ projects }: { projects: Project[] }) {
  const [projectId, setProjectId] = useState('');
  const [older, setOlder] = useState<AuditView[]>([]);
  const [next, setNext] = useState<string | null>(null);
  const [page] = useLoad(async () => {
    const first = await adminApi.listAudit({ projectId });
    setOlder([]);
    setNext(first.next);
    return first.items;
  }, `activity:${projectId}`);
  const [error, setError] = useState<unknown>(null);
  const names = new Map(projects.map((p) => [p.id, p.name]));
  const loadMore = async () => {
    try {
      const more = await adminApi.listAudit({ projectId, before: next });
      setOlder([...older, ...more.items]);
      setNext(more.next);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section>
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      <div class="filters">
        <label for="activity-project">{t('project')}</label>
        <select id="activity-project" value={projectId} onChange={(e) => setProjectId(e.currentTarget.value)}>
          <option value="">{t('all')}</option>
          {projects.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      </div>
      <ErrorMessage error={error} />
      {page.state === 'loading' && <Loading />}
      {page.state === 'error' && <ErrorMessage error={page.error} />}
      {page.state === 'ready' && page.data.length === 0 && <p class="muted">{t('none')}</p>}
      {page.state === 'ready' && page.data.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>{t('when')}</th>
                <th>{t('who')}</th>
                <th>{t('what')}</th>
                <th>{t('project')}</th>
                <th>{t('details')}</th>
              </tr>
            </thead>
            <tbody>
              {[...page.data, ...older].map((e) => (
                <tr key={e.id}>
                  <td>{formatTime(e.at)}</td>
                  <td>{e.actor}</td>
                  <td>{actionText(e.action)}</td>
                  <td>{e.projectId ? (names.get(e.projectId) ?? e.projectId) : t('team')}</td>
                  <td class="muted">{detailText(e.detail)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {next && (
        <button type="button" onClick={loadMore}>
          {t('more')}
        </button>
      )}
    </section>
  );
}
