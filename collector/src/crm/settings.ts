// Each integration type's settings as a zod schema (the names are in README.md, "CRM integrations"):
// checked when an integration is saved, so a bad URL or a missing credential is a 400 naming the
// setting, not two days of failed deliveries. Settings not declared here are kept as given (an
// adapter may read more, with defaults); the adapters' own request code still checks what it reads.
import { z } from 'zod';
import { HTTP_URL_MESSAGE, isHttpUrl, type IntegrationType } from '../../../shared/schemas.ts';

/** A setting that must be given (a missing key and an empty value read the same). */
const required = () => z.string({ error: 'is required' }).trim().min(1, { error: 'is required', abort: true });
const optional = () => z.string().trim().optional();
const url = () => required().refine(isHttpUrl, { error: HTTP_URL_MESSAGE, abort: true });
/** A URL with a default (the CRM's public API host): empty means the default. */
const optionalUrl = () =>
  z
    .string()
    .trim()
    .refine((v) => v === '' || isHttpUrl(v), HTTP_URL_MESSAGE)
    .optional();
const bitrixWebhookUrl = () =>
  url().refine((v) => /\/rest\/[^/]+\/[^/]+/.test(new URL(v).pathname), 'must look like https://PORTAL/rest/USER/SECRET/');

/** Settings by integration type; the URL settings are the ones a stored secret is sent to. */
export const SETTINGS_SCHEMAS = {
  webhook: z.looseObject({ url: url(), secret: optional() }),
  amocrm: z.looseObject({ baseUrl: url(), token: required() }),
  retailcrm: z.looseObject({ baseUrl: url(), apiKey: required(), site: optional() }),
  bitrix24: z.looseObject({ webhookUrl: bitrixWebhookUrl() }),
  bitrix24_leads: z.looseObject({ webhookUrl: bitrixWebhookUrl() }),
  moysklad: z.looseObject({ baseUrl: optionalUrl(), token: required(), organizationId: required(), storeId: optional() }),
  megaplan: z.looseObject({ baseUrl: url(), username: required(), password: required() }),
  yclients: z.looseObject({ baseUrl: optionalUrl(), partnerToken: required(), userToken: required(), companyId: required() }),
  salesforce: z.looseObject({ baseUrl: url(), accessToken: required(), apiVersion: optional(), externalIdField: optional() }),
  freshoffice: z.looseObject({ baseUrl: optionalUrl(), token: required() }),
  uon: z.looseObject({ baseUrl: optionalUrl(), apiKey: required() }),
  hubspot: z.looseObject({ baseUrl: optionalUrl(), token: required() }),
} satisfies Record<IntegrationType, z.ZodObject>;

/** The settings whose value is where requests (and so the stored secrets) go. */
export const URL_SETTINGS: readonly string[] = ['url', 'baseUrl', 'webhookUrl'];

/** The settings a type cannot work without (the keys its schema requires). */
export function requiredSettingsOf(type: IntegrationType): string[] {
  const shape = SETTINGS_SCHEMAS[type].shape as Record<string, z.ZodType>;
  return Object.entries(shape)
    .filter(([, schema]) => !schema.safeParse(undefined).success)
    .map(([key]) => key);
}

export interface SettingsProblem {
  /** The setting's name, e.g. `url`. */
  setting: string;
  message: string;
}

/**
 * Checks an integration's settings. A disabled integration may be saved unfinished: its missing or
 * empty settings are allowed, but what it does give must still be right.
 */
export function checkSettings(type: IntegrationType, settings: Record<string, string>, enabled: boolean): SettingsProblem[] {
  const given = enabled ? settings : Object.fromEntries(Object.entries(settings).filter(([, v]) => v.trim() !== ''));
  const schema = enabled ? SETTINGS_SCHEMAS[type] : SETTINGS_SCHEMAS[type].partial();
  const result = schema.safeParse(given);
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ setting: String(issue.path[0] ?? ''), message: issue.message }));
}
