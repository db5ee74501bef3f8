// The text parts of a multipart/form-data proxy body as byte pairs, in work linear in the body
// (docs/http-api.md "Proxy API").
import type { ByteParam, InputBudget } from './input-budget.ts';

/** A multipart part whose header block is longer than this is ignored (real ones are a few lines). */
export const MAX_PART_HEADER_BYTES = 8 * 1024;

/**
 * The text parts of a multipart/form-data body: what PHP's curl sends for CURLOPT_POSTFIELDS given
 * an array. Files are skipped (a lead has no attachments); part bodies are raw bytes. The headers are
 * read by splitting lines and scanning once, never by backtracking regular expressions, and a part
 * whose header block is over MAX_PART_HEADER_BYTES is ignored, so the work stays linear in the body.
 */
export function multipartPairs(body: Buffer, contentType: string, budget: InputBudget): ByteParam[] {
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
