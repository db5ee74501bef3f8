// Megaplan's API v3 client (the protocol: megaplan.ts's header; docs/architecture.md "CRM adapters"):
// its OAuth tokens, kept in MegaplanMemory and renewed before they expire or once after a 401/403,
// and its error answers.
import { createHash } from 'node:crypto';
import { crmRequest, errorFromResponse, excerpt, joinUrl, type CrmResponse } from './http.ts';
import { jsonClient } from './json-client.ts';
import { CrmError, type CrmContext } from './types.ts';

/** Megaplan's 429 names no wait; its limits are per second and per hour. */
const RATE_LIMIT_WAIT_MS = 1000;

interface Token {
  access: string;
  refresh: string | null;
  /** When to renew it (ms since the epoch): a while before it expires; Infinity when Megaplan names no lifetime. */
  renewAt: number;
}

/** What the adapter keeps between calls, in memory. */
export interface MegaplanMemory {
  /** Access tokens by account+user+password hash: issuing one per lead would spend the hourly limit. */
  tokens: Map<string, Token>;
  /** Client cards made for leads whose deal is not made yet, by account and lead id. */
  contractorsMade: Map<string, string>;
}

export function newMegaplanMemory(): MegaplanMemory {
  return { tokens: new Map(), contractorsMade: new Map() };
}

export function baseUrl(settings: Record<string, string>): string {
  const url = settings.baseUrl?.trim();
  if (!url) throw new CrmError('Megaplan: baseUrl (https://ACCOUNT.megaplan.ru) is not set', { permanent: true });
  return url;
}

function tokenKey(settings: Record<string, string>): string {
  const pw = createHash('sha256').update(settings.password ?? '').digest('hex');
  return `${baseUrl(settings)}\n${settings.username ?? ''}\n${pw}`;
}

function apiMessage(res: CrmResponse): string {
  const body = res.body as { meta?: { errors?: { field?: string | null; message?: string }[] }; error?: string; error_description?: string } | null;
  const errors = body?.meta?.errors ?? [];
  if (errors.length) return errors.map((e) => (e.field ? `${e.field}: ${e.message ?? ''}` : (e.message ?? ''))).join('; ');
  if (body?.error) return `${body.error_description ?? ''} (${body.error})`.trim();
  return excerpt(res);
}

function toError(res: CrmResponse): CrmError {
  const err = errorFromResponse(res, apiMessage(res));
  if (res.status !== 429 || err.retryAfterMs !== null) return err;
  return new CrmError(err.message, { permanent: false, httpStatus: 429, retryAfterMs: RATE_LIMIT_WAIT_MS });
}

/** Renew a token an hour before it expires, or at 90% of a shorter life. */
function renewAt(expiresIn: unknown, now: number): number {
  const seconds = Number(expiresIn);
  if (!Number.isFinite(seconds) || seconds <= 0) return Infinity;
  return now + Math.max(seconds * 1000 - 3_600_000, seconds * 900);
}

async function tokenRequest(ctx: CrmContext, form: Record<string, string>) {
  return crmRequest(ctx, joinUrl(baseUrl(ctx.settings), '/api/v3/auth/access_token'), {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams(form).toString(),
  });
}

/** A new token: by the refresh token when there is one (a refused one falls back to the password). */
async function issueToken(m: MegaplanMemory, ctx: CrmContext, previous: Token | undefined): Promise<Token> {
  const { username, password } = ctx.settings;
  if (!username || !password) throw new CrmError('Megaplan: username and password are required', { permanent: true });
  let res: CrmResponse | null = null;
  if (previous?.refresh) {
    res = await tokenRequest(ctx, { grant_type: 'refresh_token', refresh_token: previous.refresh });
    if (res.status === 429 || res.status >= 500) throw toError(res);
    if (res.status !== 200) res = null; // invalid_grant: the refresh token is spent or revoked
  }
  res ??= await tokenRequest(ctx, { username, password, grant_type: 'password' });
  if (res.status !== 200) throw toError(res);
  const body = res.body as { access_token?: unknown; refresh_token?: unknown; expires_in?: unknown } | null;
  if (typeof body?.access_token !== 'string' || !body.access_token) {
    throw new CrmError('Megaplan: the token answer has no access_token', { permanent: false, httpStatus: 200 });
  }
  const token: Token = {
    access: body.access_token,
    refresh: typeof body.refresh_token === 'string' && body.refresh_token ? body.refresh_token : null,
    renewAt: renewAt(body.expires_in, Date.now()),
  };
  m.tokens.set(tokenKey(ctx.settings), token);
  return token;
}

/** The cached token, renewed first when it is due. */
async function currentToken(m: MegaplanMemory, ctx: CrmContext): Promise<Token> {
  const cachedToken = m.tokens.get(tokenKey(ctx.settings));
  if (cachedToken && Date.now() < cachedToken.renewAt) return cachedToken;
  return issueToken(m, ctx, cachedToken);
}

/** API v3 calls with a given token; an expired or revoked one (401, 403) is left to `api` to renew. */
const call = jsonClient<Token>({
  base: (ctx) => baseUrl(ctx.settings),
  headers: (_ctx, token) => ({ authorization: `Bearer ${token?.access ?? ''}`, accept: 'application/json' }),
  ok: (res) => (res.status >= 200 && res.status < 300) || res.status === 401 || res.status === 403,
  error: (res) => toError(res),
});

/** One API v3 call with the cached token; a 401 or 403 (an expired or revoked token) gets a new token once. */
export async function api(m: MegaplanMemory, ctx: CrmContext, method: 'GET' | 'POST', path: string, body?: unknown): Promise<CrmResponse> {
  let token = await currentToken(m, ctx);
  for (let attempt = 0; ; attempt++) {
    const res = await call(ctx, method, path, body, token);
    if ((res.status === 401 || res.status === 403) && attempt === 0) {
      const now = m.tokens.get(tokenKey(ctx.settings));
      // Another attempt may have renewed it meanwhile; else this one takes a new token.
      token = now && now.access !== token.access ? now : await issueToken(m, ctx, token);
      continue;
    }
    if (res.status < 200 || res.status >= 300) throw toError(res);
    return res;
  }
}

export function dataOf<T>(res: CrmResponse): T | undefined {
  return (res.body as { data?: T } | null)?.data;
}
