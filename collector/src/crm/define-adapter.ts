// `defineAdapter`: how each CRM file declares its adapter (docs/architecture.md "CRM adapters"). The
// settings are a zod object schema; the setting names, which are required and the checks on save all
// come from it, so an adapter's settings are declared once.
import type { IntegrationType, Lead } from '../../../shared/schemas.ts';
import type { CrmAdapter, CrmContext, CrmField, CrmNote, CrmResult, RateLimit, SettingsSchema } from './types.ts';

export interface AdapterDefinition<S extends SettingsSchema> {
  type: IntegrationType;
  /** Human name for the admin UI. */
  label: string;
  /** Every setting, in the order the admin form shows them; a setting that cannot be undefined is required. */
  settings: S;
  /** Settings never returned by a GET (masked). */
  secret: readonly (keyof S['shape'] & string)[];
  rateLimit: RateLimit;
  rateLimitFor?(settings: Record<string, string>): RateLimit;
  notesByLeadId?: boolean;
  create(lead: Lead, ctx: CrmContext): Promise<CrmResult>;
  addNote(lead: Lead, crmId: string, note: CrmNote, ctx: CrmContext): Promise<void>;
  /** The CRM's fields a form may map to (the admin UI's field picker). */
  fields(ctx: CrmContext): Promise<CrmField[]>;
  /** A cheap call for "test connection". */
  test(ctx: CrmContext): Promise<{ ok: boolean; message: string }>;
}

/** The names a settings schema requires (a value undefined does not pass). */
export function requiredOf(schema: SettingsSchema): string[] {
  return Object.entries(schema.shape)
    .filter(([, s]) => !s.safeParse(undefined).success)
    .map(([key]) => key);
}

export function defineAdapter<S extends SettingsSchema>(def: AdapterDefinition<S>): CrmAdapter {
  return {
    type: def.type,
    label: def.label,
    settingsSchema: def.settings,
    settings: Object.keys(def.settings.shape),
    requiredSettings: requiredOf(def.settings),
    secretSettings: def.secret,
    rateLimit: def.rateLimit,
    ...(def.rateLimitFor ? { rateLimitFor: def.rateLimitFor } : {}),
    ...(def.notesByLeadId ? { notesByLeadId: true } : {}),
    create: def.create,
    addNote: def.addNote,
    listFields: def.fields,
    testConnection: def.test,
  };
}
