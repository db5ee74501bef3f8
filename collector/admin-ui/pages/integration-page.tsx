// The project's CRM integration: its type and settings (secrets are write-only), a connection test,
// the retry policy and the call-back webhook.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, adminApi, type IntegrationTypeInfo } from '../api.ts';
import { draftFrom, hasStoredSecret, integrationBody, problemsByControl, type Draft } from '../lib/integration-draft.ts';
import { settingLabel } from '../lib/setting-labels.ts';
import { unsignedWebhookNotice } from '../lib/webhook-signing.ts';
import { ErrorMessage, Loading, Notice, errorText } from '../ui.tsx';
import { can } from '../lib/access.ts';

export function IntegrationPage({ projectId }: { projectId: string }) {
  const [types, setTypes] = useState<IntegrationTypeInfo[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [formError, setFormError] = useState('');
  /** Problems by control (`settings.url`, `callbackUrl`), shown next to it. */
  const [controlErrors, setControlErrors] = useState<Record<string, string>>({});
  const [notice, setNotice] = useState('');
  const [test, setTest] = useState<{ ok: boolean; message: string } | null>(null);
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
  };

  const save = async (): Promise<boolean> => {
    setFormError('');
    setControlErrors({});
    setNotice('');
    const result = integrationBody(draft, info);
    if ('error' in result) {
      if (result.control) {
        setControlErrors({ [result.control]: result.problem ?? result.error });
        setFormError('Not saved: check the setting marked below.');
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
      setFormError([...(Object.keys(controls).length ? ['Not saved: check the settings marked below.'] : []), ...rest].join(' '));
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
      setTest(await adminApi.testIntegration(projectId));
    } catch (err) {
      setTest({ ok: false, message: errorText(err) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section>
      <h1>CRM integration</h1>
      <p class="muted">Where this project's leads are delivered. Failed deliveries are retried by the policy below; every attempt shows on the lead's page.</p>
      <form
        class="editor"
        noValidate
        onSubmit={async (ev) => {
          ev.preventDefault();
          if (await save()) setNotice('Saved.');
        }}
      >
        {formError && (
          <p class="message message-error" role="alert">
            {formError}
          </p>
        )}
        {notice && <Notice onClose={() => setNotice('')}>{notice}</Notice>}
        <div class="card">
          <h2>Connection</h2>
          <div class="row">
            <label for="integration-type">CRM type</label>
            <select id="integration-type" value={draft.type} onChange={(e) => update({ type: e.currentTarget.value })}>
              <option value="">Choose…</option>
              {types.map((t) => (
                <option key={t.type} value={t.type}>
                  {t.label}
                </option>
              ))}
            </select>
          </div>
          <div class="row check">
            <input id="integration-enabled" type="checkbox" checked={draft.enabled} onChange={(e) => update({ enabled: e.currentTarget.checked })} />
            <label for="integration-enabled">Enabled</label>
            <span class="hint">untick to keep leads here without sending them</span>
          </div>
          {info?.settings.map((name) => {
            const secret = info.secretSettings.includes(name);
            const stored = secret && hasStoredSecret(draft, name);
            const id = `setting-${name}`;
            const problem = controlErrors[`settings.${name}`];
            const describedBy = problem ? `${id}-hint ${id}-error` : `${id}-hint`;
            return (
              <div class="row" key={`${info.type}-${name}`}>
                <label for={id}>
                  {settingLabel(name)}
                  {info.requiredSettings.includes(name) && <span class="required-mark"> (required)</span>}
                </label>
                {secret ? (
                  <input
                    id={id}
                    name={name}
                    type="password"
                    autoComplete="new-password"
                    value={draft.settings[name] ?? ''}
                    placeholder={stored ? 'set (type to replace)' : 'not set'}
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
                  <code>{name}</code>
                  {secret && (stored ? ' · stored; it is never shown again. Leave empty to keep it.' : ' · write-only: it is never shown after saving.')}
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
                Test connection
              </button>
            )}
            {test && (
              <span class={test.ok ? 'status-ok' : 'status-bad'} role="status">
                {test.ok ? '✓ ' : '✗ '}
                {test.message}
              </span>
            )}
          </div>
        </div>

        <div class="card">
          <h2>When delivery fails</h2>
          <div class="row">
            <label for="retry-strategy">Retry strategy</label>
            <select id="retry-strategy" value={draft.strategy} onChange={(e) => update({ strategy: e.currentTarget.value === 'exponential' ? 'exponential' : 'fixed' })}>
              <option value="fixed">Fixed: the same pause between attempts</option>
              <option value="exponential">Exponential: each pause doubles (with jitter)</option>
            </select>
          </div>
          <div class="row-group">
            <div class="row">
              <label for="retry-base">First delay (seconds)</label>
              <input id="retry-base" type="number" min="1" value={draft.baseSeconds} onInput={(e) => update({ baseSeconds: e.currentTarget.value })} />
            </div>
            <div class="row">
              <label for="retry-max-attempts">Attempts at most</label>
              <input id="retry-max-attempts" type="number" min="1" step="1" value={draft.maxAttempts} onInput={(e) => update({ maxAttempts: e.currentTarget.value })} />
            </div>
            <div class="row">
              <label for="retry-max-age">Give up after (seconds)</label>
              <input id="retry-max-age" type="number" min="1" value={draft.maxAgeSeconds} placeholder="no limit" onInput={(e) => update({ maxAgeSeconds: e.currentTarget.value })} />
            </div>
          </div>
          <p class="hint">The default, like Roistat's, tries every 30 minutes (1800 s) for two days (96 attempts).</p>
        </div>

        <div class="card">
          <h2>Call back</h2>
          <div class="row">
            <label for="callback-url">Call-back URL</label>
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
                Call-back URL: {controlErrors.callbackUrl}
              </p>
            )}
            <p class="hint" id="callback-url-hint">
              For forms with "Call back" on, leadrelay posts <code>{'{leadId, phone}'}</code> here so your telephony can ring the client.
            </p>
          </div>
        </div>

        <div class="form-actions">
          {can('owner') && (
            <button type="submit" class="primary" disabled={busy}>
              Save
            </button>
          )}
          {dirty && <span class="muted">Unsaved changes</span>}
        </div>
      </form>
    </section>
  );
}
