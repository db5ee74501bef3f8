// Salesforce (REST API): a lead becomes a Lead sObject.
//   create:   POST {baseUrl}/services/data/v{apiVersion}/sobjects/Lead            (201 {id, success, errors})
//             or, with the optional `externalIdField` setting (a Lead custom field marked "External ID",
//             e.g. Leadrelay_Id__c), an upsert PATCH …/sobjects/Lead/{field}/{lead id}: a retry after a
//             crash updates the same Lead instead of making a second one.
//   addNote:  POST …/sobjects/Note {ParentId, Title, Body}
//   fields:   GET  …/sobjects/Lead/describe      test: GET …/limits
// Auth: `Authorization: Bearer {accessToken}` (an OAuth access token or session id of the org's My Domain).
// Errors come as [{message, errorCode, fields}]. INVALID_SESSION_ID (401) is permanent;
// REQUEST_LIMIT_EXCEEDED comes as 403 and is transient (the org's daily or concurrency limit).
// Mapping: name → FirstName + LastName (split by splitName; LastName is required, so a one-word name is
// the LastName), phone → Phone, email → Email, title and comment → Description, Company defaults to
// "[not provided]" as Web-to-Lead does; the article's extra fields (Company, Title, Owner → OwnerId, any
// API name such as Budget__c) and clientFields go onto the Lead (Salesforce has no separate contact for a
// Lead). Multi-value fields are joined with ";" (multi-select picklists). Values are fitted to the Lead's
// field lengths (the full text then goes to Description), a malformed email goes to Description instead
// of failing the Lead, and a field Salesforce refuses (INVALID_FIELD, STRING_TOO_LONG…) is dropped and
// kept in a Note (createKeepingLead).
import { z } from 'zod';
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { checkConnection, createKeepingLead, looksLikeEmail, setting } from './adapter-kit.ts';
import { errorFromResponse, excerpt, joinUrl, parseRetryAfter, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { splitName } from './person-name.ts';
import { CrmError, type CrmContext, type CrmField, type CrmResult, type RefusedField } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optional, required, httpUrl } from './setting-schemas.ts';

const DEFAULT_API_VERSION = '60.0';
/** Salesforce's own placeholder for a Web-to-Lead without a company. */
const NO_COMPANY = '[not provided]';
/** The daily API limit is a rolling 24 h window: waiting an hour before the next try is sane. */
const DAILY_LIMIT_WAIT_MS = 60 * 60 * 1000;
/** The concurrent long-request limit clears within seconds. */
const CONCURRENCY_WAIT_MS = 5_000;

function apiBase(ctx: CrmContext): string {
  const baseUrl = ctx.settings.baseUrl?.trim();
  if (!baseUrl) throw new CrmError('Salesforce: baseUrl (the My Domain URL) is not set', { permanent: true });
  const version = setting(ctx, 'apiVersion', DEFAULT_API_VERSION).replace(/^v/i, '');
  if (!/^\d{2,3}\.\d$/.test(version)) {
    throw new CrmError(`Salesforce: apiVersion "${version}" is not like 60.0`, { permanent: true });
  }
  return joinUrl(baseUrl, `/services/data/v${version}`);
}

function headers(settings: Record<string, string>): Record<string, string> {
  if (!settings.accessToken) throw new CrmError('Salesforce: accessToken is not set', { permanent: true });
  return {
    authorization: `Bearer ${settings.accessToken}`,
    'content-type': 'application/json',
    accept: 'application/json',
  };
}

interface SfError {
  message?: string;
  errorCode?: string;
  fields?: string[];
}

function sfErrors(res: CrmResponse): SfError[] {
  return Array.isArray(res.body) ? (res.body as SfError[]) : [];
}

/** Where each Lead field sent came from in the lead, to name a field Salesforce refuses by its form key. */
type FieldSources = Map<string, { key: string; in: 'fields' | 'clientFields' }>;

function toError(res: CrmResponse, sources?: FieldSources): CrmError {
  const errors = sfErrors(res);
  if (sources && res.status === 400) {
    // Each error names its fields: [{message, errorCode: "INVALID_FIELD" | "STRING_TOO_LONG" | …, fields: ["X__c"]}].
    const refused: RefusedField[] = errors.flatMap((e) =>
      (e.fields ?? []).flatMap((f) => {
        const source = sources.get(f);
        return source ? [{ ...source, reason: `${e.errorCode ?? 'ERROR'}: ${e.message ?? ''}` }] : [];
      }),
    );
    if (refused.length) {
      const err = toError(res);
      return new CrmError(err.message, { permanent: err.permanent, httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs, refused });
    }
  }
  const message = errors.length
    ? errors.map((e) => `${e.errorCode ?? 'ERROR'}: ${e.message ?? ''}${e.fields?.length ? ` (${e.fields.join(', ')})` : ''}`).join('; ')
    : excerpt(res);
  const limit = errors.find((e) => e.errorCode === 'REQUEST_LIMIT_EXCEEDED');
  if (limit) {
    const concurrent = /concurrent/i.test(limit.message ?? '');
    return new CrmError(`HTTP ${res.status}: ${message}`, {
      permanent: false,
      httpStatus: res.status,
      retryAfterMs: parseRetryAfter(res.headers.get('retry-after')) ?? (concurrent ? CONCURRENCY_WAIT_MS : DAILY_LIMIT_WAIT_MS),
    });
  }
  return errorFromResponse(res, message);
}

function asSfValue(v: FieldValue): string {
  return Array.isArray(v) ? v.join(';') : v;
}

/**
 * The Lead's text field lengths (Salesforce Object Reference, Lead): a longer value is refused with
 * STRING_TOO_LONG, so values are cut to fit and the full text is kept in Description.
 */
export const LEAD_FIELD_LENGTHS: Record<string, number> = {
  FirstName: 40, MiddleName: 40, LastName: 80, Suffix: 40, Salutation: 40, Company: 255, Title: 128,
  Phone: 40, MobilePhone: 40, Fax: 40, Email: 80, Website: 255, Street: 255, City: 40, State: 80,
  PostalCode: 20, Country: 80, Industry: 255, LeadSource: 255, Status: 255, Rating: 255, Description: 32000,
};

/** The Lead record the lead becomes, and which form key each extra field came from. */
export function salesforceLeadBody(lead: Lead): { body: Record<string, string>; sources: FieldSources } {
  const name = splitName(lead.name);
  const first = [name.first, name.middle].filter(Boolean).join(' ');
  const body: Record<string, string> = {
    // LastName is required: a one-word name is the last name.
    LastName: name.last || first || lead.phone || lead.email || NO_COMPANY,
    Company: NO_COMPANY,
    LeadSource: 'Web',
  };
  if (name.last && first) body.FirstName = first;
  if (lead.phone) body.Phone = lead.phone;
  const notes: string[] = [];
  if (lead.email && looksLikeEmail(lead.email)) body.Email = lead.email.trim();
  else if (lead.email) notes.push(`Email (not a valid address): ${lead.email}`);
  const sources: FieldSources = new Map();
  for (const [bag, values] of [['clientFields', lead.clientFields], ['fields', lead.fields]] as const) {
    for (const [key, value] of Object.entries(values)) {
      // The article names the owner "Owner"; the writable API field is OwnerId.
      const field = key === 'Owner' ? 'OwnerId' : key;
      body[field] = asSfValue(value);
      sources.set(field, { key, in: bag });
    }
  }
  for (const [field, max] of Object.entries(LEAD_FIELD_LENGTHS)) {
    const value = body[field];
    if (field === 'Description' || value === undefined || value.length <= max) continue;
    body[field] = value.slice(0, max);
    notes.push(`${field} (full): ${value}`);
  }
  const description = [lead.title, lead.comment, body.Description ?? '', ...notes].filter(Boolean).join('\n\n');
  if (description) body.Description = description.slice(0, LEAD_FIELD_LENGTHS.Description);
  return { body, sources };
}

/** REST API calls under /services/data/vNN.N; `sources` names the lead's fields a validation error may refuse. */
const call = jsonClient<FieldSources>({
  base: apiBase,
  headers: (ctx) => headers(ctx.settings),
  error: (res, sources) => toError(res, sources),
});

async function sendLead(lead: Lead, ctx: CrmContext): Promise<CrmResult> {
  const { body, sources } = salesforceLeadBody(lead);
  const extField = setting(ctx, 'externalIdField', '');
  let res: CrmResponse;
  if (extField) {
    // The external-id value travels in the URL and must not be repeated in the body.
    delete body[extField];
    res = await call(ctx, 'PATCH', `/sobjects/Lead/${encodeURIComponent(extField)}/${encodeURIComponent(lead.id)}`, body, sources);
  } else {
    res = await call(ctx, 'POST', '/sobjects/Lead', body, sources);
  }
  const id = (res.body as { id?: unknown } | null)?.id;
  if (typeof id === 'string') return { crmId: id, httpStatus: res.status };
  if (extField) {
    // Older API versions answer an upsert that updated a record with 204 and no body: read the id back.
    const got = await call(ctx, 'GET', `/sobjects/Lead/${encodeURIComponent(extField)}/${encodeURIComponent(lead.id)}?fields=Id`);
    if (got.status !== 200) throw toError(got);
    const gotId = (got.body as { Id?: unknown } | null)?.Id;
    if (typeof gotId === 'string') return { crmId: gotId, httpStatus: res.status };
  }
  throw new CrmError(`Salesforce answered ${res.status} without a Lead id: ${excerpt(res)}`, { permanent: false, httpStatus: res.status });
}

function create(lead: Lead, ctx: CrmContext): Promise<CrmResult> {
  return createKeepingLead(lead, (l) => sendLead(l, ctx), (crmId, note) => addNote(lead, crmId, note, ctx));
}

async function addNote(_lead: Lead, crmId: string, note: { title: string; message: string }, ctx: CrmContext) {
  // Note.Title is required and limited to 80 characters.
  await call(ctx, 'POST', '/sobjects/Note', { ParentId: crmId, Title: (note.title || 'Comment').slice(0, 80), Body: note.message });
}

interface SfDescribeField {
  name: string;
  label: string;
  type: string;
  createable?: boolean;
  picklistValues?: { value: string; label: string; active?: boolean }[];
}

async function listFields(ctx: CrmContext): Promise<CrmField[]> {
  const res = await call(ctx, 'GET', '/sobjects/Lead/describe');
  if (res.status !== 200) throw toError(res);
  const fields = (res.body as { fields?: SfDescribeField[] } | null)?.fields ?? [];
  return fields
    .filter((f) => f.createable !== false)
    .map((f) => {
      const field: CrmField = { key: f.name, label: f.label, type: f.type };
      const options = (f.picklistValues ?? []).filter((p) => p.active !== false);
      if (options.length) field.options = options.map((p) => ({ value: p.value, label: p.label }));
      return field;
    });
}

function testConnection(ctx: CrmContext) {
  return checkConnection(async () => {
    const res = await call(ctx, 'GET', '/limits');
    if (res.status !== 200) throw toError(res);
    const daily = (res.body as { DailyApiRequests?: { Max?: number; Remaining?: number } } | null)?.DailyApiRequests;
    const left = daily ? `: ${daily.Remaining} of ${daily.Max} daily API requests left` : '';
    return `Connected to Salesforce${left}`;
  });
}

export const salesforce = defineAdapter({
  type: 'salesforce',
  label: 'Salesforce',
  settings: z.looseObject({
    baseUrl: httpUrl('The My Domain address, https://DOMAIN.my.salesforce.com.'),
    accessToken: required('An OAuth access token.'),
    apiVersion: optional('The REST API version, e.g. 60.0 (the default).'),
    externalIdField: optional('A Lead external id field to upsert by the lead id (no duplicates on retries).'),
  }),
  secret: ['accessToken'],
  // Salesforce has no per-second limit; it caps an org's API calls per rolling 24 h (15,000 on a
  // Developer Edition, 100,000+ on Enterprise) and 25 concurrent long requests. One lead is one call;
  // 5 a second keeps a backlog from burning a small org's daily allowance in minutes.
  rateLimit: { count: 5, perMs: 1000 },
  create,
  addNote,
  fields: listFields,
  test: testConnection,
});
