// The {variables} (README "Variables") for the title helper, grouped so a marketer finds one quickly.
// Group names and hints in English and Russian (lib/i18n.ts).
import { language, messages } from './i18n.ts';

const t = messages({
  en: { client: 'Client', visit: 'Visit', ads: 'Ads', device: 'Device and place', analytics: 'Analytics ids' },
  ru: { client: 'Клиент', visit: 'Визит', ads: 'Реклама', device: 'Устройство и место', analytics: 'Идентификаторы аналитики' },
});

type GroupId = 'client' | 'visit' | 'ads' | 'device' | 'analytics';

export interface VariableGroup {
  id: GroupId;
  items: { name: string; hint: { en: string; ru: string } }[];
}

/** The group's name in the current language. */
export function groupLabel(group: VariableGroup): string {
  return t(group.id);
}

/** A variable's hint in the current language. */
export function variableHint(item: VariableGroup['items'][number]): string {
  return item.hint[language()];
}

const v = (name: string, en: string, ru: string) => ({ name, hint: { en, ru } });
const levels = (prefix: string, en: string, ru: string) => [1, 2, 3, 4, 5, 6, 7].map((n) => v(`${prefix}${n}`, `${en} ${n}`, `${ru} ${n}`));

export const VARIABLE_GROUPS: VariableGroup[] = [
  {
    id: 'client',
    items: [v('name', 'Name the client typed', 'Имя, которое ввёл клиент'), v('phone', 'Phone the client typed', 'Телефон, который ввёл клиент'), v('email', 'Email the client typed', 'Email, который ввёл клиент')],
  },
  {
    id: 'visit',
    items: [
      v('visit', 'Visit number', 'Номер визита'),
      v('firstVisit', 'Number of the first visit', 'Номер первого визита'),
      v('date', 'Date of the visit', 'Дата визита'),
      v('domain', 'Site domain', 'Домен сайта'),
      v('landingPage', 'Landing page', 'Страница входа'),
      v('orderPage', 'Page the lead was sent from', 'Страница, с которой отправлена заявка'),
      v('referrer', 'Page the visitor came from', 'Откуда пришёл посетитель'),
      v('orderCreationMethod', 'How the lead was made', 'Как создана заявка'),
    ],
  },
  {
    id: 'ads',
    items: [
      v('utmSource', 'utm_source', 'utm_source'),
      v('utmMedium', 'utm_medium', 'utm_medium'),
      v('utmCampaign', 'utm_campaign', 'utm_campaign'),
      v('utmTerm', 'utm_term', 'utm_term'),
      v('utmContent', 'utm_content', 'utm_content'),
      v('source', 'Source marker', 'Маркер источника'),
      ...levels('sourceLevel', 'Source marker, level', 'Маркер источника, уровень'),
      ...levels('sourceAliasLevel', 'Readable source name, level', 'Понятное название источника, уровень'),
      ...[1, 2, 3, 4, 5].map((n) => v(`roistatParam${n}`, `URL parameter roistat_param${n}`, `Параметр адреса roistat_param${n}`)),
    ],
  },
  {
    id: 'device',
    items: [
      v('ip', 'Visitor IP address', 'IP-адрес посетителя'),
      v('agent', 'Browser', 'Браузер'),
      v('os', 'Operating system', 'Операционная система'),
      v('city', 'City', 'Город'),
      v('region', 'Region', 'Регион'),
      v('country', 'Country', 'Страна'),
    ],
  },
  {
    id: 'analytics',
    items: [
      v('googleClientId', 'Google Analytics client id (_ga)', 'Client ID Google Analytics (_ga)'),
      v('metrikaClientId', 'Yandex Metrica client id (_ym_uid)', 'ClientID Яндекс Метрики (_ym_uid)'),
      v('facebookClientId', 'Facebook click id (_fbc / fbclid)', 'Идентификатор клика Facebook (_fbc / fbclid)'),
      v('yclid', 'Yandex Direct click id', 'Идентификатор клика Яндекс Директа'),
    ],
  },
];

/** Inserts `{name}` into text at the caret (or replaces the selection); returns the text and the new caret. */
export function insertVariable(text: string, name: string, start: number, end = start): { text: string; caret: number } {
  const s = Math.max(0, Math.min(start, text.length));
  const e = Math.max(s, Math.min(end, text.length));
  const token = `{${name}}`;
  return { text: text.slice(0, s) + token + text.slice(e), caret: s + token.length };
}
