// The project's CRM integration: its type and settings (secrets are write-only), a connection test,
// the retry policy and the call-back webhook.
import { useEffect, useState } from 'preact/hooks';
import type { RetryPolicy } from '../../../shared/schemas.ts';
import { ApiError, SECRET_MASK, adminApi, type IntegrationTypeInfo, type IntegrationView } from '../api.ts';
import { settingLabel } from '../lib/setting-labels.ts';
import { ErrorMessage, Loading, Notice, errorText } from '../ui.tsx';

/** SPEC §7's default (every 30 minutes for 2 days); copied, not imported, so zod stays out of the bundle. */
const DEFAULT_RETRY_POLICY: RetryPolicy = { strategy: 'fixed', baseSeconds: 1800, maxAttempts: 96 };

interface Draft {
  type: string;
  enabled: boolean;
  /** Typed values; for a stored secret, '' means "keep it". */
  settings: Record<string, string>;
  /** Secrets the server already holds (it answered with the mask). */
  storedSecrets: string[];
  strategy: RetryPolicy['strategy'];
  baseSeconds: string;
  maxAttempts: string;
  maxAgeSeconds: string;
  callbackUrl: string;
}

function draftFrom(integration: IntegrationView | null): Draft {
  const retry = integration?.retry ?? DEFAULT_RETRY_POLICY;
  const settings: Record<string, string> = {};
  const storedSecrets: string[] = [];
  for (const [k, v] of Object.entries(integration?.settings ?? {})) {
    if (v === SECRET_MASK) storedSecrets.push(k);
    else settings[k] = v;
  }
  return {
    type: integration?.type ?? '',
    enabled: integration?.enabled ?? true,
    settings,
    storedSecrets,
    strategy: retry.strategy,
    baseSeconds: String(retry.baseSeconds),
    maxAttempts: String(retry.maxAttempts),
    maxAgeSeconds: retry.maxAgeSeconds === undefined ? '' : String(retry.maxAgeSeconds),
    callbackUrl: integration?.callbackUrl ?? '',
  };
}

/** Builds the PUT body, or says which field is wrong. */
export function integrationBody(draft: Draft, info: IntegrationTypeInfo | undefined): { body: IntegrationView } | { error: string } {
  if (!draft.type || !info) return { error: 'CRM type: choose the CRM your leads go to.' };
  const settings: Record<string, string> = {};
  for (const name of info.settings) {
    const typed = (draft.settings[name] ?? '').trim();
    if (typed) settings[name] = typed;
    else if (info.secretSettings.includes(name) && draft.storedSecrets.includes(name)) settings[name] = SECRET_MASK;
    else if (info.requiredSettings.includes(name)) return { error: `${settingLabel(name)}: this setting is required for ${info.label}.` };
  }
  const num = (text: string, label: string, integer: boolean): number | string => {
    const n = Number(text);
    if (!text.trim() || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) return `${label}: enter a ${integer ? 'whole ' : ''}number above 0.`;
    return n;
  };
  const baseSeconds = num(draft.baseSeconds, 'First delay (seconds)', false);
  if (typeof baseSeconds === 'string') return { error: baseSeconds };
  const maxAttempts = num(draft.maxAttempts, 'Attempts at most', true);
  if (typeof maxAttempts === 'string') return { error: maxAttempts };
  const retry: RetryPolicy = { strategy: draft.strategy, baseSeconds, maxAttempts };
  if (draft.maxAgeSeconds.trim()) {
    const maxAge = num(draft.maxAgeSeconds, 'Give up after (seconds)', false);
    if (typeof maxAge === 'string') return { error: maxAge };
    retry.maxAgeSeconds = maxAge;
  }
  const callbackUrl = draft.callbackUrl.trim();
  if (callbackUrl && !/^https?:\/\/\S+$/i.test(callbackUrl)) return { error: 'Call-back URL: enter a full address starting with https://' };
  return { body: { type: draft.type, enabled: draft.enabled, settings, retry, callbackUrl } };
}

export function IntegrationPage({ projectId }: { projectId: string }) {
  const [types, setTypes] = useState<IntegrationTypeInfo[] | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [formError, setFormError] = useState('');
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
      setDraft(draftFrom(integration && integration.type ? integration : null));
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
    setNotice('');
    const result = integrationBody(draft, info);
    if ('error' in result) {
      setFormError(result.error);
      return false;
    }
    setBusy(true);
    try {
      const saved = await adminApi.putIntegration(projectId, result.body);
      setDraft(draftFrom(saved && saved.type ? saved : result.body));
      setDirty(false);
      return true;
    } catch (err) {
      setFormError(errorText(err));
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
            const stored = secret && draft.storedSecrets.includes(name);
            const id = `setting-${name}`;
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
                    aria-describedby={`${id}-hint`}
                  />
                ) : (
                  <input
                    id={id}
                    name={name}
                    type="text"
                    autoComplete="off"
                    value={draft.settings[name] ?? ''}
                    onInput={(e) => update({ settings: { ...draft.settings, [name]: e.currentTarget.value } })}
                    aria-describedby={`${id}-hint`}
                    class="mono"
                  />
                )}
                <p class="hint" id={`${id}-hint`}>
                  <code>{name}</code>
                  {secret && (stored ? ' · stored; it is never shown again. Leave empty to keep it.' : ' · write-only: it is never shown after saving.')}
                </p>
              </div>
            );
          })}
          <div class="form-actions">
            <button type="button" onClick={runTest} disabled={busy || !info}>
              Test connection
            </button>
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
              aria-describedby="callback-url-hint"
            />
            <p class="hint" id="callback-url-hint">
              For forms with "Call back" on, leadrelay posts <code>{'{leadId, phone}'}</code> here so your telephony can ring the client.
            </p>
          </div>
        </div>

        <div class="form-actions">
          <button type="submit" class="primary" disabled={busy}>
            Save
          </button>
          {dirty && <span class="muted">Unsaved changes</span>}
        </div>
      </form>
    </section>
  );
}
