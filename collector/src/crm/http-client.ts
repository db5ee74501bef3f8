// The wire under crmRequest (crm/http.ts): one request out, its status, headers and text back, never
// following a redirect and never reading more than MAX_ANSWER_BYTES of an answer. Two transports:
// - `undiciSend`, the delivery worker's: undici's `Agent.request` on kept-alive connections. On
//   Node 20 global fetch costs about twice the CPU per request (web streams, Request/Response
//   objects, an AbortController each), which bound delivery's throughput (BENCHMARKS.md "Delivery").
// - `fetchSend(fetch)`, for a caller that passes its own fetch (tests, "Test connection").
// Both give the same outcome for the same answer; TLS checks are the platform's defaults in both.
import { promisify } from 'node:util';
import { brotliDecompress, gunzip, inflate, inflateRaw } from 'node:zlib';
import { Agent } from 'undici';
import { CrmError, type CrmSend } from './types.ts';

export type { CrmSend, CrmWireRequest, CrmWireResponse } from './types.ts';

/** No CRM answer we read is near this; a larger one is a misconfigured address, not an API. */
export const MAX_ANSWER_BYTES = 8 * 1024 * 1024;

export function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

function tooLarge(): CrmError {
  return new CrmError(`the CRM's answer is larger than ${MAX_ANSWER_BYTES / 1024 / 1024} MiB; it was not read`, { permanent: false });
}

/** UTF-8 as fetch's `text()` decodes it (a leading byte-order mark dropped). */
function decode(chunks: Buffer[], bytes: number): string {
  const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, bytes)).toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function declaredTooLarge(contentLength: string | null | undefined): boolean {
  return contentLength != null && Number(contentLength) > MAX_ANSWER_BYTES;
}

const DECODERS: Record<string, (b: Buffer, o: { maxOutputLength: number }) => Promise<Buffer>> = {
  gzip: promisify(gunzip),
  'x-gzip': promisify(gunzip),
  br: promisify(brotliDecompress),
  deflate: (b, o) => promisify(inflate)(b, o).catch(() => promisify(inflateRaw)(b, o)),
};

/**
 * The body as fetch would give it: decompressed (MoySklad, for one, always answers gzip), and
 * never beyond the size limit once decompressed either.
 */
async function decompressed(body: Buffer, contentEncoding: string | null): Promise<Buffer> {
  if (!contentEncoding) return body;
  let out = body;
  // Encodings are listed in the order they were applied: undo them last first.
  for (const coding of contentEncoding.toLowerCase().split(',').map((c) => c.trim()).filter((c) => c && c !== 'identity').reverse()) {
    const decode = DECODERS[coding];
    if (!decode) throw new CrmError(`the CRM answered in an unknown Content-Encoding "${coding.slice(0, 32)}"`, { permanent: false });
    try {
      out = await decode(out, { maxOutputLength: MAX_ANSWER_BYTES });
    } catch (err) {
      if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
      throw new CrmError(`the CRM's ${coding} answer could not be decompressed`, { permanent: false });
    }
  }
  return out;
}

/** Closes an answer's body unread; its connection is dropped, and its abort is no uncaught error. */
function discard(body: NodeJS.ReadableStream & { destroy(): void }): void {
  body.on('error', () => undefined);
  body.destroy();
}

let agent: Agent | null = null;

/** One pool of kept-alive connections per CRM origin, for the whole process (as global fetch has). */
function sharedAgent(): Agent {
  agent ??= new Agent({ keepAliveTimeout: 4000, keepAliveMaxTimeout: 60_000 });
  return agent;
}

export const undiciSend: CrmSend = async (url, req) => {
  const headers: string[] = [];
  let accept = false;
  let agentName = false;
  for (const [name, value] of req.headers) {
    headers.push(name, value);
    if (name === 'accept') accept = true;
    else if (name === 'user-agent') agentName = true;
  }
  // What fetch would have sent when the adapter names none: some CRMs' firewalls refuse a request without them.
  if (!accept) headers.push('accept', '*/*');
  if (!agentName) headers.push('user-agent', 'leadrelay');
  const res = await sharedAgent().request({
    origin: url.origin,
    path: `${url.pathname}${url.search}`,
    method: req.method,
    headers,
    body: req.body,
    signal: req.signal ?? undefined,
  });
  const out = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    if (Array.isArray(value)) for (const v of value) out.append(name, v);
    else if (value !== undefined) out.append(name, value);
  }
  if (isRedirect(res.statusCode)) {
    // The redirect's body is never read: it may be another service's page.
    discard(res.body);
    return { status: res.statusCode, headers: out, text: '' };
  }
  if (declaredTooLarge(out.get('content-length'))) {
    discard(res.body);
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of res.body) {
    bytes += (chunk as Buffer).length;
    if (bytes > MAX_ANSWER_BYTES) {
      discard(res.body);
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  const encoding = out.get('content-encoding');
  if (!encoding) return { status: res.statusCode, headers: out, text: decode(chunks, bytes) };
  const plain = await decompressed(Buffer.concat(chunks, bytes), encoding);
  return { status: res.statusCode, headers: out, text: decode([plain], plain.length) };
};

/** The same wire over a fetch: redirects not followed, the answer read up to the same limit. */
export function fetchSend(fetchFn: typeof fetch): CrmSend {
  return async (url, req) => {
    const res = await fetchFn(url.href, { method: req.method, headers: req.headers, body: req.body, redirect: 'manual', signal: req.signal });
    if (isRedirect(res.status) || res.type === 'opaqueredirect') {
      await res.body?.cancel().catch(() => undefined);
      return { status: res.status, headers: res.headers, text: '' };
    }
    if (declaredTooLarge(res.headers.get('content-length'))) {
      await res.body?.cancel().catch(() => undefined);
      throw tooLarge();
    }
    if (!res.body) return { status: res.status, headers: res.headers, text: '' };
    const reader = res.body.getReader();
    const chunks: Buffer[] = [];
    let bytes = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.byteLength;
      if (bytes > MAX_ANSWER_BYTES) {
        await reader.cancel().catch(() => undefined);
        throw tooLarge();
      }
      chunks.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
    }
    return { status: res.status, headers: res.headers, text: decode(chunks, bytes) };
  };
}
