// `a=1&b=2` (a query string or an urlencoded body) split into percent-decoded byte pairs; the bytes
// are decoded once the charset is known (proxy/charset.ts, docs/http-api.md "Proxy API").
import type { ByteParam, InputBudget } from './input-budget.ts';

/** Splits `a=1&b=2` into percent-decoded byte pairs (`+` is a space, as RFC 1738 forms write it). */
export function splitPairs(query: string, budget: InputBudget): ByteParam[] {
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
