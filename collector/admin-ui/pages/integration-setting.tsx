// One setting of the chosen CRM on the integration page: its label (marked when required), its input (a secret is
// write-only: a password box that never shows what is stored), its problem from the last save, and its help.
import type { IntegrationTypeInfo } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import { hasStoredSecret, type Draft } from '../lib/integration-draft.ts';
import { settingExplanation, settingHelpUrl, settingLabel } from '../lib/setting-labels.ts';

const t = messages({
  en: {
    required: ' (required)',
    storedPlaceholder: 'set (type to replace)',
    notSet: 'not set',
    stored: 'Stored; it is never shown again. Leave empty to keep it.',
    writeOnly: 'Write-only: it is never shown after saving.',
    where: 'Where to find it in {crm}',
  },
  ru: {
    required: ' (обязательно)',
    storedPlaceholder: 'задан (введите, чтобы заменить)',
    notSet: 'не задан',
    stored: 'Сохранён; больше не показывается. Оставьте пустым, чтобы не менять.',
    writeOnly: 'Только для записи: после сохранения не показывается.',
    where: 'Где взять в {crm}',
  },
});

export function SettingRow({
  info,
  name,
  draft,
  problem,
  onInput,
}: {
  info: IntegrationTypeInfo;
  name: string;
  draft: Draft;
  /** The server's or the check's problem with this setting, from the last save. */
  problem: string | undefined;
  onInput: (value: string) => void;
}) {
  const secret = info.secretSettings.includes(name);
  const stored = secret && hasStoredSecret(draft, name);
  const id = `setting-${name}`;
  const describedBy = problem ? `${id}-hint ${id}-error` : `${id}-hint`;
  const help = settingHelpUrl(info.type, name);
  return (
    <div class="row">
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
          onInput={(e) => onInput(e.currentTarget.value)}
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
          onInput={(e) => onInput(e.currentTarget.value)}
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
}
