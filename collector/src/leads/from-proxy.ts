// A proxy API request (docs/http-api.md "Proxy API") as a lead to store: {variables} expanded against the visit the
// site named, limits applied, and Roistat's flags turned into the store's delivery decisions.
import { LIMITS, type FieldValue, type Utm } from '../../../shared/schemas.ts';
import { limitFields, truncate } from '../../../shared/limits.ts';
import { normalizeEmail, normalizePhone } from '../../../shared/phone.ts';
import { expandFieldValue, expandVariables } from '../../../shared/variables.ts';
import { lazyLeadVariables, type RequestInfo } from './variables.ts';
import type { NewLead, StoredVisit } from '../store/types.ts';
import type { ProxyParams } from '../proxy/parse.ts';

/** What {orderCreationMethod} says when the site did not name one. */
export const PROXY_ORDER_CREATION_METHOD = 'proxy';

export function leadFromProxy(
  projectId: string,
  params: ProxyParams,
  visit: StoredVisit | null,
  request: RequestInfo,
  now: number,
): NewLead {
  const orderCreationMethod = truncate(params.orderCreationMethod.trim(), 256) || PROXY_ORDER_CREATION_METHOD;
  const vars = lazyLeadVariables(
    { lead: { name: params.name, phone: params.phone, email: params.email, orderCreationMethod, page: '' }, visit, context: null, request, now },
    // A visit number this collector never registered (a site moving over from Roistat) is still the visit.
    (v) => {
      if (!visit && typeof params.roistat === 'number') v.visit = String(params.roistat);
    },
  );
  const expand = (s: string) => expandVariables(s, vars);
  const expandAll = (fields: Record<string, FieldValue>) =>
    Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, expandFieldValue(v, vars)]));

  const phone = truncate(expand(params.phone).trim(), LIMITS.phone);
  const email = truncate(expand(params.email).trim(), LIMITS.email);
  const utm: Utm = {
    source: visit?.utm.source ?? '',
    medium: visit?.utm.medium ?? '',
    campaign: visit?.utm.campaign ?? '',
    term: visit?.utm.term ?? '',
    content: visit?.utm.content ?? '',
  };
  const extra: Record<string, unknown> = {};
  if (Object.keys(params.extra).length > 0) extra['params'] = limitFields(params.extra);
  if (params.roistat === 'nocookie') extra['roistat'] = 'nocookie';
  // Past PHP's max_input_vars (1000) the rest of the request was ignored: the lead says how much.
  if (params.ignoredParams > 0) extra['ignoredParams'] = params.ignoredParams;
  if (!/^utf-?8$/i.test(params.charset)) extra['charset'] = params.charset;

  return {
    projectId,
    formId: null,
    clientId: null,
    source: 'proxy',
    // The site's own visit number is kept even when this collector never saw that visit.
    visit: typeof params.roistat === 'number' ? params.roistat : null,
    title: truncate(expand(params.title), LIMITS.title),
    name: truncate(expand(params.name), LIMITS.name),
    phone,
    email,
    comment: truncate(expand(params.comment), LIMITS.comment),
    fields: limitFields(expandAll(params.fields)),
    clientFields: limitFields(expandAll(params.clientFields)),
    orderCreationMethod,
    page: '',
    referrer: visit?.referrer ?? '',
    landingPage: visit?.landingPage ?? '',
    utm,
    ip: request.ip,
    userAgent: truncate(request.userAgent, 1024),
    callback: params.isNeedCallback ?? false,
    callbackPhone: truncate(params.callbackPhone.trim(), LIMITS.phone),
    send: !params.isSkipSending,
    ...(params.isTest ? { test: true } : {}),
    duplicateCheck: params.checkOrderInProcessing ? 'in_processing' : 'all',
    appendDuplicateComment: params.checkOrderInProcessingAppend,
    extra,
    phoneNorm: normalizePhone(phone),
    emailNorm: normalizeEmail(email),
  };
}
