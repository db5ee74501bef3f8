// "Not captured yet" on the Forms page: forms the snippet saw submitted that no enabled form config
// matched (docs/http-api.md "Missed forms"), each with "Capture this form", which opens the editor
// pre-filled (lib/form-draft.ts). Every reported value is shown as text.
import { api } from '../api.ts';
import { draftFromMissed, draftPath, type MissedForm } from '../lib/form-draft.ts';
import { locale, messages } from '../lib/i18n.ts';
import { ErrorMessage, navigate, useLoad } from '../ui.tsx';

const t = messages({
  en: {
    heading: 'Not captured yet',
    intro: 'Forms visitors sent on your site that no form here catches. Only their structure is reported, never what visitors typed.',
    selector: 'Selector',
    fields: 'Fields',
    pages: 'Pages',
    submits: 'Submits',
    lastSeen: 'Last seen',
    capture: 'Capture this form',
    captureLabel: 'Capture this form: {selector}',
    noFields: 'no named fields',
    title: 'Request from the form {selector}',
  },
  ru: {
    heading: 'Ещё не отслеживаются',
    intro: 'Формы, которые посетители отправляли на вашем сайте, но ни одна форма здесь их не отслеживает. Передаётся только их устройство, но никогда не то, что ввели посетители.',
    selector: 'Селектор',
    fields: 'Поля',
    pages: 'Страницы',
    submits: 'Отправки',
    lastSeen: 'Последняя отправка',
    capture: 'Отслеживать эту форму',
    captureLabel: 'Отслеживать эту форму: {selector}',
    noFields: 'нет полей с атрибутом name',
    title: 'Заявка с формы {selector}',
  },
});

export function MissedFormsSection({ projectId, reloadKey }: { projectId: string; reloadKey: string }) {
  const [missed] = useLoad(() => api<MissedForm[]>('GET', `/projects/${encodeURIComponent(projectId)}/missed-forms`), `${projectId}:${reloadKey}`);
  if (missed.state === 'loading') return null;
  if (missed.state === 'error') return <ErrorMessage error={missed.error} />;
  if (missed.data.length === 0) return null;
  return (
    <section class="missed-forms" aria-labelledby="missed-forms-heading">
      <h2 id="missed-forms-heading">{t('heading')}</h2>
      <p class="muted">{t('intro')}</p>
      <div class="table-wrap">
        <table class="table">
          <thead>
            <tr>
              <th scope="col">{t('selector')}</th>
              <th scope="col">{t('fields')}</th>
              <th scope="col">{t('pages')}</th>
              <th scope="col">{t('submits')}</th>
              <th scope="col">{t('lastSeen')}</th>
              <th scope="col">
                <span class="visually-hidden">{t('capture')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {missed.data.map((m) => (
              <tr key={m.selector}>
                <td>
                  <code>{m.selector}</code>
                </td>
                <td>{m.fields.length ? m.fields.map((f) => `${f.name}${f.type ? ` (${f.type})` : ''}`).join(', ') : <span class="muted">{t('noFields')}</span>}</td>
                <td>
                  <ul class="plain-list">
                    {m.pages.map((p) => (
                      <li key={p}>{p}</li>
                    ))}
                  </ul>
                </td>
                <td>{m.submits}</td>
                <td>{new Date(m.lastSeenAt).toLocaleString(locale())}</td>
                <td class="actions">
                  <button
                    type="button"
                    class="primary"
                    aria-label={t('captureLabel', { selector: m.selector })}
                    onClick={() => navigate(draftPath(projectId, draftFromMissed(m, t('title', { selector: m.selector }))))}
                  >
                    {t('capture')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
