// Integration settings in words (README "CRMs"): a label and a one-line explanation for each setting
// name, in English and Russian, and the CRM's own help page for where to find each credential.
// An unknown name shows as it is.
import { language, type Language } from './i18n.ts';

type Words = Record<Language, [label: string, explanation: string]>;

const SETTINGS: Record<string, Words> = {
  url: { en: ['Webhook URL', 'the address leadrelay posts each lead to'], ru: ['Адрес вебхука', 'адрес, на который leadrelay отправляет каждую заявку'] },
  secret: {
    en: ['Signing secret', 'a shared secret: each request is signed with it so the receiver can check it comes from leadrelay'],
    ru: ['Секрет подписи', 'общий секрет: им подписывается каждый запрос, чтобы получатель мог проверить, что он от leadrelay'],
  },
  baseUrl: { en: ['API address', "your account's address in the CRM, e.g. https://shop.example.com"], ru: ['Адрес API', 'адрес вашего аккаунта в CRM, например https://shop.example.com'] },
  token: { en: ['API token', 'the access key the CRM gives for integrations'], ru: ['Токен API', 'ключ доступа, который CRM выдаёт для интеграций'] },
  apiKey: { en: ['API key', 'the key made in the CRM for API access'], ru: ['Ключ API', 'ключ, созданный в CRM для доступа по API'] },
  site: { en: ['Site code', 'the code of the shop (site) in the CRM the orders go to'], ru: ['Код сайта', 'код магазина (сайта) в CRM, куда попадают заказы'] },
  webhookUrl: {
    en: ['Inbound webhook URL', 'the whole address of the inbound webhook made in Bitrix24, with its key'],
    ru: ['Адрес входящего вебхука', 'полный адрес входящего вебхука, созданного в Битрикс24, вместе с ключом'],
  },
  organizationId: { en: ['Organization id', 'your legal entity in MoySklad that orders are made for'], ru: ['ID организации', 'ваше юрлицо в МоемСкладе, от которого создаются заказы'] },
  storeId: { en: ['Store id', 'the warehouse orders are reserved from (optional)'], ru: ['ID склада', 'склад, с которого резервируются заказы (необязательно)'] },
  tokenKind: {
    en: ['Token kind', '"user" (the default) or "solution": a solution token may send faster'],
    ru: ['Вид токена', '«user» (по умолчанию) или «solution»: с токеном решения можно отправлять быстрее'],
  },
  username: { en: ['Username', 'the login of the CRM user leads are made by'], ru: ['Логин', 'логин пользователя CRM, от имени которого создаются заявки'] },
  password: { en: ['Password', "that user's password"], ru: ['Пароль', 'пароль этого пользователя'] },
  currency: { en: ['Currency', 'a 3-letter code for deal amounts (RUB when empty)'], ru: ['Валюта', 'трёхбуквенный код для сумм сделок (RUB, если пусто)'] },
  partnerToken: { en: ['Partner token', "the developer's (partner) token from the YCLIENTS marketplace"], ru: ['Токен партнёра', 'токен разработчика (партнёра) из маркетплейса YCLIENTS'] },
  userToken: { en: ['User token', 'the token of the YCLIENTS user records are made by'], ru: ['Токен пользователя', 'токен пользователя YCLIENTS, от имени которого создаются записи'] },
  companyId: { en: ['Company id', 'the number of your company (branch) in YCLIENTS'], ru: ['ID компании', 'номер вашей компании (филиала) в YCLIENTS'] },
  accessToken: { en: ['Access token', 'an OAuth access token of a connected app'], ru: ['Токен доступа', 'OAuth-токен доступа подключённого приложения'] },
  apiVersion: { en: ['API version', 'e.g. 60.0; the default when empty'], ru: ['Версия API', 'например 60.0; если пусто — по умолчанию'] },
  externalIdField: {
    en: ['External id field', 'a Lead field marked External ID, so a resent lead updates instead of duplicating'],
    ru: ['Поле внешнего ID', 'поле лида с пометкой External ID, чтобы повторная отправка обновляла, а не дублировала'],
  },
  timeZone: { en: ['Time zone', "the agency's time zone, e.g. Europe/Moscow"], ru: ['Часовой пояс', 'часовой пояс агентства, например Europe/Moscow'] },
};

/** The CRM's own documentation: where to get its credentials (every setting of that CRM points here). */
const HELP: Record<string, string> = {
  amocrm: 'https://www.amocrm.ru/developers/content/oauth/step-by-step',
  retailcrm: 'https://docs.retailcrm.ru/Developers/API/APIVersions/APIv5',
  bitrix24: 'https://apidocs.bitrix24.ru/local-integrations/local-webhooks.html',
  bitrix24_leads: 'https://apidocs.bitrix24.ru/local-integrations/local-webhooks.html',
  moysklad: 'https://dev.moysklad.ru/doc/api/remap/1.2/#mojsklad-json-api-obschie-swedeniq-autentifikaciq',
  megaplan: 'https://dev.megaplan.ru/',
  yclients: 'https://developers.yclients.com/ru/',
  salesforce: 'https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/intro_oauth_and_connected_apps.htm',
  freshoffice: 'https://apidoc.myfreshcloud.com/quick-start',
  uon: 'https://api.u-on.ru/',
  hubspot: 'https://developers.hubspot.com/docs/api/private-apps',
};

/** Settings that are about the address rather than a credential get no help link. */
const NOT_CREDENTIALS = new Set(['baseUrl', 'apiVersion', 'currency', 'timeZone', 'tokenKind', 'site', 'storeId', 'externalIdField']);

export function settingLabel(name: string): string {
  return SETTINGS[name]?.[language()][0] ?? name;
}

/** What the setting is, in plain words ('' for an unknown name). */
export function settingExplanation(name: string): string {
  return SETTINGS[name]?.[language()][1] ?? '';
}

/** The CRM's help page for a credential of that CRM, or null. */
export function settingHelpUrl(type: string, name: string): string | null {
  if (NOT_CREDENTIALS.has(name)) return null;
  return HELP[type] ?? null;
}
