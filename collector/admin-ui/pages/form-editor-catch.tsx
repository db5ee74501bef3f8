// The form editor's "What to catch" card: the trigger, the selector, the sites (with links that open each in
// pick mode and in test mode), whether they are excluded, and whether the form is on.
import { siteModeLinks, type EditorErrors, type EditorState } from '../lib/form-editor-state.ts';
import { messages } from '../lib/i18n.ts';
import { FieldError } from './form-editor-rule.tsx';

const t = messages({
  en: {
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
  },
  ru: {
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
  },
});

/** Selectors of the buttons AJAX forms are sent with, as the click trigger's help shows them. */
const BUTTON_EXAMPLES = ['.t-submit', 'button.send', '#callback-button', '[data-action="order"]'];

export function CatchCard({
  state,
  errors,
  update,
  describe,
}: {
  state: EditorState;
  errors: EditorErrors;
  update: (patch: Partial<EditorState>) => void;
  /** The control's aria-describedby: its hint, and its error when it has one. */
  describe: (id: string, key: string) => string;
}) {
  return (
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
  );
}

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
