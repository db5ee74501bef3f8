// Field length limits (Roistat's; README "Limits"): over-long values are cut, never rejected, so a lead
// with a novel in its comment still reaches the CRM.
import { LIMITS, type FieldValue } from './schemas.ts';

/** `value` cut to at most `max` characters (code points, so an emoji or a surrogate pair is never split). */
export function truncate(value: string, max: number): string {
  if (value.length <= max) return value; // code points ≤ UTF-16 units: nothing to cut
  let out = '';
  let count = 0;
  for (const ch of value) {
    if (count === max) break;
    out += ch;
    count++;
  }
  return out;
}

export interface LimitedLead {
  title?: string;
  comment?: string;
  name?: string;
  phone?: string;
  email?: string;
  fields?: Record<string, FieldValue>;
  clientFields?: Record<string, FieldValue>;
}

/** A copy of `lead` with every limited field truncated; other properties pass through unchanged. */
export function applyLimits<T extends LimitedLead>(lead: T): T {
  const out: T = { ...lead };
  for (const key of ['title', 'comment', 'name', 'phone', 'email'] as const) {
    const value = lead[key];
    if (typeof value === 'string') out[key] = truncate(value, LIMITS[key]);
  }
  if (lead.fields) out.fields = limitFields(lead.fields);
  if (lead.clientFields) out.clientFields = limitFields(lead.clientFields);
  return out;
}

/** Each extra-field value (and each item of a list value) cut to 8000 characters. */
export function limitFields(fields: Record<string, FieldValue>): Record<string, FieldValue> {
  return Object.fromEntries(
    Object.entries(fields).map(([k, v]) => [
      k,
      Array.isArray(v) ? v.map((item) => truncate(item, LIMITS.extraField)) : truncate(v, LIMITS.extraField),
    ]),
  );
}
