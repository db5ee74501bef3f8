// The form editor's state and its round trip to the form config (docs/http-api.md "Form config"), with validation
// messages that name the field that is wrong. Pure: the DOM-dependent selector check is passed in.
import type { FieldRule, FormConfig, FormConfigInput, LeadFieldName } from '../../../shared/form-config.ts';
import { messages } from './i18n.ts';
import { confirmFrom, sendWhenFrom, type SendWhenState } from './send-when.ts';

const t = messages({
  en: {
    name: 'Name',
    phone: 'Phone',
    email: 'Email',
    comment: 'Comment',
    field: 'Form field',
    static: 'Fixed text',
    js: 'JavaScript',
    requiredEmpty: 'is required, so say where its value comes from (Value is empty)',
    fieldBlank: 'Value: enter the name attribute of the form control',
    selectorEmpty: 'Selector: enter the CSS selector of the form or button, e.g. #order-form or .contact-form.',
    selectorBad: 'Selector: "{selector}" is not a valid CSS selector.',
    titleEmpty: "Title: enter the deal's name in the CRM, e.g. Request from the contact form {utmSource}.",
    titleLong: 'Title: at most 1024 characters (now {length}).',
    siteBad: 'Sites: {list} is not a site address; write domains such as shop.example.com, separated by commas.',
    sitesBad: 'Sites: {list} are not site addresses; write domains such as shop.example.com, separated by commas.',
    sitesNone: 'Sites: list the sites to exclude, or untick "Exclude these sites".',
    extraField: 'Extra field {n}',
    extraKeyEmpty: '{label}: choose the CRM field it fills.',
    extraKeyTwice: '{label}: the CRM field "{key}" is already used above.',
  },
  ru: {
    name: 'Имя',
    phone: 'Телефон',
    email: 'Email',
    comment: 'Комментарий',
    field: 'Поле формы',
    static: 'Текст',
    js: 'JavaScript',
    requiredEmpty: 'обязательное, поэтому укажите, откуда брать значение (поле «Значение» пустое)',
    fieldBlank: 'Значение: введите атрибут name поля формы',
    selectorEmpty: 'Селектор: введите CSS-селектор формы или кнопки, например #order-form или .contact-form.',
    selectorBad: 'Селектор: «{selector}» — не CSS-селектор.',
    titleEmpty: 'Название: введите название сделки в CRM, например Заявка с формы обратной связи {utmSource}.',
    titleLong: 'Название: не больше 1024 символов (сейчас {length}).',
    siteBad: 'Сайты: {list} — не адрес сайта; напишите домены, например shop.example.com, через запятую.',
    sitesBad: 'Сайты: {list} — не адреса сайтов; напишите домены, например shop.example.com, через запятую.',
    sitesNone: 'Сайты: перечислите сайты-исключения или снимите флажок «Кроме этих сайтов».',
    extraField: 'Доп. поле {n}',
    extraKeyEmpty: '{label}: выберите поле CRM, которое оно заполняет.',
    extraKeyTwice: '{label}: поле CRM «{key}» уже используется выше.',
  },
});

/** The four lead fields; `legend()` is the fieldset's name in the current language. */
export const LEAD_FIELDS: { name: LeadFieldName; legend: () => string; example: string }[] = [
  { name: 'name', legend: () => t('name'), example: 'name' },
  { name: 'phone', legend: () => t('phone'), example: 'phone' },
  { name: 'email', legend: () => t('email'), example: 'email' },
  { name: 'comment', legend: () => t('comment'), example: 'message' },
];

/** "Extra field 2": the name of the second extra field's group. */
export function extraFieldLabel(index: number): string {
  return t('extraField', { n: index + 1 });
}

export type RuleSource = FieldRule['source'];
export interface RuleState {
  source: RuleSource;
  value: string;
  required: boolean;
}
export interface ExtraFieldState extends RuleState {
  key: string;
}

export interface EditorState {
  enabled: boolean;
  title: string;
  trigger: 'submit' | 'click';
  selector: string;
  callback: boolean;
  sendToCrm: boolean;
  sitesText: string;
  excludeSites: boolean;
  fields: Record<LeadFieldName, RuleState>;
  extraFields: ExtraFieldState[];
  /** "Send when": the form's `confirm` (send-when.ts). */
  sendWhen: SendWhenState;
}

/** Error messages by field path: "selector", "sites", "fields.phone", "extraFields.0.key". */
export type EditorErrors = Record<string, string>;

export const RULE_SOURCES: readonly RuleSource[] = ['field', 'static', 'js'];

/** Short option names; the editor's help text explains each. */
export function sourceLabel(source: RuleSource): string {
  return t(source);
}

export function emptyRule(): RuleState {
  return { source: 'field', value: '', required: false };
}

export function editorStateFrom(config?: FormConfig | FormConfigInput): EditorState {
  const fields = {} as Record<LeadFieldName, RuleState>;
  for (const { name } of LEAD_FIELDS) {
    const rule = config?.fields?.[name];
    fields[name] = rule ? { source: rule.source, value: rule.value, required: rule.required ?? false } : emptyRule();
  }
  return {
    enabled: config?.enabled ?? true,
    title: config?.title ?? '',
    trigger: config?.trigger ?? 'submit',
    selector: config?.selector ?? '',
    callback: config?.callback ?? false,
    sendToCrm: config?.sendToCrm ?? true,
    sitesText: (config?.sites ?? []).join(', '),
    excludeSites: config?.excludeSites ?? false,
    fields,
    extraFields: (config?.extraFields ?? []).map((f) => ({ key: f.key, source: f.source, value: f.value, required: f.required ?? false })),
    sendWhen: sendWhenFrom(config?.confirm),
  };
}

/**
 * "https://www.Shop.example:8080/cart, b.example" → ["www.shop.example", "b.example"]: a pasted
 * address is cut down to its hostname; anything else that is not a hostname is reported back.
 */
export function parseSites(text: string): { sites: string[]; bad: string[] } {
  const sites: string[] = [];
  const bad: string[] = [];
  for (const entry of text.split(/[,;\n]+/)) {
    const raw = entry.trim();
    if (!raw) continue;
    const host = raw
      .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '')
      .replace(/[/?#].*$/, '')
      .replace(/:\d+$/, '')
      .replace(/\.$/, '')
      .toLowerCase();
    if (/^[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?(\.[\p{L}\p{N}]([\p{L}\p{N}-]*[\p{L}\p{N}])?)*$/u.test(host) && host.length <= 253) {
      if (!sites.includes(host)) sites.push(host);
    } else {
      bad.push(raw);
    }
  }
  return { sites, bad };
}

/** One entry of the Sites box: a host name gets its pick and test mode links; anything else is only shown as typed. */
export type SiteModeLinks = { site: string; pick: string; test: string } | { site: string; pick: null; test: null };

/**
 * "shop.example, a b" → shop.example with https://shop.example/?leadrelay_pick=1 and ?leadrelay_test=1, and "a b"
 * with no links. Only what parseSites takes for a host name becomes a link, so no typed scheme (javascript:) gets through.
 */
export function siteModeLinks(text: string): SiteModeLinks[] {
  const { sites, bad } = parseSites(text);
  const link = (host: string, param: string): string | null => {
    try {
      const url = new URL(`https://${host}/`);
      url.searchParams.set(param, '1');
      return url.protocol === 'https:' && url.pathname === '/' ? url.href : null;
    } catch {
      return null; // a host name the browser refuses (IDNA)
    }
  };
  const links: SiteModeLinks[] = [];
  for (const site of sites) {
    const pick = link(site, 'leadrelay_pick');
    const test = link(site, 'leadrelay_test');
    links.push(pick && test ? { site, pick, test } : { site, pick: null, test: null });
  }
  for (const site of bad) links.push({ site, pick: null, test: null });
  return links;
}

function ruleProblem(rule: RuleState): string | null {
  // A required field needs somewhere to read its value from; a single space is Roistat's "send empty".
  if (rule.required && rule.value === '') return t('requiredEmpty');
  if (rule.source === 'field' && rule.value !== '' && rule.value.trim() === '') return t('fieldBlank');
  return null;
}

export function toFormConfig(
  state: EditorState,
  isValidSelector: (selector: string) => boolean = () => true,
): { config: FormConfigInput; errors: null } | { config: null; errors: EditorErrors } {
  const errors: EditorErrors = {};
  const selector = state.selector.trim();
  if (!selector) errors.selector = t('selectorEmpty');
  else if (!isValidSelector(selector)) errors.selector = t('selectorBad', { selector });

  // A deal with no name is of no use in the CRM: the editor asks for one (the API itself still takes an empty title).
  if (state.title.trim() === '') errors.title = t('titleEmpty');
  else if (state.title.length > 1024) errors.title = t('titleLong', { length: state.title.length });

  const { sites, bad } = parseSites(state.sitesText);
  if (bad.length) errors.sites = t(bad.length === 1 ? 'siteBad' : 'sitesBad', { list: bad.map((b) => `"${b}"`).join(', ') });
  if (state.excludeSites && sites.length === 0 && !bad.length) errors.sites = t('sitesNone');

  const fields: FormConfigInput['fields'] = {};
  for (const { name, legend } of LEAD_FIELDS) {
    const rule = state.fields[name];
    const problem = ruleProblem(rule);
    if (problem) errors[`fields.${name}`] = `${legend()}: ${problem}.`;
    // An unused field (no value, not required) is left out of the config.
    if (rule.value !== '' || rule.required) fields[name] = { source: rule.source, value: rule.value, required: rule.required };
  }

  const seen = new Set<string>();
  const extraFields = state.extraFields.map((f, i) => {
    const key = f.key.trim();
    const label = extraFieldLabel(i);
    if (!key) errors[`extraFields.${i}.key`] = t('extraKeyEmpty', { label });
    else if (seen.has(key)) errors[`extraFields.${i}.key`] = t('extraKeyTwice', { label, key });
    seen.add(key);
    const problem = ruleProblem(f);
    if (problem) errors[`extraFields.${i}.value`] = `${label}${key ? ` (${key})` : ''}: ${problem}.`;
    return { key, source: f.source, value: f.value, required: f.required };
  });

  const when = confirmFrom(state.sendWhen, state.trigger, isValidSelector);
  if (when.error) errors.confirm = when.error;

  if (Object.keys(errors).length) return { config: null, errors };
  return {
    errors: null,
    config: {
      enabled: state.enabled,
      title: state.title,
      trigger: state.trigger,
      selector,
      callback: state.callback,
      sendToCrm: state.sendToCrm,
      sites,
      excludeSites: state.excludeSites,
      fields,
      extraFields,
      confirm: when.confirm,
    },
  };
}

/** A config as it was before deletion, ready to POST again (for "Undo"). */
export function configInputOf(form: FormConfig): FormConfigInput {
  const { id: _id, projectId: _projectId, ...input } = form;
  return input;
}
