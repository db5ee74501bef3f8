// HubSpot (CRM API v3, private app token as Bearer): the contact (or the one HubSpot already has
// for that email), then the deal associated with it in the same create call; notes are note
// objects associated with the deal. The name is split into firstname/lastname (splitName); a deal
// without a status starts in its pipeline's first stage; a property HubSpot refuses is dropped and
// kept in a note (createKeepingLead).
import { z } from 'zod';
import type { FieldValue, Lead } from '../../../shared/schemas.ts';
import { checkConnection, createKeepingLead, dealTitle, looksLikeEmail, setting } from './adapter-kit.ts';
import { errorFromResponse, excerpt, parseRetryAfter, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { splitName } from './person-name.ts';
import { CrmError, type CrmContext, type CrmField, type CrmNote, type RefusedField } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { optionalUrl, required } from './setting-schemas.ts';

const DEFAULT_BASE = 'https://api.hubapi.com';
/** HubSpot-defined association type ids (Associations v4 reference). */
const DEAL_TO_CONTACT = 3;
const NOTE_TO_DEAL = 214;
/** The reference article's names for deal properties. */
const ALIASES: Record<string, string> = { status: 'dealstage' };

/** Multiple-checkbox values are one string, options separated by ";". */
const propValue = (v: FieldValue): string => (Array.isArray(v) ? v.join(';') : v);

/** Where each property sent came from in the lead, to name a property HubSpot refuses by its form key. */
type PropertySources = Map<string, { key: string; in: 'fields' | 'clientFields' }>;

/**
 * HubSpot's 400 VALIDATION_ERROR lists the refused properties as JSON in its message:
 * `Property values were not valid: [{"isValid":false,"message":…,"error":"PROPERTY_DOESNT_EXIST","name":"x"}]`.
 */
function refusedProperties(message: string, sources: PropertySources): RefusedField[] {
  const at = message.indexOf('[');
  if (!message.startsWith('Property values were not valid') || at < 0) return [];
  let list: unknown;
  try {
    list = JSON.parse(message.slice(at));
  } catch {
    return [];
  }
  if (!Array.isArray(list)) return [];
  const out: RefusedField[] = [];
  for (const item of list as { name?: unknown; error?: unknown; message?: unknown }[]) {
    const source = typeof item.name === 'string' ? sources.get(item.name) : undefined;
    if (source) out.push({ ...source, reason: [item.error, item.message].filter((x) => typeof x === 'string' && x).join(': ') });
  }
  return out;
}

function hubspotError(res: CrmResponse, sources?: PropertySources): CrmError {
  const b = res.body as { message?: unknown; category?: unknown; errors?: { message?: string }[] } | string;
  let message = excerpt(res);
  let refused: RefusedField[] = [];
  if (typeof b === 'object' && typeof b.message === 'string') {
    message = typeof b.category === 'string' ? `${b.category}: ${b.message}` : b.message;
    if (sources && res.status === 400) refused = refusedProperties(b.message, sources);
  }
  // HubSpot answers 429 without Retry-After but names its window; waiting one window is enough.
  const windowMs = Number(res.headers.get('x-hubspot-ratelimit-interval-milliseconds'));
  const retry = parseRetryAfter(res.headers.get('retry-after')) ?? (res.status === 429 && windowMs > 0 ? windowMs : null);
  const err = errorFromResponse(res, message, retry);
  return refused.length ? new CrmError(err.message, { permanent: err.permanent, httpStatus: err.httpStatus, retryAfterMs: err.retryAfterMs, refused }) : err;
}

/** CRM API calls; `sources` names the lead's fields a validation error may refuse. */
const call = jsonClient<PropertySources>({
  base: (ctx) => setting(ctx, 'baseUrl', DEFAULT_BASE),
  headers: (ctx) => ({ authorization: `Bearer ${setting(ctx, 'token')}`, accept: 'application/json' }),
  error: (res, sources) => hubspotError(res, sources),
});

const idOf = (res: CrmResponse): string => String((res.body as { id?: unknown }).id);

/** The contact: the name split into firstname/lastname (a patronymic stays with the first name), then client fields. */
export function hubspotContactProperties(lead: Lead): { properties: Record<string, string>; sources: PropertySources } {
  const props: Record<string, string> = {};
  const sources: PropertySources = new Map();
  const name = splitName(lead.name);
  const first = [name.first, name.middle].filter(Boolean).join(' ');
  if (first) props.firstname = first;
  if (name.last) props.lastname = name.last;
  // A mistyped address would make HubSpot refuse the contact: it goes to the deal's description instead.
  if (lead.email && looksLikeEmail(lead.email)) props.email = lead.email.trim();
  if (lead.phone) props.phone = lead.phone;
  for (const [k, v] of Object.entries(lead.clientFields)) {
    props[k] = propValue(v);
    sources.set(k, { key: k, in: 'clientFields' });
  }
  return { properties: props, sources };
}

export function hubspotDealProperties(lead: Lead): { properties: Record<string, string>; sources: PropertySources } {
  const props: Record<string, string> = { dealname: dealTitle(lead.title, lead.name, lead.phone, lead.email) };
  const sources: PropertySources = new Map();
  const badEmail = lead.email && !looksLikeEmail(lead.email) ? `Email (not a valid address): ${lead.email}` : '';
  const description = [lead.comment, badEmail].filter(Boolean).join('\n\n');
  if (description) props.description = description;
  for (const [k, v] of Object.entries(lead.fields)) {
    const name = ALIASES[k] ?? k;
    props[name] = propValue(v);
    sources.set(name, { key: k, in: 'fields' });
  }
  return { properties: props, sources };
}

/** Creates the contact; when HubSpot already has one with this email (409), that one is used. */
async function upsertContact(ctx: CrmContext, lead: Lead): Promise<string | null> {
  const { properties, sources } = hubspotContactProperties(lead);
  if (!properties.email && !properties.phone && !properties.firstname && !properties.lastname) return null;
  try {
    return idOf(await call(ctx, 'POST', '/crm/v3/objects/contacts', { properties }, sources));
  } catch (err) {
    const existing = err instanceof CrmError && err.httpStatus === 409 ? /Existing ID: (\d+)/.exec(err.message) : null;
    if (existing) return existing[1]!;
    throw err;
  }
}

interface HubSpotPipeline {
  id: string;
  displayOrder?: number;
  stages?: { id: string; displayOrder?: number }[];
}

/** Pipelines change rarely: read them once in a while, not for every lead. */
const PIPELINES_TTL_MS = 5 * 60_000;
const pipelineCache = new Map<string, { at: number; pipelines: HubSpotPipeline[] }>();

/**
 * A new deal should carry `dealstage` (and `pipeline`) (HubSpot CRM v3 deals guide): without a status
 * from the form, the deal starts in the first stage, by display order, of its pipeline (the form's
 * `pipeline`, else "default", else the first pipeline) (GET /crm/v3/pipelines/deals).
 */
async function firstStage(ctx: CrmContext, pipelineId: string | undefined): Promise<{ pipeline: string; dealstage: string } | null> {
  const key = `${setting(ctx, 'baseUrl', DEFAULT_BASE)}\n${setting(ctx, 'token')}`;
  const now = ctx.now?.() ?? Date.now();
  let cached = pipelineCache.get(key);
  if (!cached || now - cached.at > PIPELINES_TTL_MS || (pipelineId && !cached.pipelines.some((p) => p.id === pipelineId))) {
    const res = await call(ctx, 'GET', '/crm/v3/pipelines/deals');
    cached = { at: now, pipelines: (res.body as { results?: HubSpotPipeline[] }).results ?? [] };
    pipelineCache.set(key, cached);
  }
  const byOrder = <T extends { displayOrder?: number }>(list: T[]) => [...list].sort((a, b) => (a.displayOrder ?? 0) - (b.displayOrder ?? 0));
  const pipeline = pipelineId
    ? cached.pipelines.find((p) => p.id === pipelineId)
    : (cached.pipelines.find((p) => p.id === 'default') ?? byOrder(cached.pipelines)[0]);
  const stage = pipeline ? byOrder(pipeline.stages ?? [])[0] : undefined;
  return pipeline && stage ? { pipeline: pipeline.id, dealstage: stage.id } : null;
}

async function createDeal(ctx: CrmContext, lead: Lead) {
  const contactId = await upsertContact(ctx, lead);
  const { properties, sources } = hubspotDealProperties(lead);
  if (properties.dealstage === undefined) {
    const start = await firstStage(ctx, properties.pipeline);
    if (start) Object.assign(properties, { pipeline: properties.pipeline ?? start.pipeline, dealstage: start.dealstage });
  }
  const res = await call(ctx, 'POST', '/crm/v3/objects/deals', {
    properties,
    associations: contactId
      ? [{ to: { id: contactId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: DEAL_TO_CONTACT }] }]
      : [],
  }, sources);
  return { crmId: idOf(res), httpStatus: res.status };
}

async function addNote(ctx: CrmContext, crmId: string, note: CrmNote): Promise<void> {
  await call(ctx, 'POST', '/crm/v3/objects/notes', {
    properties: {
      hs_timestamp: new Date(ctx.now?.() ?? Date.now()).toISOString(),
      hs_note_body: note.title ? `${note.title}\n${note.message}` : note.message,
    },
    associations: [{ to: { id: crmId }, types: [{ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: NOTE_TO_DEAL }] }],
  });
}

interface HubSpotProperty {
  name: string;
  label: string;
  type: string;
  hidden?: boolean;
  calculated?: boolean;
  modificationMetadata?: { readOnlyValue?: boolean };
  options?: { label: string; value: string; hidden?: boolean }[];
}

export const hubspot = defineAdapter({
  type: 'hubspot',
  label: 'HubSpot',
  settings: z.looseObject({
    baseUrl: optionalUrl('The API address; empty: https://api.hubapi.com.'),
    token: required('A private app access token.'),
  }),
  secret: ['token'],
  // Private apps: 100 requests per 10 seconds (Free/Starter; higher tiers allow more).
  rateLimit: { count: 100, perMs: 10_000 },

  create(lead, ctx) {
    return createKeepingLead(lead, (l) => createDeal(ctx, l), (crmId, note) => addNote(ctx, crmId, note));
  },

  async addNote(_lead, crmId, note, ctx) {
    await addNote(ctx, crmId, note);
  },

  async fields(ctx) {
    const res = await call(ctx, 'GET', '/crm/v3/properties/deals');
    const props = (res.body as { results?: HubSpotProperty[] }).results ?? [];
    const fields: CrmField[] = [];
    for (const p of props) {
      if (p.hidden || p.calculated || p.modificationMetadata?.readOnlyValue) continue;
      const options = (p.options ?? []).filter((o) => !o.hidden).map((o) => ({ value: o.value, label: o.label }));
      fields.push({ key: p.name, label: p.label, type: p.type, ...(options.length ? { options } : {}) });
    }
    return fields;
  },

  test(ctx) {
    return checkConnection(async () => {
      await call(ctx, 'GET', '/crm/v3/objects/deals?limit=1');
      return 'connected to HubSpot';
    });
  },
});

