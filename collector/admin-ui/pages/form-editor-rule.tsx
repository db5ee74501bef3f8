// One rule of the form editor (docs/http-api.md "Form config"): where a lead field's or an extra CRM field's value
// comes from (Source, Value, Required), with the message of a value the editor refused.
import type { RuleSource, RuleState } from '../lib/form-editor-state.ts';
import { RULE_SOURCES, sourceLabel } from '../lib/form-editor-state.ts';
import { messages } from '../lib/i18n.ts';

const t = messages({
  en: {
    placeholderField: 'name attribute, e.g. {example}',
    placeholderStatic: 'text, e.g. Promo page {utmSource}',
    crmField: 'CRM field',
    crmFieldPlaceholder: 'pick or type a field key',
    source: 'Source',
    value: 'Value',
    required: 'Required',
    remove: 'Remove',
    removeLabel: 'Remove {name}',
  },
  ru: {
    placeholderField: 'атрибут name, например {example}',
    placeholderStatic: 'текст, например Промо-страница {utmSource}',
    crmField: 'Поле CRM',
    crmFieldPlaceholder: 'выберите или введите ключ поля',
    source: 'Источник',
    value: 'Значение',
    required: 'Обязательное',
    remove: 'Удалить',
    removeLabel: 'Удалить: {name}',
  },
});

/** A control's message from the last "Save", under it (its id is in the control's aria-describedby). */
export function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={id}>
      {message}
    </p>
  );
}

const VALUE_PLACEHOLDER: Record<RuleSource, (example: string) => string> = {
  field: (example) => t('placeholderField', { example }),
  static: () => t('placeholderStatic'),
  js: () => "return document.querySelector('.phone').value",
};

export function RuleFieldset(props: {
  idPrefix: string;
  legend: string;
  rule: RuleState;
  example: string;
  error: string | undefined;
  onChange: (patch: Partial<RuleState>) => void;
  onFocusValue: (el: HTMLInputElement | HTMLTextAreaElement) => void;
  onRemove?: () => void;
  keyInput?: { value: string; error: string | undefined; label: string | undefined; onChange: (key: string) => void };
}) {
  const { idPrefix: id, rule, keyInput } = props;
  const valueProps = {
    id: `${id}-value`,
    value: rule.value,
    class: rule.source === 'js' ? 'mono' : '',
    placeholder: VALUE_PLACEHOLDER[rule.source](props.example),
    'aria-invalid': props.error ? ('true' as const) : undefined,
    'aria-describedby': props.error ? `${id}-error` : undefined,
    onInput: (e: Event) => props.onChange({ value: (e.currentTarget as HTMLInputElement).value }),
    onFocus: (e: FocusEvent) => props.onFocusValue(e.currentTarget as HTMLInputElement),
  };
  return (
    <fieldset class={keyInput ? 'rule extra' : 'rule'}>
      <legend>{props.legend}</legend>
      {keyInput && (
        <div class="row">
          <label for={`${id}-key`}>{t('crmField')}</label>
          <input
            id={`${id}-key`}
            list="crm-fields"
            value={keyInput.value}
            onInput={(e) => keyInput.onChange(e.currentTarget.value)}
            aria-invalid={keyInput.error ? 'true' : undefined}
            aria-describedby={keyInput.error ? `${id}-key-error` : undefined}
            placeholder={t('crmFieldPlaceholder')}
            class="mono"
          />
          {keyInput.label && <span class="hint">{keyInput.label}</span>}
          <FieldError id={`${id}-key-error`} message={keyInput.error} />
        </div>
      )}
      <div class="row">
        <label for={`${id}-source`}>{t('source')}</label>
        <select id={`${id}-source`} value={rule.source} onChange={(e) => props.onChange({ source: e.currentTarget.value as RuleSource })}>
          {RULE_SOURCES.map((s) => (
            <option key={s} value={s}>
              {sourceLabel(s)}
            </option>
          ))}
        </select>
      </div>
      <div class="row">
        <label for={`${id}-value`}>{t('value')}</label>
        {rule.source === 'js' ? <textarea rows={2} {...valueProps} /> : <input {...valueProps} />}
      </div>
      <div class="row check">
        <input id={`${id}-required`} type="checkbox" checked={rule.required} onChange={(e) => props.onChange({ required: e.currentTarget.checked })} />
        <label for={`${id}-required`}>{t('required')}</label>
      </div>
      <FieldError id={`${id}-error`} message={props.error} />
      {props.onRemove && (
        <button type="button" class="link-button danger" onClick={props.onRemove} aria-label={t('removeLabel', { name: props.legend.toLowerCase() })}>
          {t('remove')}
        </button>
      )}
    </fieldset>
  );
}
