// FreshOffice's API 2.0 client (the protocol: freshoffice.ts's header; docs/architecture.md "CRM adapters"):
// the standard-object answers, their errors, and the account's users and deal directories, kept a while.
import { createHash } from 'node:crypto';
import { setting } from './adapter-kit.ts';
import { errorFromResponse, excerpt, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { CrmError, type CrmContext } from './types.ts';

const DEFAULT_BASE_URL = 'https://do.myfreshcloud.com';

const DIRECTORY_TTL_MS = 10 * 60_000;

export interface StandardAnswer {
  /** The HTTP status (ours, not FreshOffice's field). */
  httpStatus?: number;
  status?: string;
  error?: string | null;
  code?: string;
  value?: unknown;
}

function headers(settings: Record<string, string>): Record<string, string> {
  if (!settings.token) throw new CrmError('FreshOffice: token is not set', { permanent: true });
  return { authorization: `Bearer ${settings.token}`, 'content-type': 'application/json', accept: 'application/json' };
}

function answerOf(res: CrmResponse): StandardAnswer {
  return (typeof res.body === 'object' && res.body !== null ? res.body : {}) as StandardAnswer;
}

const request = jsonClient({
  base: (ctx) => setting(ctx, 'baseUrl', DEFAULT_BASE_URL),
  headers: (ctx) => headers(ctx.settings),
  ok: (res) => res.status >= 200 && res.status < 300 && answerOf(res).status === 'success',
  error: (res) => {
    const message = answerOf(res).error || excerpt(res);
    // A 2xx with status "error" is a refusal of this request (validation): retrying cannot fix it.
    return errorFromResponse(res.status < 400 ? { ...res, status: 422 } : res, message);
  },
});

export async function call(ctx: CrmContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<StandardAnswer> {
  const res = await request(ctx, method, path, body);
  return { ...answerOf(res), httpStatus: res.status };
}

interface FoUser {
  id?: number | string;
  name?: string;
  fio?: string;
}

interface FoDirectoryRow {
  ID?: number | string;
  NAME?: string;
  ID_TYPE_OF_DEAL?: number | string | null;
  IS_FINAL?: boolean | string | number;
}

/** A list answer: `value` is JSON-encoded text of the list (an array is taken as it is). */
function listValue<T>(answer: StandardAnswer, what: string): T[] {
  let v = answer.value;
  if (typeof v === 'string') {
    const text = v;
    try {
      v = JSON.parse(text);
    } catch {
      throw new CrmError(`FreshOffice answered a ${what} list that is not JSON: ${text.slice(0, 100)}`, { permanent: false });
    }
  }
  if (v === null || v === undefined || v === '') return [];
  if (!Array.isArray(v)) throw new CrmError(`FreshOffice answered a ${what} list that is not a list`, { permanent: false });
  return v as T[];
}

const cache = new Map<string, { at: number; value: unknown }>();

/** One list per account, kept for a while: a lead should not cost three extra reads. */
export async function cached<T>(ctx: CrmContext, what: string, load: () => Promise<T>): Promise<T> {
  const token = createHash('sha256').update(ctx.settings.token ?? '').digest('hex').slice(0, 16);
  const key = `${setting(ctx, 'baseUrl', DEFAULT_BASE_URL)}\n${token}\n${what}`;
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < DIRECTORY_TTL_MS) return hit.value as T;
  const value = await load();
  cache.set(key, { at: Date.now(), value });
  return value;
}

export async function users(ctx: CrmContext): Promise<FoUser[]> {
  return listValue<FoUser>(await call(ctx, 'GET', '/users/list'), 'users');
}

export const dealTypes = (ctx: CrmContext) => cached(ctx, 'types', async () => listValue<FoDirectoryRow>(await call(ctx, 'GET', '/directory/32'), 'deal type'));

export const dealStatuses = (ctx: CrmContext) => cached(ctx, 'statuses', async () => listValue<FoDirectoryRow>(await call(ctx, 'GET', '/directory/31'), 'deal status'));
