// The form editor's "Lead fields" card, the field mapping: for name, phone, email and comment, where the value
// comes from. Says so when the project's JavaScript rules are switched off (Install page).
import { useEffect, useState } from 'preact/hooks';
import type { LeadFieldName } from '../../../shared/form-config.ts';
import { adminApi } from '../api.ts';
import { LEAD_FIELDS, type EditorErrors, type EditorState, type RuleState } from '../lib/form-editor-state.ts';
import { messages } from '../lib/i18n.ts';
import { RuleFieldset } from './form-editor-rule.tsx';

const t = messages({
  en: {
    leadFields: 'Lead fields',
    leadFieldsHint:
      "For each field say where its value comes from. Form field: the name attribute of the input, e.g. phone for <input name=\"phone\">. Fixed text: the text as written, variables allowed; a single space sends an empty value. JavaScript: code that returns the value, e.g. return document.querySelector('.phone').value. A required field left empty by the visitor makes no lead.",
    jsOff: 'JavaScript rules are switched off for this project (Install page): sites get no JavaScript rule of this form, so those fields arrive empty.',
  },
  ru: {
    leadFields: 'Поля заявки',
    leadFieldsHint:
      "Для каждого поля укажите, откуда берётся значение. Поле формы: атрибут name поля ввода, например phone для <input name=\"phone\">. Текст: текст как есть, можно с переменными; один пробел отправляет пустое значение. JavaScript: код, который возвращает значение, например return document.querySelector('.phone').value. Если посетитель оставил обязательное поле пустым, заявки не будет.",
    jsOff: 'JavaScript-правила выключены для этого проекта (страница «Установка»): сайты не получают JavaScript-правил этой формы, эти поля приходят пустыми.',
  },
});

/** Whether JavaScript rules are switched off for the project (Install page); false until known, or if unknown. */
export function useJsRulesOff(projectId: string): boolean {
  const [jsRulesOff, setJsRulesOff] = useState(false);
  useEffect(() => {
    adminApi.getProject(projectId).then(
      (p) => setJsRulesOff(p.jsRules === false),
      () => setJsRulesOff(false),
    );
  }, [projectId]);
  return jsRulesOff;
}

export function LeadFieldsCard(props: {
  fields: EditorState['fields'];
  errors: EditorErrors;
  jsRulesOff: boolean;
  onChange: (name: LeadFieldName, patch: Partial<RuleState>) => void;
  onFocusValue: (name: LeadFieldName, el: HTMLInputElement | HTMLTextAreaElement) => void;
}) {
  return (
    <div class="card">
      <h2>{t('leadFields')}</h2>
      <p class="hint">{t('leadFieldsHint')}</p>
      {props.jsRulesOff && (
        <p class="message message-warn" role="note" id="js-rules-off">
          {t('jsOff')}
        </p>
      )}
      <div class="field-grid">
        {LEAD_FIELDS.map(({ name, legend, example }) => (
          <RuleFieldset
            key={name}
            idPrefix={`field-${name}`}
            legend={legend()}
            rule={props.fields[name]}
            example={example}
            error={props.errors[`fields.${name}`]}
            onChange={(patch) => props.onChange(name, patch)}
            onFocusValue={(el) => props.onFocusValue(name, el)}
          />
        ))}
      </div>
    </div>
  );
}
