// Turns what a source sent (the snippet, the JS API, the proxy API) into a stored lead: applies the
// form's config, expands {variables}, truncates to the limits, and decides what delivery it needs.
import { LIMITS, type FieldValue, type SiteLeadBody, type Utm } from '../../../shared/schemas.ts';
import type { FormConfig } from '../../../shared/form-config.ts';
import { limitFields, truncate } from '../../../shared/limits.ts';
import { normalizeEmail, normalizePhone } from '../../../shared/phone.ts';
import { expandVariables } from '../../../shared/variables.ts';
import type { NewLead, StoredVisit } from '../store/types.ts';
import { lazyLeadVariables, type RequestInfo } from './variables.ts';

/** A single space in a static value means "send an empty value" (docs/http-api.md "Form config"). */
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
  const vars = lazyLeadVariables({ lead: base, visit, context: ctx, request, now });
  const expand = (s: string) => expandVariables(s, vars);
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
    ...(body.test ? { test: true } : {}),
    duplicateCheck: 'in_processing',
    appendDuplicateComment: false,
    extra: { context: { clickIds: ctx.clickIds, cookies: ctx.cookies, params: ctx.params, firstVisit: ctx.firstVisit } },
    phoneNorm: normalizePhone(phone),
    emailNorm: normalizeEmail(email),
  };
}
