// The Roistat-compatible proxy request (docs/http-api.md "Proxy API"), read the way PHP reads what PHP's
// http_build_query wrote: `a[b][0]=x` nesting, `[]` appends, `+` as space, and a `charset` parameter
// (top level or inside `fields`) naming the encoding of the percent-decoded bytes. Bytes are
// decoded only once the charset is known, which is why this parser works on bytes, not strings.
import iconv from 'iconv-lite';
import type { FieldValue } from '../../../shared/schemas.ts';

/** Why a proxy request could not be read at all (the route answers 400 with `code`). */
export class ProxyParamsError extends Error {
  readonly code: 'UNKNOWN_CHARSET' | 'BAD_JSON';
  constructor(code: 'UNKNOWN_CHARSET' | 'BAD_JSON', message: string) {
    super(message);
    this.name = 'ProxyParamsError';
    this.code = code;
  }
}

export class UnknownCharsetError extends ProxyParamsError {
  readonly charset: string;
  constructor(charset: string) {
    super('UNKNOWN_CHARSET', `Unknown charset "${charset.slice(0, 64)}": use an encoding name such as UTF-8 or Windows-1251`);
    this.name = 'UnknownCharsetError';
    this.charset = charset;
  }
}

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

/** A parsed parameter: a string, or a PHP array (ordered; list indexes are decimal strings). */
type ParamNode = string | ParamMap;
type ParamMap = Map<string, ParamNode>;

// PHP's max_input_nesting_level is 64; nobody's CRM field needs more than a few.
const MAX_DEPTH = 32;
/**
 * PHP's max_input_vars: at most this many parameters are read from the query string and as many from
 * the body (each JSON value counts as one); the rest is ignored, as PHP ignores it, and counted.
 */
export const MAX_INPUT_VARS = 1000;
/** A multipart part whose header block is longer than this is ignored (real ones are a few lines). */
export const MAX_PART_HEADER_BYTES = 8 * 1024;

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

interface ByteParam {
  key: Buffer;
  value: Buffer;
}

/** How many more parameters one source (the query, or the body) may give; the rest is counted. */
interface InputBudget {
  left: number;
  ignored: number;
}
const newBudget = (): InputBudget => ({ left: MAX_INPUT_VARS, ignored: 0 });

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
  if (!iconv.encodingExists(charset)) throw new UnknownCharsetError(charset);

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

/** Splits `a=1&b=2` into percent-decoded byte pairs (`+` is a space, as RFC 1738 forms write it). */
function splitPairs(query: string, budget: InputBudget): ByteParam[] {
  const out: ByteParam[] = [];
  if (!query) return out;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    if (key === '') continue;
    if (budget.left === 0) {
      budget.ignored++;
      continue;
    }
    budget.left--;
    const value = eq === -1 ? '' : part.slice(eq + 1);
    out.push({ key: percentDecode(key), value: percentDecode(value) });
  }
  return out;
}

/** Percent-decodes to bytes. A character above U+00FF (a caller's JS string) goes in as UTF-8. */
function percentDecode(s: string): Buffer {
  // A UTF-16 unit becomes at most 3 bytes; an escape of 3 units becomes 1.
  const out = Buffer.allocUnsafe(s.length * 3);
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x2b) out[n++] = 0x20;
    else if (c === 0x25 && i + 2 < s.length && isHex(s.charCodeAt(i + 1)) && isHex(s.charCodeAt(i + 2))) {
      out[n++] = (hexValue(s.charCodeAt(i + 1)) << 4) | hexValue(s.charCodeAt(i + 2));
      i += 2;
    } else if (c <= 0xff) out[n++] = c;
    else {
      const cp = s.codePointAt(i)!;
      if (cp > 0xffff) i++;
      n += out.write(String.fromCodePoint(cp), n, 'utf8');
    }
  }
  return out.subarray(0, n);
}

function hexValue(c: number): number {
  return c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x57;
}

function isHex(c: number): boolean {
  return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
}

function decodeText(bytes: Buffer, charset: string): string {
  return isUtf8Name(charset) ? bytes.toString('utf8') : iconv.decode(bytes, charset);
}

function isUtf8Name(charset: string): boolean {
  return /^utf-?8$/i.test(charset);
}

/** `charset` or `fields[charset]`, read before any value is decoded (charset names are ASCII). */
function findCharset(pairs: ByteParam[], json: ParamMap | undefined): string {
  let found = '';
  for (const p of pairs) {
    const key = p.key.toString('latin1').replace(/\s/g, '');
    if (key === 'charset' || key === 'fields[charset]') found = p.value.toString('latin1').trim();
  }
  if (json) {
    // A JSON body is Unicode already; its charset is still checked so a typo is reported, and it
    // applies to the query string that may come with it.
    const fields = json.get('fields');
    const inner = fields instanceof Map ? fields.get('charset') : undefined;
    const named = nodeText(json.get('charset')) || (typeof inner === 'string' ? inner : '');
    if (named.trim()) found = named.trim();
  }
  return found;
}

function contentTypeCharset(contentType: string): string {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m ? m[1]! : '';
}

/**
 * Puts one `name[a][b]=value` into the tree as PHP's php_register_variable_ex does: spaces and dots
 * in the base name become `_`, `[]` appends after the largest integer index, a scalar met where an
 * array is needed is replaced, and a name nested deeper than MAX_DEPTH is dropped.
 */
function assignParam(root: ParamMap, rawKey: string, value: string): void {
  const key = rawKey.replace(/^ +/, '');
  const open = key.indexOf('[');
  const close = open === -1 ? -1 : key.indexOf(']', open);
  if (open === -1 || close === -1) {
    const base = key.replace(/[ .[]/g, '_');
    if (base) root.set(base, value);
    return;
  }
  const base = key.slice(0, open).replace(/[ .]/g, '_');
  if (!base) return;
  const path = [base];
  let i = open;
  while (i < key.length && key[i] === '[') {
    const end = key.indexOf(']', i);
    if (end === -1) break; // PHP ignores an unterminated trailing index
    path.push(key.slice(i + 1, end));
    if (path.length > MAX_DEPTH) return;
    i = end + 1;
  }

  let node = root;
  for (let d = 0; d < path.length; d++) {
    let segment = path[d]!;
    if (d > 0 && segment === '') segment = String(nextFree.get(node) ?? 0);
    if (d === path.length - 1) {
      put(node, segment, value);
      return;
    }
    let child = node.get(segment);
    if (!(child instanceof Map)) {
      child = new Map();
      put(node, segment, child);
    }
    node = child;
  }
}

/**
 * Each array's next free list index (PHP's nNextFreeElement: one past the largest integer key), kept
 * as keys are added, so an `x[]=` append costs the same however long the array already is.
 */
const nextFree = new WeakMap<ParamMap, number>();

function put(map: ParamMap, key: string, node: ParamNode): void {
  map.set(key, node);
  if (isListIndex(key)) {
    const next = Number(key) + 1;
    if (next > (nextFree.get(map) ?? 0)) nextFree.set(map, next);
  }
}

function isListIndex(key: string): boolean {
  return /^(0|[1-9]\d{0,14})$/.test(key);
}

/** A JSON body's object as a parameter tree: numbers and booleans become the strings PHP would send. */
function jsonParams(body: Buffer, budget: InputBudget): ParamMap {
  let value: unknown;
  try {
    value = JSON.parse(body.toString('utf8'));
  } catch {
    throw new ProxyParamsError('BAD_JSON', 'The request body is not valid JSON');
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new ProxyParamsError('BAD_JSON', 'The JSON body must be an object of parameters');
  }
  const tree = jsonNode(value, 0, budget);
  return tree instanceof Map ? tree : new Map();
}

function jsonNode(value: unknown, depth: number, budget: InputBudget): ParamNode | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (value === null || typeof value !== 'object' || depth >= MAX_DEPTH) return undefined; // http_build_query skips null too
  const map: ParamMap = new Map();
  const keys = Array.isArray(value) ? null : Object.keys(value);
  const count = keys ? keys.length : (value as unknown[]).length;
  for (let i = 0; i < count; i++) {
    if (budget.left === 0) {
      budget.ignored += count - i;
      break;
    }
    budget.left--;
    const k = keys ? keys[i]! : String(i);
    const node = jsonNode((value as Record<string, unknown>)[k], depth + 1, budget);
    if (node !== undefined) put(map, k, node);
  }
  return map;
}

/**
 * The text parts of a multipart/form-data body: what PHP's curl sends for CURLOPT_POSTFIELDS given
 * an array. Files are skipped (a lead has no attachments); part bodies are raw bytes. The headers are
 * read by splitting lines and scanning once, never by backtracking regular expressions, and a part
 * whose header block is over MAX_PART_HEADER_BYTES is ignored, so the work stays linear in the body.
 */
function multipartPairs(body: Buffer, contentType: string, budget: InputBudget): ByteParam[] {
  const boundary = headerParams(contentType).get('boundary');
  // RFC 2046: 1 to 70 characters; a longer one is no boundary a client makes.
  if (!boundary || boundary.length > 70) return [];
  const delimiter = Buffer.from(`--${boundary}`, 'latin1');
  const out: ByteParam[] = [];
  let start = body.indexOf(delimiter);
  while (start !== -1) {
    const partStart = start + delimiter.length;
    if (body.toString('latin1', partStart, partStart + 2) === '--') break; // the closing delimiter
    const next = body.indexOf(delimiter, partStart);
    if (next === -1) break;
    const part = body.subarray(partStart, next);
    start = next;
    const headerEnd = part.subarray(0, MAX_PART_HEADER_BYTES + 4).indexOf('\r\n\r\n');
    if (headerEnd === -1) {
      if (part.length > MAX_PART_HEADER_BYTES) budget.ignored++;
      continue;
    }
    const disposition = partDisposition(part.toString('latin1', 0, headerEnd));
    const name = disposition?.get('name');
    if (name === undefined || disposition!.has('filename') || disposition!.has('filename*')) continue;
    if (budget.left === 0) {
      budget.ignored++;
      continue;
    }
    budget.left--;
    let value = part.subarray(headerEnd + 4);
    if (value.length >= 2 && value[value.length - 2] === 0x0d && value[value.length - 1] === 0x0a) {
      value = value.subarray(0, value.length - 2);
    }
    out.push({ key: Buffer.from(name, 'latin1'), value: Buffer.from(value) });
  }
  return out;
}

/** The parameters of a part's Content-Disposition header (`form-data; name="…"`), or null without one. */
function partDisposition(headers: string): Map<string, string> | null {
  for (const line of headers.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon !== -1 && line.slice(0, colon).trim().toLowerCase() === 'content-disposition') return headerParams(line.slice(colon + 1));
  }
  return null;
}

/**
 * The `; name=value` parameters after a header's main value (`form-data; name="a"`,
 * `multipart/form-data; boundary=x`), names lower-cased, the first of a name kept. One pass.
 */
function headerParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  const n = value.length;
  let i = value.indexOf(';');
  while (i !== -1 && i < n) {
    i++; // past the ';'
    const nameStart = i;
    while (i < n && value[i] !== '=' && value[i] !== ';') i++;
    const name = value.slice(nameStart, i).trim().toLowerCase();
    let val = '';
    if (i < n && value[i] === '=') {
      i++;
      while (i < n && (value[i] === ' ' || value[i] === '\t')) i++;
      if (value[i] === '"') {
        const close = value.indexOf('"', i + 1);
        const end = close === -1 ? n : close;
        val = value.slice(i + 1, end);
        i = end + 1;
        while (i < n && value[i] !== ';') i++; // anything after the closing quote
      } else {
        const valueStart = i;
        while (i < n && value[i] !== ';') i++;
        val = value.slice(valueStart, i).trim();
      }
    }
    if (name && !params.has(name)) params.set(name, val);
  }
  return params;
}

// ---------- shaping the result ----------

function nodeText(node: ParamNode | undefined): string {
  if (node === undefined) return '';
  if (typeof node === 'string') return node;
  // An array where one value was expected: its strings joined, the way a form sends a multi-select.
  const values = [...node.values()];
  return values.every((v) => typeof v === 'string') ? values.join(', ') : JSON.stringify(plain(node));
}

/** A PHP list of strings is a list-type CRM value; any other array is kept as its JSON text. */
function fieldValue(node: ParamNode): FieldValue {
  if (typeof node === 'string') return node;
  const entries = [...node.entries()];
  const isList = entries.every(([k, v]) => /^(0|[1-9]\d*)$/.test(k) && typeof v === 'string');
  if (isList) {
    return entries.sort((a, b) => Number(a[0]) - Number(b[0])).map(([, v]) => v as string);
  }
  return JSON.stringify(plain(node));
}

function fieldRecord(node: ParamNode | undefined, skip: Set<string> = new Set()): Record<string, FieldValue> {
  if (!(node instanceof Map)) return {};
  return Object.fromEntries([...node].filter(([k]) => !skip.has(k)).map(([k, v]) => [k, fieldValue(v)]));
}

function extraOf(params: ParamMap, known: Set<string>): Record<string, FieldValue> {
  return Object.fromEntries([...params].filter(([k]) => !known.has(k)).map(([k, v]) => [k, fieldValue(v)]));
}

type PlainTree = { [key: string]: string | PlainTree };
function plain(map: ParamMap): PlainTree {
  return Object.fromEntries([...map].map(([k, v]) => [k, typeof v === 'string' ? v : plain(v)]));
}

function flag(value: string): boolean | undefined {
  const v = value.trim().toLowerCase();
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  return undefined;
}

function visitOf(value: string): number | 'nocookie' | null {
  const v = value.trim();
  if (v.toLowerCase() === 'nocookie') return 'nocookie';
  if (!/^\d{1,15}$/.test(v)) return null;
  return Number(v);
}
