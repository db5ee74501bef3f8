// The Roistat-compatible proxy request (docs/http-api.md "Proxy API"), read the way PHP reads what PHP's
// http_build_query wrote: `a[b][0]=x` nesting, `[]` appends, `+` as space, and a `charset` parameter
// (top level or inside `fields`) naming the encoding of the percent-decoded bytes. Bytes are
// decoded only once the charset is known, which is why this parser works on bytes, not strings.
import { charsetExists, contentTypeCharset, decodeText, findCharset } from './charset.ts';
import { type ByteParam, newBudget } from './input-budget.ts';
import { jsonParams } from './json-body.ts';
import { multipartPairs } from './multipart.ts';
import { assignParam, type ParamMap, put } from './param-tree.ts';
import { extraOf, fieldRecord, flag, nodeText, visitOf } from './param-values.ts';
import { UnknownCharsetError } from './params-error.ts';
import { splitPairs } from './url-encoded.ts';
import type { FieldValue } from '../../../shared/schemas.ts';

export interface RawProxyRequest {
  /** The raw query string without "?", as it came on the wire (Latin-1 for any raw byte). */
  query: string;
  body?: Buffer | string;
  contentType?: string;
}

export interface ProxyParams {
  key: string;
  /** The visit number, `'nocookie'` when the site had none, null when absent or unreadable. */
  roistat: number | 'nocookie' | null;
  title: string;
  comment: string;
  name: string;
  email: string;
  phone: string;
  orderCreationMethod: string;
  /** '1' → true, '0' → false (off for this lead even if the form asks), absent → undefined. */
  isNeedCallback: boolean | undefined;
  callbackPhone: string;
  sync: boolean;
  /** Duplicate check among originals still in work only (default) or among all ('0'). */
  checkOrderInProcessing: boolean;
  checkOrderInProcessingAppend: boolean;
  isSkipSending: boolean;
  /** is_test=1: a test lead (docs/http-api.md "Test leads"), stored as `test`, never sent. */
  isTest: boolean;
  fields: Record<string, FieldValue>;
  clientFields: Record<string, FieldValue>;
  /** Every parameter we do not know, kept as sent. */
  extra: Record<string, FieldValue>;
  /** The charset the values were decoded from. */
  charset: string;
  /** Parameters past MAX_INPUT_VARS (or multipart parts with oversized headers), ignored as PHP does. */
  ignoredParams: number;
}

export interface MessageParams {
  key: string;
  id: string;
  title?: string;
  message: string;
  extra: Record<string, FieldValue>;
  charset: string;
}

const LEAD_KEYS = new Set([
  'key',
  'roistat',
  'title',
  'comment',
  'name',
  'email',
  'phone',
  'order_creation_method',
  'is_need_callback',
  'callback_phone',
  'sync',
  'is_need_check_order_in_processing',
  'is_need_check_order_in_processing_append',
  'is_skip_sending',
  'is_test',
  'fields',
  'client_fields',
  'charset',
]);
const MESSAGE_KEYS = new Set(['key', 'id', 'title', 'message', 'charset']);

export function parseProxyParams(raw: RawProxyRequest): ProxyParams {
  const { params, charset, ignored } = readParams(raw);
  const text = (k: string) => nodeText(params.get(k));
  const fields = params.get('fields');
  return {
    key: text('key').trim(),
    roistat: visitOf(text('roistat')),
    title: text('title'),
    comment: text('comment'),
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    orderCreationMethod: text('order_creation_method'),
    isNeedCallback: flag(text('is_need_callback')),
    callbackPhone: text('callback_phone'),
    sync: flag(text('sync')) ?? false,
    checkOrderInProcessing: flag(text('is_need_check_order_in_processing')) ?? true,
    checkOrderInProcessingAppend: flag(text('is_need_check_order_in_processing_append')) ?? false,
    isSkipSending: flag(text('is_skip_sending')) ?? false,
    isTest: flag(text('is_test')) ?? false,
    // `charset` inside fields is an instruction to us, not a CRM field.
    fields: fieldRecord(fields, new Set(['charset'])),
    clientFields: fieldRecord(params.get('client_fields')),
    extra: extraOf(params, LEAD_KEYS),
    charset,
    ignoredParams: ignored,
  };
}

export function parseMessageParams(raw: RawProxyRequest): MessageParams {
  const { params, charset } = readParams(raw);
  const title = params.get('title');
  return {
    key: nodeText(params.get('key')).trim(),
    id: nodeText(params.get('id')).trim(),
    ...(title === undefined ? {} : { title: nodeText(title) }),
    message: nodeText(params.get('message')),
    extra: extraOf(params, MESSAGE_KEYS),
    charset,
  };
}

// ---------- reading the request ----------

function readParams(raw: RawProxyRequest): { params: ParamMap; charset: string; ignored: number } {
  const mediaType = (raw.contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const body = raw.body === undefined ? undefined : Buffer.isBuffer(raw.body) ? raw.body : Buffer.from(raw.body, 'utf8');
  const queryBudget = newBudget();
  const bodyBudget = newBudget();
  const queryPairs = splitPairs(raw.query, queryBudget);
  let bodyPairs: ByteParam[] = [];
  let json: ParamMap | undefined;
  if (body && body.length > 0) {
    if (isJson(mediaType, body)) json = jsonParams(body, bodyBudget);
    else if (mediaType === 'multipart/form-data') bodyPairs = multipartPairs(body, raw.contentType ?? '', bodyBudget);
    else bodyPairs = splitPairs(body.toString('latin1'), bodyBudget);
  }

  const charset = findCharset([...queryPairs, ...bodyPairs], json) || contentTypeCharset(raw.contentType ?? '') || 'utf-8';
  if (!charsetExists(charset)) throw new UnknownCharsetError(charset);

  const params: ParamMap = new Map();
  // PHP's $_REQUEST order: the query first, the body overrides it.
  for (const p of [...queryPairs, ...bodyPairs]) assignParam(params, decodeText(p.key, charset), decodeText(p.value, charset));
  if (json) for (const [k, v] of json) put(params, k, v);
  return { params, charset, ignored: queryBudget.ignored + bodyBudget.ignored };
}

function isJson(mediaType: string, body: Buffer): boolean {
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return true;
  if (mediaType === 'application/x-www-form-urlencoded' || mediaType === 'multipart/form-data') return false;
  // text/plain or no type: a body that looks like a JSON object is one (a beacon's JSON goes as text/plain).
  const first = body.toString('latin1', 0, Math.min(body.length, 64)).trimStart()[0];
  return first === '{';
}
