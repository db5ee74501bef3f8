// "Send when" in the form editor: the form's `confirm` (docs/http-api.md "Form config", "Confirmation") as presets
// of well-known form builders, or a custom condition. Pure: the DOM-dependent selector check is passed in.
import type { FormConfirm } from '../../../shared/form-config.ts';
import { messages } from './i18n.ts';

export type SendWhenPreset = 'now' | 'tilda' | 'cf7' | 'bitrix24' | 'custom';

/** The conditions each builder gives for a send its own script accepted (README "Send when"). */
export const PRESETS: Record<'tilda' | 'cf7' | 'bitrix24', Omit<FormConfirm, 'seconds'>> = {
  // Tilda shows its success box (hidden until then) once its own validation and send succeeded.
  tilda: { selector: '.t-form__successbox' },
  // Contact Form 7 fires wpcf7mailsent on the form's element (wpcf7invalid, wpcf7mailfailed otherwise).
  cf7: { event: 'wpcf7mailsent' },
  // A Bitrix24 CRM web form (its loader script on the site) fires b24:form:send:success on the window.
  bitrix24: { event: 'b24:form:send:success' },
};

export const DEFAULT_SECONDS = 10;
export const MAX_SECONDS = 300;

export interface SendWhenState {
  preset: SendWhenPreset;
  selector: string;
  event: string;
  seconds: string;
}

export const t = messages({
  en: {
    label: 'Send when',
    now: 'At once',
    tilda: 'Tilda',
    cf7: 'Contact Form 7',
    bitrix24: 'Bitrix24 web form',
    custom: 'Custom',
    markerSelector: 'when its success message ({marker}) becomes visible',
    markerEvent: 'when it fires the {marker} event',
    hintNow: "The lead is made as soon as the visitor sends the form, even if the site's own script then refuses it.",
    hintWait:
      "The lead is made only when the site shows it took the form; a send the site's script refuses (an empty required field) makes none. With trigger submit, the page leaving also counts.",
    selector: 'Element shown',
    selectorHint: 'CSS selector of an element that becomes visible on success, e.g. .success-message',
    event: 'Event',
    eventHint: 'Name of an event the site fires on success, e.g. form:sent',
    seconds: 'Wait up to (seconds)',
    errSeconds: 'Send when: wait from 1 to {max} seconds.',
    errSelector: 'Send when: "{selector}" is not a valid CSS selector.',
    errNothing: 'Send when: give an element or an event (with trigger click nothing else can confirm a lead).',
  },
  ru: {
    label: 'Когда отправлять',
    now: 'Сразу',
    tilda: 'Tilda',
    cf7: 'Contact Form 7',
    bitrix24: 'Веб-форма Битрикс24',
    custom: 'Своё условие',
    markerSelector: 'когда становится видно его сообщение об успехе ({marker})',
    markerEvent: 'когда форма вызывает событие {marker}',
    hintNow: 'Заявка создаётся, как только посетитель отправил форму, даже если скрипт сайта её затем отклонит.',
    hintWait:
      'Заявка создаётся, только когда сайт показал, что принял форму; отправка, которую скрипт сайта отклонил (пустое обязательное поле), заявки не создаёт. С триггером «отправка формы» уход со страницы тоже считается.',
    selector: 'Показан элемент',
    selectorHint: 'CSS-селектор элемента, который становится видимым при успехе, например .success-message',
    event: 'Событие',
    eventHint: 'Имя события, которое сайт вызывает при успехе, например form:sent',
    seconds: 'Ждать до (секунд)',
    errSeconds: 'Когда отправлять: ждать можно от 1 до {max} секунд.',
    errSelector: 'Когда отправлять: «{selector}» — не CSS-селектор.',
    errNothing: 'Когда отправлять: укажите элемент или событие (с триггером «клик» заявку больше ничто не подтвердит).',
  },
});

export function sendWhenFrom(confirm: FormConfirm | null | undefined): SendWhenState {
  if (!confirm) return { preset: 'now', selector: '', event: '', seconds: String(DEFAULT_SECONDS) };
  const selector = confirm.selector ?? '';
  const event = confirm.event ?? '';
  const preset = (Object.keys(PRESETS) as (keyof typeof PRESETS)[]).find((p) => (PRESETS[p].selector ?? '') === selector && (PRESETS[p].event ?? '') === event);
  return { preset: preset ?? 'custom', selector, event, seconds: String(confirm.seconds) };
}

/** The form's `confirm`, or the message saying what is wrong. */
export function confirmFrom(
  state: SendWhenState,
  trigger: 'submit' | 'click',
  isValidSelector: (selector: string) => boolean = () => true,
): { confirm: FormConfirm | null; error: null } | { confirm: null; error: string } {
  if (state.preset === 'now') return { confirm: null, error: null };
  const seconds = Number(state.seconds);
  if (!(seconds > 0 && seconds <= MAX_SECONDS)) return { confirm: null, error: t('errSeconds', { max: MAX_SECONDS }) };
  const picked = state.preset === 'custom' ? { selector: state.selector.trim(), event: state.event.trim() } : PRESETS[state.preset];
  const confirm: FormConfirm = { seconds };
  if (picked.selector) confirm.selector = picked.selector;
  if (picked.event) confirm.event = picked.event;
  if (confirm.selector && !isValidSelector(confirm.selector)) return { confirm: null, error: t('errSelector', { selector: confirm.selector }) };
  if (trigger === 'click' && !confirm.selector && !confirm.event) return { confirm: null, error: t('errNothing') };
  return { confirm, error: null };
}
