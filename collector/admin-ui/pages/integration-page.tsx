// The project's CRM integration: its type and settings (secrets are write-only), a connection test,
// the retry policy and the call-back webhook.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, adminApi, type IntegrationTypeInfo } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import { draftFrom, draftLabel, hasStoredSecret, integrationBody, problemsByControl, type Draft } from '../lib/integration-draft.ts';
import { settingExplanation, settingHelpUrl, settingLabel } from '../lib/setting-labels.ts';
import { formatTime } from '../lib/status.ts';
import { unsignedWebhookNotice } from '../lib/webhook-signing.ts';
import { ErrorMessage, Loading, Notice, errorText } from '../ui.tsx';
import { can } from '../lib/access.ts';

const t = messages({
  en: {
    notSavedOne: 'Not saved: check the setting marked below.',
    notSavedMany: 'Not saved: check the settings marked below.',
    saved: 'Saved.',
    title: 'CRM integration',
    intro: "Where this project's leads are delivered. Failed deliveries are retried by the policy below; every attempt shows on the lead's page.",
    connection: 'Connection',
    crmType: 'CRM type',
    choose: 'Choose…',
    enabled: 'Enabled',
    enabledHint: 'untick to keep leads here without sending them',
    required: ' (required)',
    storedPlaceholder: 'set (type to replace)',
    notSet: 'not set',
    stored: 'Stored; it is never shown again. Leave empty to keep it.',
    writeOnly: 'Write-only: it is never shown after saving.',
    where: 'Where to find it in {crm}',
    testConnection: 'Test connection',
    testedAt: 'checked {time}',
    changedSince: 'the settings changed since: test again',
    whenFails: 'When delivery fails',
    strategy: 'Retry strategy',
    fixed: 'Fixed: the same pause between attempts',
    exponential: 'Exponential: each pause doubles (with jitter)',
    noLimit: 'no limit',
    retryHint: "The default, like Roistat's, tries every 30 minutes (1800 s) for two days (96 attempts).",
    callBack: 'Call back',
    callbackHint: 'For forms with "Call back" on, leadrelay posts {body} here so your telephony can ring the client.',
    save: 'Save',
    unsaved: 'Unsaved changes',
  },
  ru: {
    notSavedOne: 'Не сохранено: проверьте отмеченную ниже настройку.',
    notSavedMany: 'Не сохранено: проверьте отмеченные ниже настройки.',
    saved: 'Сохранено.',
    title: 'Интеграция с CRM',
    intro: 'Куда доставляются заявки проекта. Неудачные отправки повторяются по правилам ниже; каждая попытка видна на странице заявки.',
    connection: 'Подключение',
    crmType: 'Тип CRM',
    choose: 'Выберите…',
    enabled: 'Включена',
    enabledHint: 'снимите, чтобы хранить заявки здесь, не отправляя',
    required: ' (обязательно)',
    storedPlaceholder: 'задан (введите, чтобы заменить)',
    notSet: 'не задан',
    stored: 'Сохранён; больше не показывается. Оставьте пустым, чтобы не менять.',
    writeOnly: 'Только для записи: после сохранения не показывается.',
    where: 'Где взять в {crm}',
    testConnection: 'Проверить подключение',
    testedAt: 'проверено {time}',
    changedSince: 'настройки изменились: проверьте снова',
    whenFails: 'Если доставка не удалась',
    strategy: 'Как повторять',
    fixed: 'Равномерно: одна и та же пауза между попытками',
    exponential: 'С нарастанием: каждая пауза вдвое длиннее (со случайным сдвигом)',
    noLimit: 'без ограничения',
    retryHint: 'По умолчанию, как в Roistat, — каждые 30 минут (1800 с) в течение двух дней (96 попыток).',
    callBack: 'Обратный звонок',
    callbackHint: 'Для форм с включённым «Обратным звонком» leadrelay отправляет сюда {body}, чтобы ваша телефония позвонила клиенту.',
    save: 'Сохранить',
    unsaved: 'Есть несохранённые изменения',
  },
});

export function IntegrationPage({ projectId }: { projectId: string }) {
  const [types, setTypes] = useState<IntegrationTypeInfo[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [formError, setFormError] = useState('');
  /** Problems by control (`settings.url`, `callbackUrl`), shown next to it. */
  const [controlErrors, setControlErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState('');
  /** The last test's result stays on screen (saving does not clear it), with when it ran and whether settings changed since. */
  const [test, setTest] = useState<{ ok: boolean; message: string; at: string; stale: boolean } | null>(null);
  const [busy, setBusy] = useState(false);
  const [dirty, setDirty] = useState(false);

  const load = async () => {
    try {
      const [typeList, integration] = await Promise.all([
        adminApi.integrationTypes(),
        // No integration yet is a 404: start from an empty draft.
        adminApi.getIntegration(projectId).catch((err: unknown) => {
          if (err instanceof ApiError && err.httpStatus === 404) return null;
          throw err;
        }),
      ]);
      setTypes(typeList);
      setDraft(draftFrom(integration?.type ? integration : null));
      setDirty(false);
    } catch (err) {
      setLoadError(err);
    }
  };
  useEffect(() => {
    void load();
  }, [projectId]);

  if (loadError) return <ErrorMessage error={loadError} />;
  if (!types || !draft) return <Loading />;

  const info = types.find((t) => t.type === draft.type);
  const update = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setDirty(true);
    if (test && !test.stale && ('type' in patch || 'settings' in patch)) setTest({ ...test, stale: true });
  };

  const save = async (): Promise<boolean> => {
    setFormError('');
    setControlErrors({});
    setNotice('');
    const result = integrationBody(draft, info);
    if ('error' in result) {
      if (result.control) {
        setControlErrors({ [result.control]: result.problem ?? result.error });
        setFormError(t('notSavedOne'));
      } else setFormError(result.error);
      return false;
    }
    setBusy(true);
    try {
      const saved = await adminApi.putIntegration(projectId, result.body);
      setDraft(draftFrom(saved?.type ? saved : result.body));
      setDirty(false);
      return true;
    } catch (err) {
      const { controls, rest } = err instanceof ApiError && err.httpStatus === 400 ? problemsByControl(err.message) : { controls: {}, rest: [errorText(err)] };
      setControlErrors(controls);
      setFormError([...(Object.keys(controls).length ? [t('notSavedMany')] : []), ...rest].join(' '));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const runTest = async () => {
    setTest(null);
    // The test uses the stored settings, so unsaved changes are saved first.
    if (dirty && !(await save())) return;
    setBusy(true);
    try {
      const result = await adminApi.testIntegration(projectId);
      setTest({ ...result, at: new Date().toISOString(), stale: false });
    } catch (err) {
      setTest({ ok: false, message: errorText(err), at: new Date().toISOString(), stale: false });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>{t('title')}</h1>
      <p class="muted">{t('intro')}</p>
      <form
        class="editor"
        noValidate
        onSubmit={async (ev) => {
          ev.preventDefault();
          if (await save()) setNotice(t('saved'));
        }}
      >
        {formError && (
          <p class="message message-error" role="alert">
            {formError}
          </p>
        )}
        {notice && <Notice onClose={() => setNotice('')}>{notice}</Notice>}
        <div class="card">
          <h2>{t('connection')}</h2>
          <div class="row">
            <label for="integration-type">{t('crmType')}</label>
            <select id="integration-type" value={draft.type} onChange={(e) => update({ type: e.currentTarget.value })}>
              <option value="">{t('choose')}</option>
              {types.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
          <div class="row check">
            <input id="integration-enabled" type="checkbox" checked={draft.enabled} onChange={(e) => update({ enabled: e.currentTarget.checked })} />
            <label for="integration-enabled">{t('enabled')}</label>
            <span class="hint">{t('enabledHint')}</span>
          </div>
          {info?.settings.map((name) => {
            const secret = info.secretSettings.includes(name);
            const stored = secret && hasStoredSecret(draft, name);
            const id = `setting-${name}`;
            const problem = controlErrors[`settings.${name}`];
            const describedBy = problem ? `${id}-hint ${id}-error` : `${id}-hint`;
            const help = settingHelpUrl(info.type, name);
            return (
              <div class="row" key={`${info.type}-${name}`}>
                <label for={id}>
                  {settingLabel(name)}
                  {info.requiredSettings.includes(name) && <span class="required-mark">{t('required')}</span>}
                </label>
                {secret ? (
                  <input
                    id={id}
                    name={name}
                    type="password"
                    autoComplete="new-password"
                    value={draft.settings[name] ?? ''}
                    placeholder={stored ? t('storedPlaceholder') : t('notSet')}
                    onInput={(e) => update({ settings: { ...draft.settings, [name]: e.currentTarget.value } })}
                    aria-describedby={describedBy}
                    aria-invalid={problem ? 'true' : undefined}
                  />
                ) : (
                  <input
                    id={id}
                    name={name}
                    type="text"
                    autoComplete="off"
                    value={draft.settings[name] ?? ''}
                    onInput={(e) => update({ settings: { ...draft.settings, [name]: e.currentTarget.value } })}
                    aria-describedby={describedBy}
                    aria-invalid={problem ? 'true' : undefined}
                    class="mono"
                  />
                )}
                {problem && (
                  <p class="field-error" id={`${id}-error`}>
                    {settingLabel(name)}: {problem}
                  </p>
                )}
                <p class="hint" id={`${id}-hint`}>
                  {settingExplanation(name)}
                  {secret && ` · ${stored ? t('stored') : t('writeOnly')}`}
                  {help && (
                    <>
                      {' · '}
                      <a href={help} target="_blank" rel="noopener noreferrer">
                        {t('where', { crm: info.label })}
                      </a>
                    </>
                  )}
                </p>
              </div>
            );
          })}
          {unsignedWebhookNotice(draft) && (
            <p class="message message-warning" role="note">
              {unsignedWebhookNotice(draft)}
            </p>
          )}
          <div class="form-actions">
            {can('owner') && (
              <button type="button" onClick={runTest} disabled={busy || !info}>
                {t('testConnection')}
              </button>
            )}
            {test && (
              <span class={test.ok ? 'status-ok' : 'status-bad'} role="status" id="integration-test-result">
                {test.ok ? '✓ ' : '✗ '}
                {test.message}
                <span class="muted"> · {test.stale ? t('changedSince') : t('testedAt', { time: formatTime(test.at) })}</span>
              </span>
            )}
          </div>
        </div>

        <div class="card">
          <h2>{t('whenFails')}</h2>
          <div class="row">
            <label for="retry-strategy">{t('strategy')}</label>
            <select id="retry-strategy" value={draft.strategy} onChange={(e) => update({ strategy: e.currentTarget.value === 'exponential' ? 'exponential' : 'fixed' })}>
              <option value="fixed">{t('fixed')}</option>
              <option value="exponential">{t('exponential')}</option>
            </select>
          </div>
          <div class="row-group">
            <div class="row">
              <label for="retry-base">{draftLabel('firstDelay')}</label>
              <input id="retry-base" type="number" min="1" value={draft.baseSeconds} onInput={(e) => update({ baseSeconds: e.currentTarget.value })} />
            </div>
            <div class="row">
              <label for="retry-max-attempts">{draftLabel('attempts')}</label>
              <input id="retry-max-attempts" type="number" min="1" step="1" value={draft.maxAttempts} onInput={(e) => update({ maxAttempts: e.currentTarget.value })} />
            </div>
            <div class="row">
              <label for="retry-max-age">{draftLabel('giveUp')}</label>
              <input id="retry-max-age" type="number" min="1" value={draft.maxAgeSeconds} placeholder={t('noLimit')} onInput={(e) => update({ maxAgeSeconds: e.currentTarget.value })} />
            </div>
          </div>
          <p class="hint">{t('retryHint')}</p>
        </div>

        <div class="card">
          <h2>{t('callBack')}</h2>
          <div class="row">
            <label for="callback-url">{draftLabel('callbackUrl')}</label>
            <input
              id="callback-url"
              type="url"
              value={draft.callbackUrl}
              placeholder="https://calls.example.com/hook"
              onInput={(e) => update({ callbackUrl: e.currentTarget.value })}
              aria-describedby={controlErrors.callbackUrl ? 'callback-url-hint callback-url-error' : 'callback-url-hint'}
              aria-invalid={controlErrors.callbackUrl ? 'true' : undefined}
            />
            {controlErrors.callbackUrl && (
              <p class="field-error" id="callback-url-error">
                {draftLabel('callbackUrl')}: {controlErrors.callbackUrl}
              </p>
            )}
            <p class="hint" id="callback-url-hint">
              {t('callbackHint', { body: '{leadId, phone}' })}
            </p>
          </div>
        </div>

        <div class="form-actions">
          {can('owner') && (
            <button type="submit" class="primary" disabled={busy}>
              {t('save')}
            </button>
          )}
          {dirty && <span class="muted">{t('unsaved')}</span>}
        </div>
      </form>
    </section>
  );
}
