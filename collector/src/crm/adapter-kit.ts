// Small helpers the CRM adapters share: setting lookup, field-value coercion, the test-connection wrapper,
// the deal title, and sending a lead again without the extra fields its CRM refused.
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { CrmError, type CrmContext, type CrmNote, type CrmResult, type DroppedField } from './types.ts';

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

/** Sends of one lead at most when the CRM keeps refusing fields: each send drops at least one more. */
export const MAX_FIELD_DROPS = 5;

/** The note that keeps the refused fields' values on the deal. */
export function droppedFieldsNote(dropped: DroppedField[]): CrmNote {
  return {
    title: 'Fields the CRM refused (the lead was sent without them)',
    message: dropped.map((d) => `${d.key}: ${d.value} — ${d.reason}`).join('\n'),
  };
}

/**
 * A lead is never lost to one bad extra field: sends the lead, and when the CRM refuses it naming
 * some of its extra fields (`CrmError.refused`), sends it again without them. The refused keys and
 * values go to the deal as a note (queued for the worker when that fails) and come back as
 * `droppedFields`, so the lead page says what was dropped and why.
 */
export async function createKeepingLead(
  lead: Lead,
  send: (lead: Lead) => Promise<CrmResult>,
  addNote: (crmId: string, note: CrmNote) => Promise<void>,
): Promise<CrmResult> {
  let current = lead;
  const dropped: DroppedField[] = [];
  for (let sends = 1; ; sends++) {
    let result: CrmResult;
    try {
      result = await send(current);
    } catch (err) {
      if (!(err instanceof CrmError) || sends > MAX_FIELD_DROPS) throw err;
      const fields = { ...current.fields };
      const clientFields = { ...current.clientFields };
      let more = 0;
      for (const r of err.refused) {
        const bag = r.in === 'fields' ? fields : clientFields;
        if (!Object.hasOwn(bag, r.key)) continue;
        dropped.push({ key: r.key, value: asText(bag[r.key]!), reason: r.reason });
        delete bag[r.key];
        more++;
      }
      if (more === 0) throw err;
      current = { ...current, fields, clientFields };
      continue;
    }
    if (!dropped.length || result.crmId === null) return result;
    const note = droppedFieldsNote(dropped);
    const pendingNotes = [...(result.pendingNotes ?? [])];
    // The deal exists: a failed note must not fail the delivery (a retry would make a second deal).
    await addNote(result.crmId, note).catch(() => pendingNotes.push(note));
    return { ...result, droppedFields: dropped, ...(pendingNotes.length ? { pendingNotes } : {}) };
  }
}

/**
 * An address the CRMs accept: local@domain.tld, no spaces. One a visitor mistyped goes into the deal's
 * text instead, so the CRM does not refuse the whole lead for it.
 */
export function looksLikeEmail(email: string): boolean {
  return /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email.trim());
}

/**
 * Converts one extra field's value (a number, an id); when the value cannot be one, the error names
 * the field as refused, so createKeepingLead sends the lead without it instead of losing the lead.
 */
export function convertField<T>(key: string, bag: 'fields' | 'clientFields', convert: () => T): T {
  try {
    return convert();
  } catch (err) {
    if (!(err instanceof CrmError)) throw err;
    throw new CrmError(err.message, { permanent: err.permanent, httpStatus: err.httpStatus, refused: [{ key, in: bag, reason: err.message }] });
  }
}
