// The integration page's "Connection" card: the CRM type, on/off, the type's settings, the warning for an
// unsigned webhook, and the connection test.
import type { ComponentChildren } from 'preact';
import type { IntegrationTypeInfo } from '../api.ts';
import { messages } from '../lib/i18n.ts';
import type { Draft } from '../lib/integration-draft.ts';
import { unsignedWebhookNotice } from '../lib/webhook-signing.ts';
import { SettingRow } from './integration-setting.tsx';

const t = messages({
  en: {
    connection: 'Connection',
    crmType: 'CRM type',
    choose: 'Choose…',
    enabled: 'Enabled',
    enabledHint: 'untick to keep leads here without sending them',
  },
  ru: {
    connection: 'Подключение',
    crmType: 'Тип CRM',
    choose: 'Выберите…',
    enabled: 'Включена',
    enabledHint: 'снимите, чтобы хранить заявки здесь, не отправляя',
  },
});

export function ConnectionCard(props: {
  types: IntegrationTypeInfo[];
  /** The chosen type's description, if a type is chosen. */
  info: IntegrationTypeInfo | undefined;
  draft: Draft;
  update: (patch: Partial<Draft>) => void;
  /** Problems by control (`settings.url`), shown next to it. */
  controlErrors: Record<string, string>;
  /** The connection test, at the card's foot. */
  children: ComponentChildren;
}) {
  const { types, info, draft, update, controlErrors } = props;
  return (
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
      {info?.settings.map((name) => (
        <SettingRow
          key={`${info.type}-${name}`}
          info={info}
          name={name}
          draft={draft}
          problem={controlErrors[`settings.${name}`]}
          onInput={(value) => update({ settings: { ...draft.settings, [name]: value } })}
        />
      ))}
      {unsignedWebhookNotice(draft) && (
        <p class="message message-warning" role="note">
          {unsignedWebhookNotice(draft)}
        </p>
      )}
      {props.children}
    </div>
  );
}
