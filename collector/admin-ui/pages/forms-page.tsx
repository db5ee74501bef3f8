// The forms list: what each form catches and where its leads go, how many leads it caught in the
// last 7 days and when the last came (a form switched on that caught none stands out); edit, copy,
// delete (with undo).
import { useEffect, useState } from 'preact/hooks';
import type { FormConfig } from '../../../shared/form-config.ts';
import { adminApi, type LeadsSummary } from '../api.ts';
import { configInputOf } from '../lib/form-editor-state.ts';
import { messages } from '../lib/i18n.ts';
import { paths } from '../lib/routes.ts';
import { formatNumber, formatTime } from '../lib/status.ts';
import { can } from '../lib/access.ts';
import { ErrorMessage, Link, Loading, Notice, navigate, useLoad } from '../ui.tsx';
import { MissedFormsSection } from './missed-forms-section.tsx';

const t = messages({
  en: {
    title: 'Site forms',
    addForm: 'Add form',
    intro: 'Each form here tells the script on your site which form (or button) to watch and how to turn what the visitor typed into a lead.',
    deleted: 'Form “{name}” deleted.',
    undo: 'Undo',
    back: 'The form is back.',
    empty: 'No forms yet. Add one: give the CSS selector of a form on your site and say which of its fields hold the name, phone and email.',
    colTitle: 'Title',
    colTrigger: 'Trigger',
    colSelector: 'Selector',
    colSites: 'Sites',
    colSend: 'Send to CRM',
    colLeads: 'Leads, 7 days',
    actions: 'Actions',
    noTitle: '(no title)',
    off: 'off',
    click: 'Button click',
    submit: 'Form submit',
    yes: 'Yes',
    no: 'No',
    edit: 'Edit',
    copy: 'Copy',
    delete: 'Delete',
    copied: 'Copied “{name}”.',
    everySite: 'Every site',
    allBut: 'All but {sites}',
    last: 'last {time}',
    noneIn30: 'none in 30 days',
    stopped: 'No lead for 7 days: check the selector on the site',
  },
  ru: {
    title: 'Формы сайта',
    addForm: 'Добавить форму',
    intro: 'Каждая форма здесь говорит скрипту на сайте, за какой формой (или кнопкой) следить и как превратить введённое посетителем в заявку.',
    deleted: 'Форма «{name}» удалена.',
    undo: 'Вернуть',
    back: 'Форма возвращена.',
    empty: 'Форм пока нет. Добавьте: укажите CSS-селектор формы на сайте и какие её поля содержат имя, телефон и email.',
    colTitle: 'Название',
    colTrigger: 'Триггер',
    colSelector: 'Селектор',
    colSites: 'Сайты',
    colSend: 'В CRM',
    colLeads: 'Заявки за 7 дней',
    actions: 'Действия',
    noTitle: '(без названия)',
    off: 'выкл.',
    click: 'Нажатие кнопки',
    submit: 'Отправка формы',
    yes: 'Да',
    no: 'Нет',
    edit: 'Изменить',
    copy: 'Копировать',
    delete: 'Удалить',
    copied: 'Скопирована «{name}».',
    everySite: 'Все сайты',
    allBut: 'Все, кроме {sites}',
    last: 'последняя {time}',
    noneIn30: 'нет за 30 дней',
    stopped: 'Нет заявок 7 дней: проверьте селектор на сайте',
  },
});

export function FormsPage({ projectId }: { projectId: string }) {
  const [forms, reload] = useLoad(() => adminApi.listForms(projectId), projectId);
  const [actionError, setActionError] = useState<unknown>(null);
  const [deleted, setDeleted] = useState<FormConfig | null>(null);
  const [notice, setNotice] = useState('');
  const [stats, setStats] = useState<Map<string, LeadsSummary['forms'][number]> | null>(null);
  useEffect(() => {
    adminApi.leadsSummary(projectId).then(
      (s) => setStats(new Map(s.forms.map((f) => [f.formId, f]))),
      () => setStats(null),
    );
  }, [projectId]);

  const act = async (fn: () => Promise<void>) => {
    setActionError(null);
    setNotice('');
    try {
      await fn();
    } catch (err) {
      setActionError(err);
    }
    await reload();
  };

  return (
    <section>
      <div class="page-head">
        <h1>{t('title')}</h1>
        {can('marketer') && (
          <button type="button" class="primary" onClick={() => navigate(paths.form(projectId, null))}>
            {t('addForm')}
          </button>
        )}
      </div>
      <p class="muted">{t('intro')}</p>
      <ErrorMessage error={actionError} />
      {notice && <Notice onClose={() => setNotice('')}>{notice}</Notice>}
      {deleted && (
        <div class="message message-ok" role="status">
          <span>{t('deleted', { name: deleted.title || deleted.selector })}</span>
          <button
            type="button"
            class="link-button"
            onClick={() =>
              act(async () => {
                await adminApi.createForm(projectId, configInputOf(deleted));
                setDeleted(null);
                setNotice(t('back'));
              })
            }
          >
            {t('undo')}
          </button>
        </div>
      )}
      {forms.state === 'loading' && <Loading />}
      {forms.state === 'error' && <ErrorMessage error={forms.error} />}
      {forms.state === 'ready' && forms.data.length === 0 && (
        <div class="empty card">
          <p>{t('empty')}</p>
        </div>
      )}
      {forms.state === 'ready' && forms.data.length > 0 && (
        <div class="table-wrap">
          <table class="table">
            <thead>
              <tr>
                <th scope="col">{t('colTitle')}</th>
                <th scope="col">{t('colTrigger')}</th>
                <th scope="col">{t('colSelector')}</th>
                <th scope="col">{t('colSites')}</th>
                <th scope="col">{t('colSend')}</th>
                <th scope="col">{t('colLeads')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {forms.data.map((form) => (
                <tr key={form.id} class={form.enabled ? '' : 'disabled-row'}>
                  <td>
                    {/* Plain text, not a link: a title is free text and must not collide with the section links' names. */}
                    <span class="form-title">{form.title || t('noTitle')}</span>
                    {!form.enabled && <span class="badge">{t('off')}</span>}
                  </td>
                  <td>{form.trigger === 'click' ? t('click') : t('submit')}</td>
                  <td>
                    <code>{form.selector}</code>
                  </td>
                  <td>{sitesSummary(form)}</td>
                  <td>{form.sendToCrm ? t('yes') : t('no')}</td>
                  <td>{stats && <FormStats form={form} stat={stats.get(form.id)} />}</td>
                  <td class="actions">
                    <Link href={paths.form(projectId, form.id)} class="button">
                      {t('edit')}
                    </Link>
                    {can('marketer') && <button
                      type="button"
                      onClick={() =>
                        act(async () => {
                          await adminApi.copyForm(projectId, form.id);
                          setNotice(t('copied', { name: form.title || form.selector }));
                        })
                      }
                    >
                      {t('copy')}
                    </button>}
                    {can('marketer') && <button
                      type="button"
                      class="danger"
                      onClick={() =>
                        act(async () => {
                          await adminApi.deleteForm(projectId, form.id);
                          setDeleted(form);
                        })
                      }
                    >
                      {t('delete')}
                    </button>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <MissedFormsSection projectId={projectId} reloadKey={forms.state === 'ready' ? forms.data.map((f) => `${f.id}:${f.enabled}:${f.selector}`).join('|') : ''} />
    </section>
  );
}

function sitesSummary(form: FormConfig): string {
  if (form.sites.length === 0) return t('everySite');
  return form.excludeSites ? t('allBut', { sites: form.sites.join(', ') }) : form.sites.join(', ');
}

/** "3", under it "last 10 Mar, 14:05"; a form that is on and caught nothing in 7 days is marked. */
function FormStats({ form, stat }: { form: FormConfig; stat: { last7Days: number; lastLeadAt: string } | undefined }) {
  const stopped = form.enabled && (stat?.last7Days ?? 0) === 0;
  return (
    <span class={stopped ? 'form-stats stale' : 'form-stats'}>
      {formatNumber(stat?.last7Days ?? 0)}
      <span class="form-stats-when muted">{stat ? t('last', { time: formatTime(stat.lastLeadAt) }) : t('noneIn30')}</span>
      {stopped && <span class="stale-note">{t('stopped')}</span>}
    </span>
  );
}
