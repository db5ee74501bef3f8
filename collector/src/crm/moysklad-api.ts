// MoySklad's JSON API 1.2 client (the protocol: moysklad.ts's header; docs/architecture.md "CRM adapters"):
// authorization, errors and waits, object references, filter lookups that a crafted value cannot
// bend, and custom attributes.
import type { FieldValue } from '../../../shared/schemas.ts';
import { asInteger, asNumber, asText, setting } from './adapter-kit.ts';
import { errorFromResponse, excerpt, joinUrl, parseRetryAfter, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { CrmError, type CrmContext } from './types.ts';

const DEFAULT_BASE = 'https://api.moysklad.ru/api/remap/1.2';

/** Characters that are filter syntax (condition separator, operators, escape): never sent inside a value. */
const FILTER_SYNTAX = /[;~=<>!\\]/;

export interface Meta {
  meta: { href: string; type: string; mediaType: 'application/json' };
}

const base = (ctx: CrmContext) => setting(ctx, 'baseUrl', DEFAULT_BASE);

/** A reference to another object, the way MoySklad links them. */
export function meta(ctx: CrmContext, path: string, type: string): Meta {
  return { meta: { href: joinUrl(base(ctx), path), type, mediaType: 'application/json' } };
}

function moyskladError(res: CrmResponse): CrmError {
  const b = res.body as { errors?: { error?: string; code?: number }[] } | string;
  const list = typeof b === 'object' && Array.isArray(b.errors) ? b.errors : [];
  const message = list.length ? list.map((e) => (e.code ? `${e.error ?? ''} (code ${e.code})` : e.error ?? '')).join('; ') : excerpt(res);
  // On 429 MoySklad names the wait in milliseconds in X-Lognex-Retry-After.
  const lognex = Number(res.headers.get('x-lognex-retry-after'));
  const retry = parseRetryAfter(res.headers.get('retry-after')) ?? (Number.isFinite(lognex) && lognex > 0 ? lognex : res.status === 429 ? 3000 : null);
  return errorFromResponse(res, message, retry);
}

export const call = jsonClient({
  base,
  headers: (ctx) => ({
    authorization: `Bearer ${setting(ctx, 'token')}`,
    accept: 'application/json;charset=utf-8',
    // MoySklad refuses requests that do not accept compressed answers.
    'accept-encoding': 'gzip',
  }),
  error: (res) => moyskladError(res),
});

/**
 * Rows where `prop` equals `value` exactly. A value holding filter syntax is refused (null: "cannot look
 * it up"), and rows are re-checked with `same`, so a crafted value never selects someone else's record.
 */
export async function findRows<T extends { id: string }>(
  ctx: CrmContext,
  entity: string,
  prop: string,
  value: string,
  same: (row: T) => boolean,
): Promise<T | null> {
  if (!value || FILTER_SYNTAX.test(value) || /^\s|\s$/.test(value)) return null;
  const res = await call(ctx, 'GET', `/entity/${entity}?filter=${encodeURIComponent(`${prop}=${value}`)}&limit=10`);
  const rows = (res.body as { rows?: T[] }).rows ?? [];
  return rows.find(same) ?? null;
}

interface AttributeDef {
  id: string;
  name: string;
  type: string;
  meta: Meta['meta'];
}

export async function attributeDefs(ctx: CrmContext, entity: string): Promise<AttributeDef[]> {
  const res = await call(ctx, 'GET', `/entity/${entity}/metadata/attributes`);
  return (res.body as { rows?: AttributeDef[] }).rows ?? [];
}

/** Custom attributes by id or name, their values typed as MoySklad wants them. */
export async function attributes(ctx: CrmContext, entity: string, entries: [string, FieldValue][]): Promise<{ meta: Meta['meta']; value: unknown }[]> {
  if (!entries.length) return [];
  const defs = await attributeDefs(ctx, entity);
  return entries.map(([key, v]) => {
    const def = defs.find((d) => d.id === key) ?? defs.find((d) => d.name.toLowerCase() === key.toLowerCase());
    if (!def) throw new CrmError(`MoySklad has no ${entity} attribute "${key}"`, { permanent: true });
    let value: unknown = asText(v);
    if (def.type === 'long') value = asInteger(key, v);
    else if (def.type === 'double') value = asNumber(key, v);
    else if (def.type === 'boolean') value = ['1', 'true', 'y', 'yes'].includes(asText(v).trim().toLowerCase());
    return { meta: def.meta, value };
  });
}
