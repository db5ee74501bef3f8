// Bitrix24 REST through an inbound webhook (https://PORTAL/rest/USER/SECRET/), shared by the
// `bitrix24` (deals) and `bitrix24_leads` (leads; also on-premise) adapters.
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { asText, checkConnection, setting } from './adapter-kit.ts';
import { crmRequest, errorFromResponse, excerpt, type CrmResponse } from './http.ts';
import { CrmError, type CrmContext, type CrmField } from './types.ts';

/** Stored in ORIGINATOR_ID; with ORIGIN_ID = our lead id it finds a deal/lead we already made. */
export const ORIGINATOR = 'leadrelay';
/** Not a CRM field: "Y" takes the responsible manager from the client's existing contact. */
export const CONTACT_MANAGER_FLAG = 'ASSIGNED_BY_CONTACT_MANAGER';

function webhookBase(ctx: CrmContext): string {
  const raw = setting(ctx, 'webhookUrl');
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new CrmError('webhookUrl is not a URL (expected https://PORTAL/rest/USER/SECRET/)', { permanent: true });
  }
  if (!/^https?:$/.test(u.protocol) || !/\/rest\/[^/]+\/[^/]+/.test(u.pathname)) {
    throw new CrmError('webhookUrl must look like https://PORTAL/rest/USER/SECRET/', { permanent: true });
  }
  return raw.endsWith('/') ? raw : `${raw}/`;
}

/** When Bitrix24 frees part of each method's time budget: `time.operating_reset_at` of its last successful answer. */
const operatingResetAt = new Map<string, number>();
/** No reset time seen yet: the budget is counted over 10 minutes, so the block ends within that. */
const OPERATING_WINDOW_MS = 10 * 60_000;
/**
 * OVERLOAD_LIMIT is a manual block that only Bitrix24 support lifts. Retrying cannot lift it, but
 * failing the lead would lose it: one try an hour costs nothing and delivers once the block is gone.
 */
export const OVERLOAD_RETRY_MS = 60 * 60_000;

function b24Error(ctx: CrmContext, res: CrmResponse, methodKey: string): CrmError {
  const b = res.body as { error?: unknown; error_description?: unknown; time?: { operating_reset_at?: unknown } } | string;
  const code = typeof b === 'object' && typeof b.error === 'string' ? b.error : '';
  const desc = typeof b === 'object' && typeof b.error_description === 'string' ? b.error_description : '';
  const message = [code, desc].filter(Boolean).join(': ') || excerpt(res);
  const now = ctx.now?.() ?? Date.now();
  if (code === 'OPERATION_TIME_LIMIT') {
    // The method is blocked until its time budget frees up: retry at the reset its last answer named.
    const ownReset = typeof b === 'object' && typeof b.time?.operating_reset_at === 'number' ? b.time.operating_reset_at * 1000 : null;
    const resetAt = ownReset ?? operatingResetAt.get(methodKey) ?? null;
    const wait = resetAt !== null && resetAt > now ? resetAt - now : OPERATING_WINDOW_MS;
    return new CrmError(`HTTP ${res.status}: ${message}`, { permanent: false, httpStatus: res.status, retryAfterMs: wait });
  }
  if (code === 'OVERLOAD_LIMIT') {
    return new CrmError(`HTTP ${res.status}: ${message} (a manual block: ask Bitrix24 support to lift it; retried hourly)`, {
      permanent: false,
      httpStatus: res.status,
      retryAfterMs: OVERLOAD_RETRY_MS,
    });
  }
  // QUERY_LIMIT_EXCEEDED (503) has no Retry-After; the bucket drains 2 requests a second, so 1 s frees room.
  const retry = code === 'QUERY_LIMIT_EXCEEDED' || res.status === 429 ? 1000 : null;
  return errorFromResponse(res, message, retry);
}

/** Calls one REST method; `result` of the answer, or a classified CrmError. */
export async function b24Call(ctx: CrmContext, method: string, params: Record<string, unknown> = {}): Promise<unknown> {
  const base = webhookBase(ctx);
  const methodKey = `${base}${method}`;
  const res = await crmRequest(ctx, `${base}${method}.json`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(params),
  });
  const body = res.body as { result?: unknown; error?: unknown; time?: { operating_reset_at?: unknown } } | string;
  if (res.status < 200 || res.status > 299 || typeof body !== 'object' || body.error !== undefined) throw b24Error(ctx, res, methodKey);
  const reset = body.time?.operating_reset_at;
  if (typeof reset === 'number') operatingResetAt.set(methodKey, reset * 1000);
  return body.result;
}

/** Where an extra field sent to Bitrix24 came from: the CRM field code, the form's key and its bag. */
export interface FieldSource {
  code: string;
  key: string;
  in: 'fields' | 'clientFields';
}

/**
 * A Bitrix24 400 names a refused field by its title in quotes (`Invalid value for the "Currency" field`,
 * `Значение поля "Услуги" не найдено в списке.`; crm-deal-add.md, "Error Handling"). The titles are
 * looked up in crm.{entity}.fields; the lead's extra fields with those codes come back as refused.
 */
export async function b24Add(ctx: CrmContext, entity: 'deal' | 'lead' | 'contact', params: Record<string, unknown>, sources: FieldSource[]): Promise<unknown> {
  try {
    return await b24Call(ctx, `crm.${entity}.add`, params);
  } catch (err) {
    if (!(err instanceof CrmError) || err.httpStatus !== 400 || !sources.length) throw err;
    const named = [...err.message.matchAll(/["«]([^"»]+)["»]/g)].map((m) => m[1]!);
    if (!named.length) throw err;
    const catalog = ((await b24Call(ctx, `crm.${entity}.fields`)) ?? {}) as Record<string, B24FieldInfo>;
    const codes = new Set(
      Object.entries(catalog)
        .filter(([code, f]) => [code, f.title, f.listLabel, f.formLabel].some((n) => n !== undefined && named.includes(n)))
        .map(([code]) => code),
    );
    const reason = err.message.replace(/^HTTP \d+: /, '');
    const refused = sources.filter((s) => codes.has(s.code)).map((s) => ({ key: s.key, in: s.in, reason }));
    if (!refused.length) throw err;
    throw new CrmError(err.message, { permanent: err.permanent, httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs, refused });
  }
}

/** Bitrix multi-fields (PHONE, EMAIL) are lists of {VALUE, VALUE_TYPE}. */
export function multiField(value: string): { VALUE: string; VALUE_TYPE: string }[] | undefined {
  return value ? [{ VALUE: value, VALUE_TYPE: 'WORK' }] : undefined;
}

/**
 * Splits the form's extra fields: `contact_` keys go to the contact; a `lead_`/`deal_` prefix (the
 * reference article writes `lead_UF_CRM_…` for list fields) names the main entity and is dropped.
 * List values stay arrays, as Bitrix24 wants them for multiple/list fields. `mainSources` and
 * `contactSources` say which form key each CRM code came from, to name a field Bitrix24 refuses.
 */
export function splitFields(fields: Record<string, FieldValue>): {
  main: Record<string, FieldValue>;
  contact: Record<string, FieldValue>;
  contactManager: boolean;
  mainSources: FieldSource[];
  contactSources: FieldSource[];
} {
  const main: Record<string, FieldValue> = {};
  const contact: Record<string, FieldValue> = {};
  const mainSources: FieldSource[] = [];
  const contactSources: FieldSource[] = [];
  let contactManager = false;
  for (const [key, value] of Object.entries(fields)) {
    if (key === CONTACT_MANAGER_FLAG) contactManager = asText(value).trim().toUpperCase() === 'Y';
    else if (key.startsWith('contact_')) {
      const code = key.slice('contact_'.length);
      contact[code] = value;
      contactSources.push({ code, key, in: 'fields' });
    } else {
      const code = key.replace(/^(lead|deal)_/, '');
      main[code] = value;
      mainSources.push({ code, key, in: 'fields' });
    }
  }
  return { main, contact, contactManager, mainSources, contactSources };
}

/** The client fields (sent by their CRM code) as refusable sources. */
export function clientSources(clientFields: Record<string, FieldValue>): FieldSource[] {
  return Object.keys(clientFields).map((code) => ({ code, key: code, in: 'clientFields' as const }));
}

/** The UTM fields Bitrix24 deals and leads have as standard fields. */
export function utmFields(lead: Lead): Record<string, string> {
  const out: Record<string, string> = {};
  const map = { UTM_SOURCE: lead.utm.source, UTM_MEDIUM: lead.utm.medium, UTM_CAMPAIGN: lead.utm.campaign, UTM_TERM: lead.utm.term, UTM_CONTENT: lead.utm.content };
  for (const [k, v] of Object.entries(map)) if (v) out[k] = v;
  return out;
}

/** A deal/lead we made for this lead id before (a crash after the CRM answered): its id, or null. */
export async function findByOrigin(ctx: CrmContext, entity: 'deal' | 'lead', leadId: string): Promise<string | null> {
  const rows = await b24Call(ctx, `crm.${entity}.list`, {
    filter: { ORIGINATOR_ID: ORIGINATOR, ORIGIN_ID: leadId },
    select: ['ID'],
  });
  const first = Array.isArray(rows) ? (rows[0] as { ID?: unknown } | undefined) : undefined;
  return first?.ID !== undefined ? String(first.ID) : null;
}

/** The client's existing contact, found by phone then email (Bitrix24's duplicate search). */
export async function findContact(ctx: CrmContext, lead: Lead): Promise<string | null> {
  for (const [type, value] of [['PHONE', lead.phone], ['EMAIL', lead.email]] as const) {
    if (!value) continue;
    const found = await b24Call(ctx, 'crm.duplicate.findbycomm', { entity_type: 'CONTACT', type, values: [value] });
    // No match is an empty array; a match is {CONTACT: [ids]}.
    const ids = typeof found === 'object' && found !== null && !Array.isArray(found) ? (found as { CONTACT?: unknown }).CONTACT : undefined;
    if (Array.isArray(ids) && ids.length) return String(ids[0]);
  }
  return null;
}

/** The responsible user of a contact. */
export async function contactManager(ctx: CrmContext, contactId: string): Promise<string | null> {
  const c = (await b24Call(ctx, 'crm.contact.get', { id: contactId })) as { ASSIGNED_BY_ID?: unknown } | null;
  return c?.ASSIGNED_BY_ID ? String(c.ASSIGNED_BY_ID) : null;
}

export async function addTimelineComment(ctx: CrmContext, entity: 'deal' | 'lead', crmId: string, title: string, message: string): Promise<void> {
  await b24Call(ctx, 'crm.timeline.comment.add', {
    fields: { ENTITY_ID: Number(crmId), ENTITY_TYPE: entity, COMMENT: title ? `${title}\n${message}` : message },
  });
}

interface B24FieldInfo {
  type?: string;
  isReadOnly?: boolean;
  title?: string;
  listLabel?: string;
  formLabel?: string;
  items?: { ID: string; VALUE: string }[];
}

/** crm.deal.fields / crm.lead.fields as picker fields; read-only ones are left out. */
export async function entityFields(ctx: CrmContext, entity: 'deal' | 'lead'): Promise<CrmField[]> {
  const result = (await b24Call(ctx, `crm.${entity}.fields`)) as Record<string, B24FieldInfo> | null;
  const fields: CrmField[] = [];
  for (const [key, f] of Object.entries(result ?? {})) {
    if (f.isReadOnly) continue;
    fields.push({
      key,
      // User fields carry their human name in listLabel/formLabel; `title` is then just the code.
      label: f.formLabel || f.listLabel || f.title || key,
      ...(f.type ? { type: f.type } : {}),
      ...(f.items?.length ? { options: f.items.map((i) => ({ value: i.ID, label: i.VALUE })) } : {}),
    });
  }
  fields.push({ key: CONTACT_MANAGER_FLAG, label: 'Responsible manager as in the found contact (Y)', type: 'char' });
  return fields;
}

export function b24TestConnection(ctx: CrmContext): Promise<{ ok: boolean; message: string }> {
  return checkConnection(async () => {
    const p = (await b24Call(ctx, 'profile')) as { NAME?: string; LAST_NAME?: string } | null;
    return `connected to Bitrix24 as ${[p?.NAME, p?.LAST_NAME].filter(Boolean).join(' ') || 'the webhook user'}`;
  });
}

/** Bitrix24's REST limit (cloud): a leaky bucket of 50 draining 2 per second. */
export const B24_RATE_LIMIT = { count: 2, perMs: 1000, burst: 50 };
