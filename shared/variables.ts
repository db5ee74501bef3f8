// The {variable} engine (README "Variables"): one place that turns what we know about a lead (the lead itself,
// its visit, the page it came from, the request, geo) into the values of every variable of the
// reference article, and one function that expands a template with them.
// Pure and runtime-neutral: no Node APIs, so the snippet's tests and the collector share it.
import { type SomeUtm, deriveSourceMarker, aliasFor } from './source-marker.ts';
import { googleClientId, facebookClickCookie, formatDate, hostnameOf, numberText, cleanRecord } from './variable-formats.ts';

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
