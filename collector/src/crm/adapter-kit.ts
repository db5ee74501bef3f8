// Small helpers the CRM adapters share: setting lookup, field-value coercion, the test-connection wrapper
// and the deal title.
import type { FieldValue } from '../../../shared/schemas.ts';
import { CrmError, type CrmContext } from './types.ts';

/** A setting's value, or its default; a missing required one is a permanent error (a retry cannot fix it). */
export function setting(ctx: CrmContext, name: string, fallback?: string): string {
  const v = ctx.settings[name]?.trim();
  if (v) return v;
  if (fallback !== undefined) return fallback;
  throw new CrmError(`the integration setting "${name}" is required`, { permanent: true });
}

/** A field value as one string: list values joined with ", ". */
export function asText(v: FieldValue): string {
  return Array.isArray(v) ? v.join(', ') : v;
}

/** The first of a list value (undefined for an empty list), or the value itself. */
export function firstValue(v: FieldValue | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

export function asList(v: FieldValue): string[] {
  return Array.isArray(v) ? v : [v];
}

/** A numeric field (a budget, a user id): a value that is not a number is the form's mistake, not the CRM's. */
export function asNumber(key: string, v: FieldValue): number {
  const text = asText(v).trim().replace(/\s+/g, '').replace(',', '.');
  const n = Number(text);
  if (text === '' || !Number.isFinite(n)) {
    throw new CrmError(`field "${key}" must be a number, got "${asText(v).slice(0, 50)}"`, { permanent: true });
  }
  return n;
}

/** A whole number, e.g. an id: `asNumber` then a check. */
export function asInteger(key: string, v: FieldValue): number {
  const n = asNumber(key, v);
  if (!Number.isInteger(n)) throw new CrmError(`field "${key}" must be a whole number`, { permanent: true });
  return n;
}

/** Runs a cheap call for "test connection": any failure becomes `{ok:false}` with the CRM's message. */
export async function checkConnection(run: () => Promise<string>): Promise<{ ok: boolean; message: string }> {
  try {
    return { ok: true, message: await run() };
  } catch (err) {
    return { ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

/** The deal/lead title: the form's title, else a fallback naming the client. */
export function dealTitle(title: string, name: string, phone: string, email: string): string {
  if (title.trim()) return title.trim();
  const who = name.trim() || phone.trim() || email.trim();
  return who ? `Lead from ${who}` : 'Website lead';
}
