// Turns what a source sent (the snippet, the JS API, the proxy API) into a stored lead: applies the
// form's config, expands {variables}, truncates to the limits, and decides what delivery it needs.
import { LIMITS, type FieldValue, type FormConfig, type Lead, type PageContext, type SiteLeadBody, type Utm } from '../../shared/schemas.ts';
import type { NewLead, StoredVisit } from './store/types.ts';

export interface RequestInfo {
  ip: string;
  userAgent: string;
}

/** Everything the variables of SPEC §7 can be taken from. */
export interface VariableContext {
  lead: Pick<Lead, 'name' | 'phone' | 'email' | 'orderCreationMethod' | 'page'>;
  visit: StoredVisit | null;
  context: PageContext | null;
  request: RequestInfo;
  now: number;
}

/**
 * Expands {variables} in a template. The hook every lead source goes through; the full variables
 * engine (shared/variables.ts) plugs in here.
 */
export function expandLeadVariables(template: string, vc: VariableContext): string {
  if (!template.includes('{')) return template;
  const utm: Partial<Utm> = { ...(vc.visit?.utm ?? {}), ...(vc.context?.utm ?? {}) };
  const vars: Record<string, string> = {
    visit: vc.visit ? String(vc.visit.number) : vc.context?.visit != null ? String(vc.context.visit) : '',
    name: vc.lead.name,
    phone: vc.lead.phone,
    email: vc.lead.email,
    utmSource: utm.source ?? '',
    utmMedium: utm.medium ?? '',
    utmCampaign: utm.campaign ?? '',
    utmTerm: utm.term ?? '',
    utmContent: utm.content ?? '',
    ip: vc.request.ip,
    agent: vc.request.userAgent,
    orderPage: vc.lead.page,
    orderCreationMethod: vc.lead.orderCreationMethod,
    date: new Date(vc.now).toISOString().slice(0, 10),
  };
  return template.replace(/\{([A-Za-z][A-Za-z0-9]*)\}/g, (whole, key: string) => (key in vars ? (vars[key] ?? '') : whole));
}

export function truncate(value: string, max: number): string {
  return value.length > max ? value.slice(0, max) : value;
}

function limitFields(fields: Record<string, FieldValue>): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(fields)) {
    out[k] = Array.isArray(v) ? v.map((x) => truncate(x, LIMITS.extraField)) : truncate(v, LIMITS.extraField);
  }
  return out;
}

export function normalizePhoneDigits(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  if (digits.length === 11 && digits.startsWith('8')) return `7${digits.slice(1)}`;
  if (digits.length === 10) return `7${digits}`;
  return digits;
}

/** A single space in a static value means "send an empty value" (SPEC §5). */
function clean(value: string | undefined): string {
  if (value === undefined || value === ' ') return '';
  return value.trim();
}

export function leadFromSite(
  projectId: string,
  body: SiteLeadBody,
  form: FormConfig | null,
  visit: StoredVisit | null,
  request: RequestInfo,
  now: number,
): NewLead {
  const ctx = body.context;
  const base = {
    name: clean(body.name),
    phone: clean(body.phone),
    email: clean(body.email),
    orderCreationMethod: form ? 'form' : body.source === 'js' ? 'js' : 'form',
    page: ctx.page,
  };
  const vc: VariableContext = { lead: base, visit, context: ctx, request, now };
  const expand = (s: string) => expandLeadVariables(s, vc);
  const fields: Record<string, FieldValue> = {};
  for (const [k, v] of Object.entries(body.fields)) fields[k] = Array.isArray(v) ? v.map(expand) : expand(clean(v));
  const title = form ? form.title : (body.title ?? '');
  const utm: Utm = {
    source: ctx.utm.source ?? visit?.utm.source ?? '',
    medium: ctx.utm.medium ?? visit?.utm.medium ?? '',
    campaign: ctx.utm.campaign ?? visit?.utm.campaign ?? '',
    term: ctx.utm.term ?? visit?.utm.term ?? '',
    content: ctx.utm.content ?? visit?.utm.content ?? '',
  };
  const phone = truncate(expand(base.phone), LIMITS.phone);
  const email = truncate(expand(base.email), LIMITS.email);
  const callback = body.callback ?? form?.callback ?? false;
  return {
    projectId,
    formId: form?.id ?? null,
    clientId: body.clientId,
    source: body.source,
    visit: ctx.visit ?? visit?.number ?? null,
    title: truncate(expand(title), LIMITS.title),
    name: truncate(expand(base.name), LIMITS.name),
    phone,
    email,
    comment: truncate(expand(clean(body.comment)), LIMITS.comment),
    fields: limitFields(fields),
    clientFields: {},
    orderCreationMethod: base.orderCreationMethod,
    page: ctx.page,
    referrer: ctx.referrer || visit?.referrer || '',
    landingPage: ctx.landingPage || visit?.landingPage || '',
    utm,
    ip: request.ip,
    userAgent: truncate(request.userAgent, 1024),
    callback,
    callbackPhone: '',
    send: !(body.isSkipSending ?? false) && (form ? form.sendToCrm : true),
    duplicateCheck: 'in_processing',
    appendDuplicateComment: false,
    extra: { context: { clickIds: ctx.clickIds, cookies: ctx.cookies, params: ctx.params, firstVisit: ctx.firstVisit } },
    phoneNorm: normalizePhoneDigits(phone),
    emailNorm: email.toLowerCase(),
  };
}
