// amoCRM (API v4): one POST /api/v4/leads/complex makes the deal with its contact, tags and the
// visit's UTM tags (the deal's tracking_data fields UTM_SOURCE…); the comment becomes a "common" note
// on the deal. Auth: a long-lived token as a Bearer header.
import { z } from 'zod';
import type { Lead } from '../../../shared/schemas.ts';
import { checkConnection, createKeepingLead, setting } from './adapter-kit.ts';
import { excerpt } from './http.ts';
import { CrmError, type CrmContext, type CrmField, type CrmNote } from './types.ts';
import { defineAdapter } from './define-adapter.ts';
import { required, httpUrl } from './setting-schemas.ts';
import { type EnumIds, amoComplexLead, utmFields } from './amocrm-mapping.ts';
import { call } from './amocrm-api.ts';

/** The account's fields change rarely: their enum ids are read once in a while, not for every lead. */
const ENUMS_TTL_MS = 5 * 60_000;
const enumCache = new Map<string, { at: number; enums: EnumIds }>();

/** The account's deal list fields and their enum ids: read only when a single numeric value may be one. */
async function dealEnumIds(ctx: CrmContext, lead: Lead): Promise<EnumIds> {
  const needed = Object.entries(lead.fields).some(([k, v]) => /^\d+$/.test(k) && !Array.isArray(v) && /^\d+$/.test(v));
  if (!needed) return new Map();
  const key = `${setting(ctx, 'baseUrl')}\n${setting(ctx, 'token')}`;
  const now = ctx.now?.() ?? Date.now();
  const cached = enumCache.get(key);
  if (cached && now - cached.at <= ENUMS_TTL_MS) return cached.enums;
  const enums: EnumIds = new Map();
  for (const f of await dealCustomFields(ctx)) if (f.enums?.length) enums.set(f.id, new Set(f.enums.map((e) => e.id)));
  enumCache.set(key, { at: now, enums });
  return enums;
}

/** The deal's custom fields (paged by 250, amoCRM's maximum; an empty page is a 204 with no body). */
async function dealCustomFields(ctx: CrmContext): Promise<AmoCustomField[]> {
  const out: AmoCustomField[] = [];
  for (let page = 1; page <= 40; page++) {
    const res = await call(ctx, 'GET', `/api/v4/leads/custom_fields?limit=250&page=${page}`);
    const body = res.body as { _embedded?: { custom_fields?: AmoCustomField[] }; _links?: { next?: unknown } } | string;
    if (typeof body !== 'object') break;
    out.push(...(body._embedded?.custom_fields ?? []));
    if (!body._links?.next) break;
  }
  return out;
}

async function addNote(ctx: CrmContext, crmId: string, title: string, message: string): Promise<void> {
  const text = title ? `${title}\n${message}` : message;
  await call(ctx, 'POST', `/api/v4/leads/${encodeURIComponent(crmId)}/notes`, [
    { note_type: 'common', params: { text } },
  ]);
}

interface AmoCustomField {
  id: number;
  name: string;
  type: string;
  enums?: { id: number; value: string }[] | null;
}

export const amocrm = defineAdapter({
  type: 'amocrm',
  label: 'amoCRM',
  settings: z.looseObject({
    baseUrl: httpUrl('The account address, https://ACCOUNT.amocrm.ru.'),
    token: required('A long-lived access token.'),
  }),
  secret: ['token'],
  // amoCRM: at most 7 requests per second per integration.
  rateLimit: { count: 7, perMs: 1000 },

  async create(lead, ctx) {
    const enums = await dealEnumIds(ctx, lead);
    // The UTM tags travel as the lead's own fields, so an account without one of them drops it like any field.
    const withUtm = { ...lead, fields: { ...utmFields(lead), ...lead.fields } };
    return createKeepingLead(
      withUtm,
      async (l) => {
        const { body, keys } = amoComplexLead(l, enums);
        const res = await call(ctx, 'POST', '/api/v4/leads/complex', [body], keys);
        const first = Array.isArray(res.body) ? (res.body[0] as { id?: unknown } | undefined) : undefined;
        if (typeof first?.id !== 'number') {
          throw new CrmError(`amoCRM answered without a deal id: ${excerpt(res)}`, { permanent: false, httpStatus: res.status });
        }
        const crmId = String(first.id);
        const pendingNotes: CrmNote[] = [];
        if (l.comment.trim()) {
          // The deal exists now: a failed note must not fail the delivery (a retry would make a second
          // deal); the worker queues it as a note job, retried like any note.
          const note = { title: '', message: l.comment };
          await addNote(ctx, crmId, note.title, note.message).catch(() => pendingNotes.push(note));
        }
        return { crmId, httpStatus: res.status, ...(pendingNotes.length ? { pendingNotes } : {}) };
      },
      (crmId, note) => addNote(ctx, crmId, note.title, note.message),
    );
  },

  async addNote(_lead, crmId, note, ctx) {
    await addNote(ctx, crmId, note.title, note.message);
  },

  async fields(ctx) {
    const fields: CrmField[] = [
      { key: 'price', label: 'Budget', type: 'numeric' },
      { key: 'responsible_user_id', label: 'Responsible user id', type: 'numeric' },
      { key: 'status_id', label: 'Status id', type: 'numeric' },
      { key: 'pipeline_id', label: 'Pipeline id', type: 'numeric' },
      { key: 'tags', label: 'Tags (comma-separated)', type: 'text' },
    ];
    for (const f of await dealCustomFields(ctx)) {
      fields.push({
        key: String(f.id),
        label: f.name,
        type: f.type,
        ...(f.enums?.length ? { options: f.enums.map((e) => ({ value: String(e.id), label: e.value })) } : {}),
      });
    }
    return fields;
  },

  test(ctx) {
    return checkConnection(async () => {
      const res = await call(ctx, 'GET', '/api/v4/account');
      const name = (res.body as { name?: unknown }).name;
      return `connected to amoCRM account "${typeof name === 'string' ? name : '?'}"`;
    });
  },
});
