// The form editor: every setting of a form config (docs/http-api.md "Form config"), laid out in the order a marketer
// thinks about it: what to catch, what the deal is called, which fields fill the lead, extra CRM fields.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LeadFieldName } from '../../../shared/form-config.ts';
import { adminApi, type CrmFieldInfo } from '../api.ts';
import {
  LEAD_FIELDS,
  RULE_SOURCES,
  editorStateFrom,
  extraFieldLabel,
  emptyRule,
  siteModeLinks,
  toFormConfig,
  type EditorErrors,
  type EditorState,
  type RuleSource,
  type RuleState,
  sourceLabel,
} from '../lib/form-editor-state.ts';
import { draftFromSearch } from '../lib/form-draft.ts';
import { messages } from '../lib/i18n.ts';
import { paths } from '../lib/routes.ts';
import { can } from '../lib/access.ts';
import { VARIABLE_GROUPS, groupLabel, insertVariable, variableHint } from '../lib/variables.ts';
import { SendWhen } from './send-when.tsx';
import { ErrorMessage, Link, Loading, errorText, navigate } from '../ui.tsx';

const t = messages({
  en: {
    crmNoFields: 'The CRM lists no fields; type the field key.',
    crmFieldsFailed: "The CRM's field list could not be loaded ({reason}); type the field key.",
    newForm: 'New form',
    editForm: 'Edit form',
    notSaved: 'The form was not saved:',
    whatToCatch: 'What to catch',
    trigger: 'Trigger',
    triggerSubmit: 'Form submit: a <form> is sent',
    triggerClick: "Button click: an AJAX form's button is clicked",
    triggerSubmitHint: 'Use this when the page reloads or moves on after the visitor presses the submit button.',
    triggerClickHint: 'Use this when the form sends its data without reloading the page (AJAX).',
    buttonExamples: 'Button selectors look like {examples}.',
    selector: 'Selector',
    selectorHintForm: 'The CSS selector of the form: its id as {id} or its class as {cls}. Several, separated by commas, catch several forms.',
    selectorHintButton: 'The CSS selector of the button: its id as {id} or its class as {cls}. Several, separated by commas, catch several forms.',
    sites: 'Sites',
    sitesHint: 'Leave empty to use this form on every site with the script. A domain also covers its subdomains.',
    openPick: 'Open my site in pick mode',
    openTest: 'Open my site in test mode',
    openHint: 'Pick mode outlines forms and buttons so you can copy a selector; test mode marks your own leads as test.',
    siteLinks: 'Your sites',
    notASite: 'not a site address, so no links',
    noSites: 'Add your site above (e.g. shop.example.com) to get links that open it in pick mode and in test mode.',
    excludeSites: 'Exclude these sites',
    excludeSitesHint: 'use the form everywhere except the sites listed',
    formOn: 'Form is on',
    formOnHint: 'switch off to stop catching it without deleting it',
    theDeal: 'The deal',
    title: 'Title',
    titlePlaceholder: 'Request from the contact form {utmSource}',
    titleHint: "The deal's name in the CRM. Click a variable below to insert it where the cursor is.",
    sendToCrm: 'Send to CRM',
    sendToCrmHint: 'untick to only store the leads here (they show as "Do not send")',
    callBack: 'Call back',
    callBackHint: "ask the call-back service to ring the client's phone",
    leadFields: 'Lead fields',
    leadFieldsHint:
      "For each field say where its value comes from. Form field: the name attribute of the input, e.g. phone for <input name=\"phone\">. Fixed text: the text as written, variables allowed; a single space sends an empty value. JavaScript: code that returns the value, e.g. return document.querySelector('.phone').value. A required field left empty by the visitor makes no lead.",
    jsOff: 'JavaScript rules are switched off for this project (Install page): sites get no JavaScript rule of this form, so those fields arrive empty.',
    extraFields: 'Extra CRM fields',
    extraFieldsHint:
      "Fill more fields of the CRM deal: pick a field from your CRM's list (or type its key, e.g. utm_source or 1276733) and say where its value comes from.",
    addField: 'Add field',
    save: 'Save',
    cancel: 'Cancel',
    variables: 'Variables',
    placeholderField: 'name attribute, e.g. {example}',
    placeholderStatic: 'text, e.g. Promo page {utmSource}',
    crmField: 'CRM field',
    crmFieldPlaceholder: 'pick or type a field key',
    source: 'Source',
    value: 'Value',
    required: 'Required',
    remove: 'Remove',
    removeLabel: 'Remove {name}',
    draftUsed: 'Pre-filled from the link you followed: check every setting, then save.',
    draftBad: 'The link you followed carried a form draft that could not be read, so the editor starts empty.',
  },
  ru: {
    crmNoFields: 'CRM не вернула список полей; введите ключ поля.',
    crmFieldsFailed: 'Не удалось загрузить список полей CRM ({reason}); введите ключ поля.',
    newForm: 'Новая форма',
    editForm: 'Изменить форму',
    notSaved: 'Форма не сохранена:',
    whatToCatch: 'Что ловить',
    trigger: 'Триггер',
    triggerSubmit: 'Отправка формы: отправляется <form>',
    triggerClick: 'Нажатие кнопки: нажата кнопка AJAX-формы',
    triggerSubmitHint: 'Выберите, если после нажатия кнопки отправки страница перезагружается или переходит дальше.',
    triggerClickHint: 'Выберите, если форма отправляет данные без перезагрузки страницы (AJAX).',
    buttonExamples: 'Селекторы кнопок выглядят так: {examples}.',
    selector: 'Селектор',
    selectorHintForm: 'CSS-селектор формы: её id как {id} или класс как {cls}. Несколько через запятую ловят несколько форм.',
    selectorHintButton: 'CSS-селектор кнопки: её id как {id} или класс как {cls}. Несколько через запятую ловят несколько форм.',
    sites: 'Сайты',
    sitesHint: 'Оставьте пустым, чтобы форма работала на каждом сайте со скриптом. Домен включает и свои поддомены.',
    openPick: 'Открыть сайт в режиме выбора',
    openTest: 'Открыть сайт в тестовом режиме',
    openHint: 'Режим выбора обводит формы и кнопки, чтобы скопировать селектор; в тестовом режиме ваши заявки помечаются как тестовые.',
    siteLinks: 'Ваши сайты',
    notASite: 'не адрес сайта, ссылок нет',
    noSites: 'Добавьте свой сайт выше (например, shop.example.com), чтобы получить ссылки для открытия его в режиме выбора и в тестовом режиме.',
    excludeSites: 'Кроме этих сайтов',
    excludeSitesHint: 'форма работает везде, кроме перечисленных сайтов',
    formOn: 'Форма включена',
    formOnHint: 'выключите, чтобы перестать ловить её, не удаляя',
    theDeal: 'Сделка',
    title: 'Название',
    titlePlaceholder: 'Заявка с формы обратной связи {utmSource}',
    titleHint: 'Название сделки в CRM. Нажмите на переменную ниже, чтобы вставить её на место курсора.',
    sendToCrm: 'Отправлять в CRM',
    sendToCrmHint: 'снимите, чтобы только хранить заявки здесь (они будут «Не отправлять»)',
    callBack: 'Обратный звонок',
    callBackHint: 'попросить сервис обратного звонка позвонить клиенту',
    leadFields: 'Поля заявки',
    leadFieldsHint:
      "Для каждого поля укажите, откуда берётся значение. Поле формы: атрибут name поля ввода, например phone для <input name=\"phone\">. Текст: текст как есть, можно с переменными; один пробел отправляет пустое значение. JavaScript: код, который возвращает значение, например return document.querySelector('.phone').value. Если посетитель оставил обязательное поле пустым, заявки не будет.",
    jsOff: 'JavaScript-правила выключены для этого проекта (страница «Установка»): сайты не получают JavaScript-правил этой формы, эти поля приходят пустыми.',
    extraFields: 'Дополнительные поля CRM',
    extraFieldsHint:
      'Заполните другие поля сделки в CRM: выберите поле из списка вашей CRM (или введите его ключ, например utm_source или 1276733) и укажите, откуда берётся значение.',
    addField: 'Добавить поле',
    save: 'Сохранить',
    cancel: 'Отмена',
    variables: 'Переменные',
    placeholderField: 'атрибут name, например {example}',
    placeholderStatic: 'текст, например Промо-страница {utmSource}',
    crmField: 'Поле CRM',
    crmFieldPlaceholder: 'выберите или введите ключ поля',
    source: 'Источник',
    value: 'Значение',
    required: 'Обязательное',
    remove: 'Удалить',
    removeLabel: 'Удалить: {name}',
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

/** Where a clicked variable goes: the title, or the text box the marketer used last. */
interface InsertTarget {
  el: HTMLInputElement | HTMLTextAreaElement;
  set: (text: string) => void;
}

export function FormEditorPage({ projectId, formId }: { projectId: string; formId: string | null }) {
  const [start] = useState(() => (formId === null ? newFormStart() : null));
  const [state, setState] = useState<EditorState | null>(start ? start.state : null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [errors, setErrors] = useState<EditorErrors>({});
  const [saveError, setSaveError] = useState('');
  const [saving, setSaving] = useState(false);
  const [crmFields, setCrmFields] = useState<CrmFieldInfo[]>([]);
  const [crmFieldsNote, setCrmFieldsNote] = useState('');
  const insertTarget = useRef<InsertTarget | null>(null);
  const titleRef = useRef<HTMLInputElement>(null);
  const pendingCaret = useRef<{ el: HTMLInputElement | HTMLTextAreaElement; caret: number } | null>(null);

  useEffect(() => {
    if (formId === null) return;
    adminApi.getForm(projectId, formId).then((f) => setState(editorStateFrom(f)), setLoadError);
  }, [projectId, formId]);

  // JavaScript rules may be switched off for the project (Install page): then say so here.
  const [jsRulesOff, setJsRulesOff] = useState(false);
  useEffect(() => {
    adminApi.getProject(projectId).then(
      (p) => setJsRulesOff(p.jsRules === false),
      () => setJsRulesOff(false),
    );
  }, [projectId]);

  useEffect(() => {
    adminApi.crmFields(projectId).then(
      (items) => {
        setCrmFields(items);
        setCrmFieldsNote(items.length ? '' : t('crmNoFields'));
      },
      (err) => setCrmFieldsNote(t('crmFieldsFailed', { reason: errorText(err) })),
    );
  }, [projectId]);

  // Put the caret after an inserted variable once the new text is rendered.
  useEffect(() => {
    const p = pendingCaret.current;
    if (!p) return;
    pendingCaret.current = null;
    p.el.focus();
    p.el.setSelectionRange(p.caret, p.caret);
  });

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

  const insert = (name: string) => {
    const target = insertTarget.current ?? (titleRef.current ? { el: titleRef.current, set: (title: string) => update({ title }) } : null);
    if (!target) return;
    const el = target.el;
    const { text, caret } = insertVariable(el.value, name, el.selectionStart ?? el.value.length, el.selectionEnd ?? el.value.length);
    pendingCaret.current = { el, caret };
    target.set(text);
  };

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

  const errorList = Object.values(errors);
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
        {(errorList.length > 0 || saveError) && (
          <div class="message message-error" role="alert">
            <p>{t('notSaved')}</p>
            <ul>
              {errorList.map((e) => (
                <li key={e}>{e}</li>
              ))}
              {saveError && <li>{saveError}</li>}
            </ul>
          </div>
        )}

        <div class="card">
          <h2>{t('whatToCatch')}</h2>
          <div class="row">
            <label for="form-trigger">{t('trigger')}</label>
            <select id="form-trigger" value={state.trigger} onChange={(e) => update({ trigger: e.currentTarget.value === 'click' ? 'click' : 'submit' })} aria-describedby="form-trigger-hint">
              <option value="submit">{t('triggerSubmit')}</option>
              <option value="click">{t('triggerClick')}</option>
            </select>
            <p class="hint" id="form-trigger-hint">
              {state.trigger === 'submit' ? t('triggerSubmitHint') : `${t('triggerClickHint')} ${t('buttonExamples', { examples: BUTTON_EXAMPLES.join(', ') })}`}
            </p>
          </div>
          <div class="row">
            <label for="form-selector">{t('selector')}</label>
            <input
              id="form-selector"
              value={state.selector}
              onInput={(e) => update({ selector: e.currentTarget.value })}
              placeholder={state.trigger === 'submit' ? '#order-form' : '.order-button'}
              aria-invalid={errors.selector ? 'true' : undefined}
              aria-describedby={describe('form-selector', 'selector')}
              class="mono"
            />
            <p class="hint" id="form-selector-hint">
              {t(state.trigger === 'submit' ? 'selectorHintForm' : 'selectorHintButton', { id: '#form-1', cls: '.contact-form' })}
            </p>
            <FieldError id="form-selector-error" message={errors.selector} />
          </div>
          <div class="row">
            <label for="form-sites">{t('sites')}</label>
            <input
              id="form-sites"
              value={state.sitesText}
              onInput={(e) => update({ sitesText: e.currentTarget.value })}
              placeholder="shop.example.com, promo.example.com"
              aria-invalid={errors.sites ? 'true' : undefined}
              aria-describedby={describe('form-sites', 'sites')}
            />
            <p class="hint" id="form-sites-hint">
              {t('sitesHint')}
            </p>
            <FieldError id="form-sites-error" message={errors.sites} />
            {!state.excludeSites && <SiteLinks sitesText={state.sitesText} />}
          </div>
          <div class="row check">
            <input id="form-exclude-sites" type="checkbox" checked={state.excludeSites} onChange={(e) => update({ excludeSites: e.currentTarget.checked })} />
            <label for="form-exclude-sites">{t('excludeSites')}</label>
            <span class="hint">{t('excludeSitesHint')}</span>
          </div>
          <div class="row check">
            <input id="form-enabled" type="checkbox" checked={state.enabled} onChange={(e) => update({ enabled: e.currentTarget.checked })} />
            <label for="form-enabled">{t('formOn')}</label>
            <span class="hint">{t('formOnHint')}</span>
          </div>
        </div>

        <div class="card">
          <h2>{t('theDeal')}</h2>
          <div class="row">
            <label for="form-title">{t('title')}</label>
            <input
              id="form-title"
              ref={titleRef}
              value={state.title}
              onInput={(e) => update({ title: e.currentTarget.value })}
              onFocus={() => {
                insertTarget.current = null;
              }}
              placeholder={t('titlePlaceholder')}
              aria-invalid={errors.title ? 'true' : undefined}
              aria-describedby={describe('form-title', 'title')}
            />
            <p class="hint" id="form-title-hint">
              {t('titleHint')}
            </p>
            <FieldError id="form-title-error" message={errors.title} />
            <VariablesHelper onPick={insert} />
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

        <div class="card">
          <h2>{t('leadFields')}</h2>
          <p class="hint">{t('leadFieldsHint')}</p>
          {jsRulesOff && (
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
                rule={state.fields[name]}
                example={example}
                error={errors[`fields.${name}`]}
                onChange={(patch) => updateField(name, patch)}
                onFocusValue={(el) => {
                  insertTarget.current = { el, set: (value) => updateField(name, { value }) };
                }}
              />
            ))}
          </div>
        </div>

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
          {state.extraFields.map((field, i) => (
            <RuleFieldset
              key={i}
              idPrefix={`extra-${i}`}
              legend={extraFieldLabel(i)}
              rule={field}
              example="{utmSource}"
              error={errors[`extraFields.${i}.value`]}
              onChange={(patch) => updateExtra(i, patch)}
              onFocusValue={(el) => {
                insertTarget.current = { el, set: (value) => updateExtra(i, { value }) };
              }}
              onRemove={() => setState({ ...state, extraFields: state.extraFields.filter((_, j) => j !== i) })}
              keyInput={{
                value: field.key,
                error: errors[`extraFields.${i}.key`],
                label: crmFields.find((f) => f.key === field.key)?.label,
                onChange: (key) => updateExtra(i, { key }),
              }}
            />
          ))}
          <button type="button" onClick={() => setState({ ...state, extraFields: [...state.extraFields, { key: '', ...emptyRule(), source: 'static' }] })}>
            {t('addField')}
          </button>
        </div>

        <SendWhen
          state={state.sendWhen}
          error={errors.confirm}
          onChange={(patch) => update({ sendWhen: { ...state.sendWhen, ...patch } })}
        />

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

/** Selectors of the buttons AJAX forms are sent with, as the click trigger's help shows them. */
const BUTTON_EXAMPLES = ['.t-submit', 'button.send', '#callback-button', '[data-action="order"]'];

/** For each site of the form: links that open it in pick mode and in test mode; with none, a hint to add one. */
function SiteLinks({ sitesText }: { sitesText: string }) {
  const entries = siteModeLinks(sitesText);
  if (entries.length === 0) {
    return (
      <p class="hint" id="form-sites-links">
        {t('noSites')}
      </p>
    );
  }
  return (
    <div class="site-links" id="form-sites-links">
      <ul aria-label={t('siteLinks')}>
        {entries.map((e) => (
          <li key={e.site}>
            <span class="mono">{e.site}</span>
            {e.pick === null ? (
              <span class="hint"> — {t('notASite')}</span>
            ) : (
              <>
                {' — '}
                <a href={e.pick} target="_blank" rel="noopener">
                  {t('openPick')}
                </a>
                {' · '}
                <a href={e.test} target="_blank" rel="noopener">
                  {t('openTest')}
                </a>
              </>
            )}
          </li>
        ))}
      </ul>
      <p class="hint">{t('openHint')}</p>
    </div>
  );
}

function FieldError({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <p class="field-error" id={id}>
      {message}
    </p>
  );
}

function VariablesHelper({ onPick }: { onPick: (name: string) => void }) {
  return (
    // biome-ignore lint/a11y/useSemanticElements: a row of buttons, not form fields; a <fieldset> would bring its own border and layout
    <div class="variables" role="group" aria-label={t('variables')}>
      {VARIABLE_GROUPS.map((group) => (
        <div class="variable-group" key={group.id}>
          <span class="variable-group-label">{groupLabel(group)}</span>
          {group.items.map((v) => (
            <button type="button" class="chip" key={v.name} title={variableHint(v)} onMouseDown={(e) => e.preventDefault()} onClick={() => onPick(v.name)}>
              {`{${v.name}}`}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}

const VALUE_PLACEHOLDER: Record<RuleSource, (example: string) => string> = {
  field: (example) => t('placeholderField', { example }),
  static: () => t('placeholderStatic'),
  js: () => "return document.querySelector('.phone').value",
};

function RuleFieldset(props: {
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
