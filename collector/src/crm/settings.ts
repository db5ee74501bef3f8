// The integration settings of every type, checked when an integration is saved (README.md "CRM
// integrations"; docs/architecture.md "CRM adapters"): each adapter declares its settings as a zod
// schema (`defineAdapter`), and the integration PUT validates `{type, settings}` against their
// discriminated union, so a bad URL or a missing credential is a 400 naming the setting, not two days
// of failed deliveries. Settings a type does not declare are kept as given.
import { z } from 'zod';
import type { IntegrationType } from '../../../shared/schemas.ts';
import { allAdapters } from './index.ts';
import type { SettingsSchema } from './types.ts';

/** Settings by integration type, from the adapters' own declarations. */
export const SETTINGS_SCHEMAS = Object.fromEntries(allAdapters().map((a) => [a.type, a.settingsSchema!])) as Record<
  IntegrationType,
  SettingsSchema
>;

const TYPES = Object.keys(SETTINGS_SCHEMAS) as IntegrationType[];

function union(settingsOf: (type: IntegrationType) => z.ZodType) {
  const options = TYPES.map((type) => z.object({ type: z.literal(type), settings: settingsOf(type) }));
  return z.discriminatedUnion('type', options as [(typeof options)[number], ...(typeof options)[number][]]);
}

/** `{type, settings}` of an enabled integration: each type with its own settings. */
export const IntegrationSettings = union((type) => SETTINGS_SCHEMAS[type]).describe('Each CRM type with its own settings.');

/** A disabled integration may be saved unfinished: what it gives must still be right. */
const DraftIntegrationSettings = union((type) => SETTINGS_SCHEMAS[type].partial());

/** The settings whose value is where requests (and so the stored secrets) go. */
export const URL_SETTINGS: readonly string[] = ['url', 'baseUrl', 'webhookUrl'];

/** The settings a type cannot work without (the keys its schema requires). */
export function requiredSettingsOf(type: IntegrationType): string[] {
  return Object.entries(SETTINGS_SCHEMAS[type].shape)
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
  const result = (enabled ? IntegrationSettings : DraftIntegrationSettings).safeParse({ type, settings: given });
  if (result.success) return [];
  return result.error.issues.map((issue) => ({ setting: String(issue.path[1] ?? issue.path[0] ?? ''), message: issue.message }));
}
