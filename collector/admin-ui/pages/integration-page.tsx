// The project's CRM integration: its type and settings (secrets are write-only), a connection test,
// the retry policy and the call-back webhook. The cards are modules of their own (integration-*.tsx); this page
// loads the integration, keeps the draft and saves it.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, adminApi, type IntegrationTypeInfo } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import { draftFrom, integrationBody, problemsByControl, type Draft } from '../lib/integration-draft.ts';
import { ErrorMessage, Loading, Notice, errorText } from '../ui.tsx';
import { can } from '../lib/access.ts';
import { ConnectionCard } from './integration-connection.tsx';
import { CallbackCard, RetryCard } from './integration-delivery.tsx';
import { TestPanel, type TestResult } from './integration-test.tsx';

const t = messages({
  en: {
    notSavedOne: 'Not saved: check the setting marked below.',
    notSavedMany: 'Not saved: check the settings marked below.',
    saved: 'Saved.',
    title: 'CRM integration',
    intro: "Where this project's leads are delivered. Failed deliveries are retried by the policy below; every attempt shows on the lead's page.",
    save: 'Save',
    unsaved: 'Unsaved changes',
  },
  ru: {
    notSavedOne: 'Не сохранено: проверьте отмеченную ниже настройку.',
    notSavedMany: 'Не сохранено: проверьте отмеченные ниже настройки.',
    saved: 'Сохранено.',
    title: 'Интеграция с CRM',
    intro: 'Куда доставляются заявки проекта. Неудачные отправки повторяются по правилам ниже; каждая попытка видна на странице заявки.',
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
  const [test, setTest] = useState<TestResult | null>(null);
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
        <ConnectionCard types={types} info={info} draft={draft} update={update} controlErrors={controlErrors}>
          <TestPanel test={test} disabled={busy || !info} onTest={runTest} />
        </ConnectionCard>
        <RetryCard draft={draft} update={update} />
        <CallbackCard draft={draft} problem={controlErrors.callbackUrl} update={update} />

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
