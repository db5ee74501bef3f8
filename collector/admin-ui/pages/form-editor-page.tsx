// The form editor: every setting of a form config (docs/http-api.md "Form config"), laid out in the order a marketer
// thinks about it: what to catch, what the deal is called, which fields fill the lead, extra CRM fields, when to send.
// Each card is a module of its own (form-editor-*.tsx, send-when.tsx); this page holds the state and saves it.
import { useEffect, useState } from 'preact/hooks';
import type { LeadFieldName } from '../../../shared/form-config.ts';
import { adminApi } from '../api.ts';
import { editorStateFrom, toFormConfig, type EditorErrors, type EditorState, type RuleState } from '../lib/form-editor-state.ts';
import { draftFromSearch } from '../lib/form-draft.ts';
import { messages } from '../lib/i18n.ts';
import { paths } from '../lib/routes.ts';
import { can } from '../lib/access.ts';
import { SendWhen } from './send-when.tsx';
import { CatchCard } from './form-editor-catch.tsx';
import { DealCard } from './form-editor-deal.tsx';
import { ExtraFieldsCard, useCrmFields } from './form-editor-extra-fields.tsx';
import { LeadFieldsCard, useJsRulesOff } from './form-editor-lead-fields.tsx';
import { useVariableInsert } from './form-editor-variables.tsx';
import { ErrorMessage, Link, Loading, errorText, navigate } from '../ui.tsx';

const t = messages({
  en: {
    newForm: 'New form',
    editForm: 'Edit form',
    notSaved: 'The form was not saved:',
    save: 'Save',
    cancel: 'Cancel',
    draftUsed: 'Pre-filled from the link you followed: check every setting, then save.',
    draftBad: 'The link you followed carried a form draft that could not be read, so the editor starts empty.',
  },
  ru: {
    newForm: 'Новая форма',
    editForm: 'Изменить форму',
    notSaved: 'Форма не сохранена:',
    save: 'Сохранить',
    cancel: 'Отмена',
    draftUsed: 'Заполнено по ссылке, по которой вы пришли: проверьте все настройки и сохраните.',
    draftBad: 'Черновик формы в ссылке не удалось прочитать, поэтому редактор открыт пустым.',
  },
});

function isValidSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

/** A new form's first state: empty, or pre-filled from a `?draft=` link (lib/form-draft.ts). */
function newFormStart(): { state: EditorState; note: string } {
  const { draft, bad } = draftFromSearch(location.search);
  if (!draft) return { state: editorStateFrom(), note: bad ? t('draftBad') : '' };
  return { state: editorStateFrom({ selector: '', ...draft }), note: t('draftUsed') };
}

export function FormEditorPage({ projectId, formId }: { projectId: string; formId: string | null }) {
  const [start] = useState(() => (formId === null ? newFormStart() : null));
  const [state, setState] = useState<EditorState | null>(start ? start.state : null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [errors, setErrors] = useState<EditorErrors>({});
  const [saveError, setSaveError] = useState('');
  const [saving, setSaving] = useState(false);
  const variables = useVariableInsert();

  useEffect(() => {
    if (formId === null) return;
    adminApi.getForm(projectId, formId).then((f) => setState(editorStateFrom(f)), setLoadError);
  }, [projectId, formId]);

  const jsRulesOff = useJsRulesOff(projectId);
  const crm = useCrmFields(projectId);

  if (loadError) return <ErrorMessage error={loadError} />;
  if (!state) return <Loading />;

  const update = (patch: Partial<EditorState>) => {
    setState({ ...state, ...patch });
    // A field's message goes away once it is edited; the rest stay until the next "Save".
    const touched = Object.keys(patch).map((k) => (k === 'sitesText' || k === 'excludeSites' ? 'sites' : k));
    if (touched.some((k) => errors[k])) setErrors(Object.fromEntries(Object.entries(errors).filter(([k]) => !touched.includes(k))));
  };
  const updateField = (name: LeadFieldName, patch: Partial<RuleState>) =>
    setState({ ...state, fields: { ...state.fields, [name]: { ...state.fields[name], ...patch } } });
  const updateExtra = (index: number, patch: Partial<EditorState['extraFields'][number]>) =>
    setState({ ...state, extraFields: state.extraFields.map((f, i) => (i === index ? { ...f, ...patch } : f)) });

  const save = async (ev: Event) => {
    ev.preventDefault();
    setSaveError('');
    const result = toFormConfig(state, isValidSelector);
    if (result.errors) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    setSaving(true);
    try {
      if (formId === null) await adminApi.createForm(projectId, result.config);
      else await adminApi.replaceForm(projectId, formId, result.config);
      navigate(paths.section(projectId, 'forms'));
    } catch (err) {
      setSaveError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  const describe = (id: string, key: string) => (errors[key] ? `${id}-hint ${id}-error` : `${id}-hint`);

  return (
    <section>
      <h1>{formId === null ? t('newForm') : t('editForm')}</h1>
      {start?.note && (
        <p class="message message-warn draft-note" role="status">
          {start.note}
        </p>
      )}
      <form class="editor" onSubmit={save} noValidate>
        <NotSaved errors={errors} saveError={saveError} />
        <CatchCard state={state} errors={errors} update={update} describe={describe} />
        <DealCard
          state={state}
          errors={errors}
          update={update}
          describe={describe}
          titleRef={variables.titleRef}
          onTitleFocus={variables.focusTitle}
          onPickVariable={(name) => variables.insert(name, (title) => update({ title }))}
        />
        <LeadFieldsCard
          fields={state.fields}
          errors={errors}
          jsRulesOff={jsRulesOff}
          onChange={updateField}
          onFocusValue={(name, el) => variables.focusValue(el, (value) => updateField(name, { value }))}
        />
        <ExtraFieldsCard
          extraFields={state.extraFields}
          errors={errors}
          crm={crm}
          onChange={(extraFields) => setState({ ...state, extraFields })}
          onFocusValue={(i, el) => variables.focusValue(el, (value) => updateExtra(i, { value }))}
        />
        <SendWhen state={state.sendWhen} error={errors.confirm} onChange={(patch) => update({ sendWhen: { ...state.sendWhen, ...patch } })} />

        <div class="form-actions">
          {can('marketer') && (
            <button type="submit" class="primary" disabled={saving}>
              {t('save')}
            </button>
          )}
          <Link href={paths.section(projectId, 'forms')} class="button">
            {t('cancel')}
          </Link>
        </div>
      </form>
    </section>
  );
}

/**
 * Why the last "Save" did not save: every message of the editor's check, and the server's refusal. Always this
 * component, even when it shows nothing, so its appearing never makes Preact re-match the cards after it (the
 * focus stays on "Save").
 */
function NotSaved({ errors, saveError }: { errors: EditorErrors; saveError: string }) {
  const errorList = Object.values(errors);
  if (errorList.length === 0 && !saveError) return null;
  return (
    <div class="message message-error" role="alert">
      <p>{t('notSaved')}</p>
      <ul>
        {errorList.map((e) => (
          <li key={e}>{e}</li>
        ))}
        {saveError && <li>{saveError}</li>}
      </ul>
    </div>
  );
}
