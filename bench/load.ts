// HTTP load with autocannon from the bench process, and the request shapes the bench sends:
// a snippet's lead (unique clientId and phone each time), a new visitor's visit, a PHP site's proxy
// call, a config revalidation, and the bare baseline with the same request shape.
import autocannon, { type AutocannonRequest } from 'autocannon';
import { randomBytes } from 'node:crypto';

export interface LoadOptions {
  url: string;
  requests: AutocannonRequest[];
  connections: number;
  durationSec: number;
  /** Status codes that count as a success (a stored lead, a 304). */
  okStatus: readonly number[];
}

export interface LoadResult {
  /** Successful responses per second. */
  rps: number;
  ok: number;
  /** Responses with another status, by status. */
  other: Record<string, number>;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

export async function runLoad(o: LoadOptions): Promise<LoadResult> {
  const r = await autocannon({ url: o.url, connections: o.connections, duration: o.durationSec, requests: o.requests });
  let ok = 0;
  const other: Record<string, number> = {};
  for (const [status, { count }] of Object.entries(r.statusCodeStats)) {
    if (o.okStatus.includes(Number(status))) ok += count;
    else other[status] = count;
  }
  return { rps: ok / r.duration, ok, other, errors: r.errors + r.timeouts, p50Ms: r.latency.p50, p99Ms: r.latency.p99 };
}

// A run tag keeps clientIds and phones unique across runs and bench invocations on one file.
const runTag = randomBytes(4).toString('hex');
let counter = 0;

function nextPhone(): string {
  counter += 1;
  return `+7 9${String(counter).padStart(9, '0')}`;
}

/** A lead as the snippet sends it: JSON as text/plain, a fresh clientId and phone each time. */
export function siteLeadBody(formId: string | null): string {
  const phone = nextPhone();
  return JSON.stringify({
    clientId: `bench-${runTag}-${counter}`,
    formId,
    source: 'form',
    name: 'Ivan Petrov',
    phone,
    email: `ivan${counter}@example.com`,
    comment: 'Please call me after 6 pm',
    fields: { budget: '100000' },
    context: {
      page: 'https://shop.example.com/contacts',
      referrer: 'https://www.google.com/',
      landingPage: 'https://shop.example.com/?utm_source=google',
      visit: null,
      firstVisit: null,
      utm: { source: 'google', medium: 'cpc' },
      clickIds: {},
      cookies: {},
      params: {},
    },
  });
}

export function siteLeadRequest(path: string, formId: string | null): AutocannonRequest {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    setupRequest: (req) => ({ ...req, body: siteLeadBody(formId) }),
  };
}

/** A new visitor's visit as the snippet registers it (a fresh landing page each time, so each one is stored). */
export function siteVisitBody(): string {
  counter += 1;
  return JSON.stringify({
    landingPage: `https://shop.example.com/?utm_source=google&n=${runTag}-${counter}`,
    referrer: 'https://www.google.com/',
    utm: { source: 'google', medium: 'cpc' },
    clickIds: {},
    params: {},
    firstVisit: null,
  });
}

export function siteVisitRequest(path: string): AutocannonRequest {
  return {
    method: 'POST',
    path,
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    setupRequest: (req) => ({ ...req, body: siteVisitBody() }),
  };
}

/** The query string PHP's http_build_query makes of the reference article's array (brackets encoded). */
export function proxyQuery(key: string): string {
  const phone = nextPhone();
  const params: [string, string][] = [
    ['roistat', 'nocookie'],
    ['key', key],
    ['title', 'Order from the site'],
    ['comment', 'Call back after 6 pm'],
    ['name', 'Ivan Petrov'],
    ['email', `ivan${counter}@example.com`],
    ['phone', phone],
    ['order_creation_method', 'form'],
    ['is_need_callback', '0'],
    ['sync', '0'],
    ['is_need_check_order_in_processing', '1'],
    ['is_skip_sending', '0'],
    ['fields[budget]', '100000'],
    ['fields[Город]', 'Москва'],
    ['fields[tags][0]', 'web'],
    ['fields[tags][1]', 'bench'],
  ];
  return params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
}

export function proxyRequest(path: string, key: string): AutocannonRequest {
  return { method: 'GET', path, setupRequest: (req) => ({ ...req, path: `${path}?${proxyQuery(key)}` }) };
}
