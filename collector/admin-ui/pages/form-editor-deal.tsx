// The form editor's "The deal" card: the deal's title (with the variables helper), whether leads go to the CRM,
// and whether the call-back service rings the client.
import type { Ref } from 'preact';
import type { EditorErrors, EditorState } from '../lib/form-editor-state.ts';
import { messages } from '../lib/i18n.ts';
import { FieldError } from './form-editor-rule.tsx';
import { VariablesHelper } from './form-editor-variables.tsx';

const t = messages({
  en: {
    theDeal: 'The deal',
    title: 'Title',
    titlePlaceholder: 'Request from the contact form {utmSource}',
    titleHint: "The deal's name in the CRM. Click a variable below to insert it where the cursor is.",
    sendToCrm: 'Send to CRM',
    sendToCrmHint: 'untick to only store the leads here (they show as "Do not send")',
    callBack: 'Call back',
    callBackHint: "ask the call-back service to ring the client's phone",
  },
  ru: {
    theDeal: 'Сделка',
    title: 'Название',
    titlePlaceholder: 'Заявка с формы обратной связи {utmSource}',
    titleHint: 'Название сделки в CRM. Нажмите на переменную ниже, чтобы вставить её на место курсора.',
    sendToCrm: 'Отправлять в CRM',
    sendToCrmHint: 'снимите, чтобы только хранить заявки здесь (они будут «Не отправлять»)',
    callBack: 'Обратный звонок',
    callBackHint: 'попросить сервис обратного звонка позвонить клиенту',
  },
});

export function DealCard(props: {
  state: EditorState;
  errors: EditorErrors;
  update: (patch: Partial<EditorState>) => void;
  describe: (id: string, key: string) => string;
  titleRef: Ref<HTMLInputElement>;
  onTitleFocus: () => void;
  onPickVariable: (name: string) => void;
}) {
  const { state, errors, update, describe } = props;
  return (
    <div class="card">
      <h2>{t('theDeal')}</h2>
      <div class="row">
        <label for="form-title">{t('title')}</label>
        <input
          id="form-title"
          ref={props.titleRef}
          value={state.title}
          onInput={(e) => update({ title: e.currentTarget.value })}
          onFocus={props.onTitleFocus}
          placeholder={t('titlePlaceholder')}
          aria-invalid={errors.title ? 'true' : undefined}
          aria-describedby={describe('form-title', 'title')}
        />
        <p class="hint" id="form-title-hint">
          {t('titleHint')}
        </p>
        <FieldError id="form-title-error" message={errors.title} />
        <VariablesHelper onPick={props.onPickVariable} />
      </div>
      <div class="row check">
        <input id="form-send-to-crm" type="checkbox" checked={state.sendToCrm} onChange={(e) => update({ sendToCrm: e.currentTarget.checked })} />
        <label for="form-send-to-crm">{t('sendToCrm')}</label>
        <span class="hint">{t('sendToCrmHint')}</span>
      </div>
      <div class="row check">
        <input id="form-callback" type="checkbox" checked={state.callback} onChange={(e) => update({ callback: e.currentTarget.checked })} />
        <label for="form-callback">{t('callBack')}</label>
        <span class="hint">{t('callBackHint')}</span>
      </div>
    </div>
  );
}
