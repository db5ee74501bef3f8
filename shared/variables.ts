// The {variable} engine (README "Variables"): one place that turns what we know about a lead (the lead itself,
// its visit, the page it came from, the request, geo) into the values of every variable of the
// reference article, and one function that expands a template with them.
// Pure and runtime-neutral: no Node APIs, so the snippet's tests and the collector share it.
import type { Utm } from './schemas.ts';

/** UTM tags as parsed (a zod `.partial()` object): any tag may be absent or undefined. */
type SomeUtm = { [K in keyof Utm]?: Utm[K] | undefined };

const LEVELS = [1, 2, 3, 4, 5, 6, 7] as const;
const PARAMS = [1, 2, 3, 4, 5] as const;

/** Every variable the engine knows. A known variable with no value expands to ''. */
export const VARIABLE_NAMES = [
  'visit',
  'firstVisit',
  'utmSource',
  'utmMedium',
  'utmCampaign',
  'utmTerm',
  'utmContent',
  'referrer',
  'landingPage',
  'orderPage',
  'domain',
  'date',
  'ip',
  'agent',
  'os',
  'city',
  'region',
  'country',
  'name',
  'phone',
  'email',
  'googleClientId',
  'metrikaClientId',
  'facebookClientId',
  'yclid',
  'source',
  'markerSource',
  ...LEVELS.map((n) => `sourceLevel${n}` as const),
  ...LEVELS.map((n) => `sourceAliasLevel${n}` as const),
  ...PARAMS.map((n) => `roistatParam${n}` as const),
  'orderCreationMethod',
  // Listed in the reference article for call tracking, email tracking and amoCRM; leadrelay has no
  // such source, so they are known (expand to '') rather than left as literal text in a deal title.
  'callDate',
  'callee',
  'caller',
  'emailDate',
  'visitor_uid',
] as const;
export type VariableName = (typeof VARIABLE_NAMES)[number];
export type Variables = Record<VariableName, string>;

export interface VariableSource {
  lead?: {
    name?: string;
    phone?: string;
    email?: string;
    orderCreationMethod?: string;
    /** The page the lead was sent from ({orderPage}). */
    page?: string;
    /** ISO time the lead was made; {date} falls back to it when the visit's date is unknown. */
    createdAt?: string;
  };
  /** The visit as the collector registered it (authoritative over the page context). */
  visit?: {
    number?: number | null;
    firstVisit?: number | null;
    landingPage?: string;
    referrer?: string;
    utm?: SomeUtm;
    clickIds?: Record<string, string>;
    /** roistat_param1..5, keyed "1".."5" (or "roistat_param1".."roistat_param5"). */
    params?: Record<string, string>;
    /** An explicit source marker, levels separated by `_` (e.g. "google_cpc_brand"). */
    source?: string;
    /** ISO time the visit started ({date}). */
    createdAt?: string;
  };
  /** What the snippet read on the page (PageContext of shared/schemas.ts); fills gaps in `visit`. */
  context?: {
    page?: string;
    referrer?: string;
    landingPage?: string;
    visit?: number | null;
    firstVisit?: number | null;
    utm?: SomeUtm;
    clickIds?: Record<string, string>;
    cookies?: Record<string, string>;
    params?: Record<string, string>;
  };
  /** The HTTP request; browser and OS names come already parsed (collector/src/useragent.ts). */
  request?: { ip?: string; browser?: string; os?: string };
  geo?: { city?: string; region?: string; country?: string };
  /**
   * The project's human-readable names for marker levels. A key is either the marker up to that
   * level ("google_cpc") or one level's value ("google"); the longer key wins.
   */
  sourceAliases?: Record<string, string>;
}

const VARIABLE_PATTERN = /\{([A-Za-z][A-Za-z0-9_]*)\}/g;

/**
 * Replaces each `{word}` whose name is a key of `vars` with its value (one pass: a value that itself
 * holds `{phone}` is not expanded again, so a visitor cannot inject variables). Unknown words stay.
 */
/**
 * The variables, or a function that computes them: most values hold no `{`, so a lead whose
 * values need none never pays for building them (user agent parsing, source markers…).
 */
export type VariablesOrLater = Readonly<Record<string, string>> | (() => Readonly<Record<string, string>>);

export function expandVariables(template: string, vars: VariablesOrLater): string {
  if (!template.includes('{')) return template;
  const values = typeof vars === 'function' ? vars() : vars;
  return template.replace(VARIABLE_PATTERN, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(values, name) ? (values[name] ?? '') : whole,
  );
}

/** expandVariables over a field value that may be a list (CRM list-type fields). */
export function expandFieldValue(value: string | string[], vars: VariablesOrLater): string | string[] {
  return Array.isArray(value) ? value.map((v) => expandVariables(v, vars)) : expandVariables(value, vars);
}

/** The value of every known variable; missing ones are ''. */
export function buildVariables(src: VariableSource): Variables {
  const lead = src.lead ?? {};
  const visit = src.visit ?? {};
  const ctx = src.context ?? {};
  const cookies = ctx.cookies ?? {};
  const utm = { ...cleanRecord(ctx.utm), ...cleanRecord(visit.utm) };
  const clickIds = { ...cleanRecord(ctx.clickIds), ...cleanRecord(visit.clickIds) };
  const params = { ...cleanRecord(ctx.params), ...cleanRecord(visit.params) };
  const landingPage = visit.landingPage || ctx.landingPage || '';
  const referrer = visit.referrer || ctx.referrer || '';
  const orderPage = lead.page || ctx.page || '';
  const visitNumber = visit.number ?? ctx.visit ?? null;
  const firstVisit = visit.firstVisit ?? ctx.firstVisit ?? visitNumber;

  const marker =
    visit.source?.trim() ||
    deriveSourceMarker({ utm, clickIds, referrer, landingPage: landingPage || orderPage });
  const levels = marker.split('_');

  const vars: Record<string, string> = {
    visit: numberText(visitNumber),
    firstVisit: numberText(firstVisit),
    utmSource: utm.source ?? '',
    utmMedium: utm.medium ?? '',
    utmCampaign: utm.campaign ?? '',
    utmTerm: utm.term ?? '',
    utmContent: utm.content ?? '',
    referrer,
    landingPage,
    orderPage,
    domain: hostnameOf(orderPage) || hostnameOf(landingPage),
    date: formatDate(visit.createdAt || lead.createdAt || ''),
    ip: src.request?.ip ?? '',
    agent: src.request?.browser ?? '',
    os: src.request?.os ?? '',
    city: src.geo?.city ?? '',
    region: src.geo?.region ?? '',
    country: src.geo?.country ?? '',
    name: lead.name ?? '',
    phone: lead.phone ?? '',
    email: lead.email ?? '',
    googleClientId: googleClientId(cookies['ga'] ?? ''),
    metrikaClientId: cookies['ymUid'] ?? '',
    facebookClientId:
      cookies['fbc'] || facebookClickCookie(clickIds['fbclid'] ?? '', visit.createdAt || lead.createdAt || ''),
    yclid: clickIds['yclid'] ?? '',
    source: marker,
    markerSource: levels[0] ?? '',
    orderCreationMethod: lead.orderCreationMethod ?? '',
    callDate: '',
    callee: '',
    caller: '',
    emailDate: '',
    visitor_uid: '',
  };
  for (const n of LEVELS) {
    const value = levels[n - 1] ?? '';
    vars[`sourceLevel${n}`] = value;
    vars[`sourceAliasLevel${n}`] = value ? aliasFor(levels.slice(0, n), src.sourceAliases ?? {}) : '';
  }
  for (const n of PARAMS) vars[`roistatParam${n}`] = params[String(n)] || params[`roistat_param${n}`] || '';
  return vars as Variables;
}

const SEARCH_ENGINES: Record<string, string> = {
  google: 'google',
  yandex: 'yandex',
  ya: 'yandex',
  bing: 'bing',
  duckduckgo: 'duckduckgo',
  yahoo: 'yahoo',
  baidu: 'baidu',
  'go.mail': 'mail',
  'search.mail': 'mail',
  rambler: 'rambler',
};
const SOCIAL: Record<string, string> = {
  'vk.com': 'vk',
  'vk.ru': 'vk',
  'ok.ru': 'ok',
  'facebook.com': 'facebook',
  'l.facebook.com': 'facebook',
  'm.facebook.com': 'facebook',
  'instagram.com': 'instagram',
  'l.instagram.com': 'instagram',
  't.me': 'telegram',
  'web.telegram.org': 'telegram',
  'twitter.com': 'twitter',
  'x.com': 'twitter',
  't.co': 'twitter',
  'linkedin.com': 'linkedin',
  'youtube.com': 'youtube',
  'dzen.ru': 'dzen',
};

/**
 * The source marker of a visit that arrived with no explicit one. The rule, first match wins:
 * 1. utm tags: `source_medium_campaign_term_content`, trailing empty levels dropped, an empty middle
 *    level written `none`;
 * 2. a click id: gclid → `google_cpc`, yclid → `yandex_cpc`, fbclid → `facebook_cpc`;
 * 3. a referrer on another host: a search engine → `search_<engine>`, a social network →
 *    `social_<network>`, any other site → `referral_<host>`;
 * 4. otherwise `direct`.
 * `_` inside a value becomes `-`, so each value stays one level.
 */
export function deriveSourceMarker(v: {
  utm?: SomeUtm;
  clickIds?: Record<string, string>;
  referrer?: string;
  landingPage?: string;
}): string {
  const utm = v.utm ?? {};
  if (utm.source) {
    const parts = [utm.source, utm.medium, utm.campaign, utm.term, utm.content].map((p) => levelText(p ?? ''));
    while (parts.length > 1 && parts[parts.length - 1] === '') parts.pop();
    return parts.map((p) => p || 'none').join('_');
  }
  const clickIds = v.clickIds ?? {};
  if (clickIds['gclid']) return 'google_cpc';
  if (clickIds['yclid']) return 'yandex_cpc';
  if (clickIds['fbclid']) return 'facebook_cpc';
  const refHost = stripWww(hostnameOf(v.referrer ?? ''));
  if (refHost && refHost !== stripWww(hostnameOf(v.landingPage ?? ''))) {
    const social = SOCIAL[refHost];
    if (social) return `social_${social}`;
    const engine = searchEngineOf(refHost);
    if (engine) return `search_${engine}`;
    return `referral_${levelText(refHost)}`;
  }
  return 'direct';
}

function searchEngineOf(host: string): string {
  const labels = host.split('.');
  // "www.google.co.uk" and "yandex.ru" both name the engine in their first label.
  const first = labels[0] ?? '';
  const two = labels.slice(0, 2).join('.');
  return SEARCH_ENGINES[two] ?? SEARCH_ENGINES[first] ?? '';
}

function aliasFor(levels: string[], aliases: Record<string, string>): string {
  const path = levels.join('_');
  const own = (key: string) => (Object.prototype.hasOwnProperty.call(aliases, key) ? aliases[key] : undefined);
  // Without an alias the level's own value is the most readable name we have.
  return own(path) ?? own(levels[levels.length - 1] ?? '') ?? levels[levels.length - 1] ?? '';
}

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

function hostnameOf(url: string): string {
  if (!url) return '';
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

function stripWww(host: string): string {
  return host.startsWith('www.') ? host.slice(4) : host;
}

function levelText(value: string): string {
  return value.trim().replace(/_/g, '-');
}

function numberText(n: number | null | undefined): string {
  return n === null || n === undefined ? '' : String(n);
}

function cleanRecord<T extends Record<string, string | undefined>>(r: T | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!r) return out;
  for (const [k, v] of Object.entries(r)) if (typeof v === 'string' && v !== '') out[k] = v;
  return out;
}
