// The form editor: every setting of a form config (docs/http-api.md "Form config"), laid out in the order a marketer
// thinks about it: what to catch, what the deal is called, which fields fill the lead, extra CRM fields.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { LeadFieldName } from '../../../shared/form-config.ts';
import { adminApi, type CrmFieldInfo } from '../api.ts';
import {
  LEAD_FIELDS,
  SOURCE_LABELS,
  editorStateFrom,
  emptyRule,
  toFormConfig,
  type EditorErrors,
  type EditorState,
  type RuleSource,
  type RuleState,
} from '../lib/form-editor-state.ts';
import { draftFromSearch } from '../lib/form-draft.ts';
import { messages } from '../lib/i18n.ts';
import { paths } from '../lib/routes.ts';
import { can } from '../lib/access.ts';
import { VARIABLE_GROUPS, insertVariable } from '../lib/variables.ts';
import { SendWhen } from './send-when.tsx';
import { ErrorMessage, Link, Loading, errorText, navigate } from '../ui.tsx';

function isValidSelector(selector: string): boolean {
  try {
    document.createDocumentFragment().querySelector(selector);
    return true;
  } catch {
    return false;
  }
}

const t = messages({
  en: {
    draftUsed: 'Pre-filled from the link you followed: check every setting, then save.',
    draftBad: 'The link you followed carried a form draft that could not be read, so the editor starts empty.',
  },
  ru: {
    draftUsed: 'Заполнено по ссылке, по которой вы пришли: проверьте все настройки и сохраните.',
    draftBad: 'Черновик формы в ссылке не удалось прочитать, поэтому редактор открыт пустым.',
  },
});

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
        setCrmFieldsNote(items.length ? '' : 'The CRM lists no fields; type the field key.');
      },
      (err) => setCrmFieldsNote(`The CRM's field list could not be loaded (${errorText(err)}); type the field key.`),
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
      <h1>{formId === null ? 'New form' : 'Edit form'}</h1>
      {start?.note && (
        <p class="message message-warn draft-note" role="status">
          {start.note}
        </p>
      )}
      <form class="editor" onSubmit={save} noValidate>
        {(errorList.length > 0 || saveError) && (
          <div class="message message-error" role="alert">
            <p>The form was not saved:</p>
            <ul>
              {errorList.map((e) => (
                <li key={e}>{e}</li>
              ))}
              {saveError && <li>{saveError}</li>}
            </ul>
          </div>
        )}

        <div class="card">
          <h2>What to catch</h2>
          <div class="row">
            <label for="form-trigger">Trigger</label>
            <select id="form-trigger" value={state.trigger} onChange={(e) => update({ trigger: e.currentTarget.value === 'click' ? 'click' : 'submit' })} aria-describedby="form-trigger-hint">
              <option value="submit">Form submit: a &lt;form&gt; is sent</option>
              <option value="click">Button click: an AJAX form's button is clicked</option>
            </select>
            <p class="hint" id="form-trigger-hint">
              {state.trigger === 'submit'
                ? 'Use this when the page reloads or moves on after the visitor presses the submit button.'
                : 'Use this when the form sends its data without reloading the page (AJAX).'}
            </p>
          </div>
          <div class="row">
            <label for="form-selector">Selector</label>
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
              The CSS selector of the {state.trigger === 'submit' ? 'form' : 'button'}: its id as <code>#form-1</code> or its class as <code>.contact-form</code>. Several,
              separated by commas, catch several forms.
            </p>
            <FieldError id="form-selector-error" message={errors.selector} />
          </div>
          <div class="row">
            <label for="form-sites">Sites</label>
            <input
              id="form-sites"
              value={state.sitesText}
              onInput={(e) => update({ sitesText: e.currentTarget.value })}
              placeholder="shop.example.com, promo.example.com"
              aria-invalid={errors.sites ? 'true' : undefined}
              aria-describedby={describe('form-sites', 'sites')}
            />
            <p class="hint" id="form-sites-hint">
              Leave empty to use this form on every site with the script. A domain also covers its subdomains.
            </p>
            <FieldError id="form-sites-error" message={errors.sites} />
          </div>
          <div class="row check">
            <input id="form-exclude-sites" type="checkbox" checked={state.excludeSites} onChange={(e) => update({ excludeSites: e.currentTarget.checked })} />
            <label for="form-exclude-sites">Exclude these sites</label>
            <span class="hint">use the form everywhere except the sites listed</span>
          </div>
          <div class="row check">
            <input id="form-enabled" type="checkbox" checked={state.enabled} onChange={(e) => update({ enabled: e.currentTarget.checked })} />
            <label for="form-enabled">Form is on</label>
            <span class="hint">switch off to stop catching it without deleting it</span>
          </div>
        </div>

        <div class="card">
          <h2>The deal</h2>
          <div class="row">
            <label for="form-title">Title</label>
            <input
              id="form-title"
              ref={titleRef}
              value={state.title}
              onInput={(e) => update({ title: e.currentTarget.value })}
              onFocus={() => {
                insertTarget.current = null;
              }}
              placeholder="Request from the contact form {utmSource}"
              aria-invalid={errors.title ? 'true' : undefined}
              aria-describedby={describe('form-title', 'title')}
            />
            <p class="hint" id="form-title-hint">
              The deal's name in the CRM. Click a variable below to insert it where the cursor is.
            </p>
            <FieldError id="form-title-error" message={errors.title} />
            <VariablesHelper onPick={insert} />
          </div>
          <div class="row check">
            <input id="form-send-to-crm" type="checkbox" checked={state.sendToCrm} onChange={(e) => update({ sendToCrm: e.currentTarget.checked })} />
            <label for="form-send-to-crm">Send to CRM</label>
            <span class="hint">untick to only store the leads here (they show as "Do not send")</span>
          </div>
          <div class="row check">
            <input id="form-callback" type="checkbox" checked={state.callback} onChange={(e) => update({ callback: e.currentTarget.checked })} />
            <label for="form-callback">Call back</label>
            <span class="hint">ask the call-back service to ring the client's phone</span>
          </div>
        </div>

        <div class="card">
          <h2>Lead fields</h2>
          <p class="hint">
            For each field say where its value comes from. <strong>Form field</strong>: the <code>name</code> attribute of the input, e.g. <code>phone</code> for{' '}
            <code>&lt;input name="phone"&gt;</code>. <strong>Fixed text</strong>: the text as written, variables allowed; a single space sends an empty value.{' '}
            <strong>JavaScript</strong>: code that returns the value, e.g. <code>return document.querySelector('.phone').value</code>. A required field left empty
            by the visitor makes no lead.
          </p>
          {jsRulesOff && (
            <p class="message message-warn" role="note" id="js-rules-off">
              JavaScript rules are switched off for this project (Install page): sites get no JavaScript rule of this form, so those fields arrive empty.
            </p>
          )}
          <div class="field-grid">
            {LEAD_FIELDS.map(({ name, legend, example }) => (
              <RuleFieldset
                key={name}
                idPrefix={`field-${name}`}
                legend={legend}
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
          <h2>Extra CRM fields</h2>
          <p class="hint">
            Fill more fields of the CRM deal: pick a field from your CRM's list (or type its key, e.g. <code>utm_source</code> or <code>1276733</code>) and say where
            its value comes from.
          </p>
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
              legend={`Extra field ${i + 1}`}
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
            Add field
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
              Save
            </button>
          )}
          <Link href={paths.section(projectId, 'forms')} class="button">
            Cancel
          </Link>
        </div>
      </form>
    </section>
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
    <div class="variables" role="group" aria-label="Variables">
      {VARIABLE_GROUPS.map((group) => (
        <div class="variable-group" key={group.label}>
          <span class="variable-group-label">{group.label}</span>
          {group.items.map((v) => (
            <button type="button" class="chip" key={v.name} title={v.hint} onMouseDown={(e) => e.preventDefault()} onClick={() => onPick(v.name)}>
              {`{${v.name}}`}
            </button>
          ))}
        </div>
      ))}
    </div>
  );
}

const VALUE_PLACEHOLDER: Record<RuleSource, (example: string) => string> = {
  field: (example) => `name attribute, e.g. ${example}`,
  static: () => 'text, e.g. Promo page {utmSource}',
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
          <label for={`${id}-key`}>CRM field</label>
          <input
            id={`${id}-key`}
            list="crm-fields"
            value={keyInput.value}
            onInput={(e) => keyInput.onChange(e.currentTarget.value)}
            aria-invalid={keyInput.error ? 'true' : undefined}
            aria-describedby={keyInput.error ? `${id}-key-error` : undefined}
            placeholder="pick or type a field key"
            class="mono"
          />
          {keyInput.label && <span class="hint">{keyInput.label}</span>}
          <FieldError id={`${id}-key-error`} message={keyInput.error} />
        </div>
      )}
      <div class="row">
        <label for={`${id}-source`}>Source</label>
        <select id={`${id}-source`} value={rule.source} onChange={(e) => props.onChange({ source: e.currentTarget.value as RuleSource })}>
          {(Object.keys(SOURCE_LABELS) as RuleSource[]).map((s) => (
            <option key={s} value={s}>
              {SOURCE_LABELS[s]}
            </option>
          ))}
        </select>
      </div>
      <div class="row">
        <label for={`${id}-value`}>Value</label>
        {rule.source === 'js' ? <textarea rows={2} {...valueProps} /> : <input {...valueProps} />}
      </div>
      <div class="row check">
        <input id={`${id}-required`} type="checkbox" checked={rule.required} onChange={(e) => props.onChange({ required: e.currentTarget.checked })} />
        <label for={`${id}-required`}>Required</label>
      </div>
      <FieldError id={`${id}-error`} message={props.error} />
      {props.onRemove && (
        <button type="button" class="link-button danger" onClick={props.onRemove} aria-label={`Remove ${props.legend.toLowerCase()}`}>
          Remove
        </button>
      )}
    </fieldset>
  );
}
