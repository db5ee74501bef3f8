// CRM requests never follow redirects: a 3xx is a permanent error naming its Location, the body
// behind it is never fetched (so "Test connection" cannot read a loopback-only service back to the
// admin), and a credential header never reaches another origin. Errors quote a short excerpt of
// the CRM's answer with the request's credentials masked; a request fetch would refuse (a header
// that cannot be encoded) fails before it leaves, permanently, with its own message.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { App } from '../../src/app.ts';
import { crmRequest, errorFromResponse, excerpt } from '../../src/crm/http.ts';
import { retailcrm } from '../../src/crm/retailcrm.ts';
import { CrmError } from '../../src/crm/types.ts';
import { auth, newProject, testApp } from '../helpers.ts';

interface Recorder {
  url: string;
  requests: { path: string; headers: IncomingHttpHeaders }[];
  server: Server;
}

async function serve(answer: (path: string) => { status: number; headers?: Record<string, string>; body: string }): Promise<Recorder> {
  const requests: Recorder['requests'] = [];
  const server = createServer((req, res) => {
    requests.push({ path: req.url ?? '', headers: req.headers });
    const a = answer(req.url ?? '');
    res.writeHead(a.status, { 'content-type': 'text/plain', ...a.headers });
    res.end(a.body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests, server };
}

const open: Server[] = [];
let app: App | undefined;
afterEach(async () => {
  await app?.app.close();
  app = undefined;
  for (const s of open.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A loopback-only service (an internal admin page, a cloud metadata endpoint) and a host that redirects to it. */
async function redirectToInternal(status = 302) {
  const internal = await serve(() => ({ status: 200, body: 'INTERNAL-ONLY: db_password=hunter2-internal' }));
  const redirector = await serve((path) => ({ status, headers: { location: `${internal.url}/private${path}` }, body: `Moved to ${internal.url}` }));
  open.push(internal.server, redirector.server);
  return { internal, redirector };
}

describe('redirects', () => {
  it('"Test connection" on a webhook that redirects to a loopback service names the Location and never reads that body', async () => {
    const { internal, redirector } = await redirectToInternal();
    app = await testApp();
    const { id } = await newProject(app.app);
    const put = await app.app.inject({ method: 'PUT', url: `/api/v1/projects/${id}/integration`, headers: auth, payload: { type: 'webhook', enabled: true, settings: { url: `${redirector.url}/hook`, secret: 'a-webhook-secret-value' } } });
    expect(put.statusCode).toBe(200);
    const res = await app.app.inject({ method: 'POST', url: `/api/v1/projects/${id}/integration/test`, headers: auth });
    const result = res.json() as { ok: boolean; message: string };
    expect(result.ok).toBe(false);
    expect(result.message).toContain('HTTP 302');
    expect(result.message).toContain(`${internal.url}/private/hook`);
    expect(result.message).not.toContain('INTERNAL-ONLY');
    expect(internal.requests).toEqual([]);
    expect(redirector.requests).toHaveLength(1);
  });

  it("RetailCRM's X-API-KEY is not sent to the redirect target; the 307 is a permanent error", async () => {
    const { internal, redirector } = await redirectToInternal(307);
    const apiKey = 'retail-api-key-0123456789abcdef';
    const result = await retailcrm.testConnection({ settings: { baseUrl: redirector.url, apiKey, site: 'shop' }, fetch });
    expect(result.ok).toBe(false);
    expect(result.message).toMatch(/HTTP 307: the CRM redirects to http:\/\/127\.0\.0\.1:\d+\/private\//);
    expect(result.message).not.toContain(apiKey);
    expect(redirector.requests[0]!.headers['x-api-key']).toBe(apiKey);
    expect(internal.requests).toEqual([]);
    // The same through crmRequest directly: permanent (a retry cannot change where the address points).
    const err = await crmRequest({ settings: {}, fetch }, `${redirector.url}/api/v5/orders`, { headers: { 'x-api-key': apiKey } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CrmError);
    expect(err).toMatchObject({ permanent: true, httpStatus: 307 });
    expect(internal.requests).toEqual([]);
  });
});

describe('error texts', () => {
  it('quote a short excerpt of the answer, with the credentials the request carried masked', async () => {
    const apiKey = 'echoed-secret-key-abcdef123456';
    const crm = await serve(() => ({
      status: 403,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ errorMsg: `Wrong apiKey value ${apiKey} for the token Bearer-abcdefghijklmnop`, filler: 'x'.repeat(5000) }),
    }));
    open.push(crm.server);
    const res = await crmRequest({ settings: {}, fetch }, `${crm.url}/api?apiKey=${apiKey}`, {
      headers: { authorization: 'Bearer Bearer-abcdefghijklmnop' },
    });
    const quoted = excerpt(res);
    expect(quoted.length).toBeLessThanOrEqual(301);
    expect(quoted).toContain('Wrong apiKey value ********');
    expect(quoted).not.toContain(apiKey);
    expect(quoted).not.toContain('Bearer-abcdefghijklmnop');
    const err = errorFromResponse(res, `${(res.body as { errorMsg: string }).errorMsg} ${'y'.repeat(5000)}`);
    expect(err.message).not.toContain(apiKey);
    expect(err.message.length).toBeLessThan(700);
  });
});

describe('a request that cannot leave', () => {
  it('a header value fetch cannot encode is permanent, names the header and not its value, and nothing is sent', async () => {
    let sent = 0;
    const countingFetch: typeof fetch = async (...args) => {
      sent++;
      return fetch(...args);
    };
    for (const value of ['Звонок с сайта', 'line one\r\nline two']) {
      const err = await crmRequest({ settings: {}, fetch: countingFetch }, 'http://127.0.0.1:9/hook', { headers: { 'x-note-title': value } }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(CrmError);
      expect(err).toMatchObject({ permanent: true });
      expect((err as Error).message).toMatch(/request header "x-note-title" cannot be sent/);
      expect((err as Error).message).not.toContain(value);
      expect((err as Error).message).not.toMatch(/cannot reach/);
    }
    expect(sent).toBe(0);
  });

  it('a URL that is not absolute http(s) is permanent with its own message', async () => {
    for (const url of ['crm.example.com/api', 'ftp://crm.example.com/api']) {
      const err = await crmRequest({ settings: {}, fetch }, url, {}).catch((e: unknown) => e);
      expect(err).toMatchObject({ permanent: true });
      expect((err as Error).message).toMatch(/CRM address/);
    }
  });

  it('an unreachable CRM is still a transient "cannot reach the CRM"', async () => {
    const gone = await serve(() => ({ status: 200, body: '' }));
    const url = gone.url;
    await new Promise((r) => gone.server.close(r));
    const err = await crmRequest({ settings: {}, fetch }, `${url}/hook`, {}).catch((e: unknown) => e);
    expect(err).toMatchObject({ permanent: false });
    expect((err as Error).message).toMatch(/^cannot reach the CRM/);
  });
});
