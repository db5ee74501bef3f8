// How values are written into `{variables}` (README "Variables"): cookies' ids, dates, host names,
// numbers. Pure and runtime-neutral, like variables.ts.


/** The `_ga` cookie "GA1.2.1234567890.1600000000" → client id "1234567890.1600000000". */
export function googleClientId(gaCookie: string): string {
  const value = gaCookie.trim();
  const m = /^GA\d+\.\d+\.(\d+\.\d+)$/.exec(value);
  if (m) return m[1]!;
  return /^\d+\.\d+$/.test(value) ? value : '';
}

/** Meta's `_fbc` format, `fb.1.<creation ms>.<fbclid>`, for a visit that came with `fbclid` only. */
export function facebookClickCookie(fbclid: string, createdAt: string): string {
  if (!fbclid) return '';
  const ms = Date.parse(createdAt);
  return `fb.1.${Number.isFinite(ms) ? ms : 0}.${fbclid}`;
}

/** "YYYY-MM-DD HH:MM:SS" in UTC, or '' for an absent or unreadable time. */
export function formatDate(iso: string): string {
  const ms = Date.parse(iso);
  if (!iso || !Number.isFinite(ms)) return '';
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

export function hostnameOf(url: string): string {
  if (!url) return '';
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

export function stripWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}

export function levelText(value: string): string {
  return value.trim().replace(/_/g, '-');
}

export function numberText(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : String(n);
}

export function cleanRecord<T extends Record<string, string | undefined>>(r: T | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!r) return out;
  for (const [k, v] of Object.entries(r)) if (typeof v === 'string' && v !== '') out[k] = v;
  return out;
}
