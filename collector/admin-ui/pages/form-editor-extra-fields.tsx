// The form editor's "Extra CRM fields" card: more fields of the CRM deal, each a CRM field key (picked from the
// CRM's own list when it gives one) and where its value comes from.
import { useEffect, useState } from 'preact/hooks';
import { adminApi, type CrmFieldInfo } from '../api.ts';
import { emptyRule, extraFieldLabel, type EditorErrors, type ExtraFieldState } from '../lib/form-editor-state.ts';
import { messages } from '../lib/i18n.ts';
import { errorText } from '../ui.tsx';
import { RuleFieldset } from './form-editor-rule.tsx';

const t = messages({
  en: {
    crmNoFields: 'The CRM lists no fields; type the field key.',
    crmFieldsFailed: "The CRM's field list could not be loaded ({reason}); type the field key.",
    extraFields: 'Extra CRM fields',
    extraFieldsHint:
      "Fill more fields of the CRM deal: pick a field from your CRM's list (or type its key, e.g. utm_source or 1276733) and say where its value comes from.",
    addField: 'Add field',
  },
  ru: {
    crmNoFields: 'CRM не вернула список полей; введите ключ поля.',
    crmFieldsFailed: 'Не удалось загрузить список полей CRM ({reason}); введите ключ поля.',
    extraFields: 'Дополнительные поля CRM',
    extraFieldsHint:
      'Заполните другие поля сделки в CRM: выберите поле из списка вашей CRM (или введите его ключ, например utm_source или 1276733) и укажите, откуда берётся значение.',
    addField: 'Добавить поле',
  },
});

/** The CRM's field list for the key inputs, and a note when it is empty or could not be loaded. */
export function useCrmFields(projectId: string): { crmFields: CrmFieldInfo[]; crmFieldsNote: string } {
  const [crmFields, setCrmFields] = useState<CrmFieldInfo[]>([]);
  const [crmFieldsNote, setCrmFieldsNote] = useState('');
  useEffect(() => {
    adminApi.crmFields(projectId).then(
      (items) => {
        setCrmFields(items);
        setCrmFieldsNote(items.length ? '' : t('crmNoFields'));
      },
      (err) => setCrmFieldsNote(t('crmFieldsFailed', { reason: errorText(err) })),
    );
  }, [projectId]);
  return { crmFields, crmFieldsNote };
}

export function ExtraFieldsCard(props: {
  extraFields: ExtraFieldState[];
  errors: EditorErrors;
  crm: { crmFields: CrmFieldInfo[]; crmFieldsNote: string };
  onChange: (extraFields: ExtraFieldState[]) => void;
  onFocusValue: (index: number, el: HTMLInputElement | HTMLTextAreaElement) => void;
}) {
  const { extraFields, errors } = props;
  const { crmFields, crmFieldsNote } = props.crm;
  const updateExtra = (index: number, patch: Partial<ExtraFieldState>) => props.onChange(extraFields.map((f, i) => (i === index ? { ...f, ...patch } : f)));
  return (
    <div class="card">
      <h2>{t('extraFields')}</h2>
      <p class="hint">{t('extraFieldsHint')}</p>
      {crmFieldsNote && <p class="hint">{crmFieldsNote}</p>}
      <datalist id="crm-fields">
        {crmFields.map((f) => (
          <option key={f.key} value={f.key}>
            {f.label}
          </option>
        ))}
      </datalist>
      {extraFields.map((field, i) => (
        <RuleFieldset
          key={i}
          idPrefix={`extra-${i}`}
          legend={extraFieldLabel(i)}
          rule={field}
          example="{utmSource}"
          error={errors[`extraFields.${i}.value`]}
          onChange={(patch) => updateExtra(i, patch)}
          onFocusValue={(el) => props.onFocusValue(i, el)}
          onRemove={() => props.onChange(extraFields.filter((_, j) => j !== i))}
          keyInput={{
            value: field.key,
            error: errors[`extraFields.${i}.key`],
            label: crmFields.find((f) => f.key === field.key)?.label,
            onChange: (key) => updateExtra(i, { key }),
          }}
        />
      ))}
      <button type="button" onClick={() => props.onChange([...extraFields, { key: '', ...emptyRule(), source: 'static' }])}>
        {t('addField')}
      </button>
    </div>
  );
}
