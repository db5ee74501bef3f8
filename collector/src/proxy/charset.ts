// Which charset a proxy request names (`charset`, `fields[charset]`, or the Content-Type) and the
// decoding of its bytes in it (docs/http-api.md "Proxy API").
import iconv from 'iconv-lite';
import type { ByteParam } from './input-budget.ts';
import type { ParamMap } from './param-tree.ts';
import { nodeText } from './param-values.ts';

/** Whether iconv knows this encoding name. */
export function charsetExists(charset: string): boolean {
  return iconv.encodingExists(charset);
}

export function decodeText(bytes: Buffer, charset: string): string {
  return isUtf8Name(charset) ? bytes.toString('utf8') : iconv.decode(bytes, charset);
}

function isUtf8Name(charset: string): boolean {
  return /^utf-?8$/i.test(charset);
}

/** `charset` or `fields[charset]`, read before any value is decoded (charset names are ASCII). */
export function findCharset(pairs: ByteParam[], json: ParamMap | undefined): string {
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

export function contentTypeCharset(contentType: string): string {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(contentType);
  return m ? m[1]! : '';
}
