// Property tests: whatever a client sends to a public endpoint, the collector answers with a status
// below 500 and, for an error, the JSON error shape of docs/http-api.md. Never a crash, never a 5xx.
import fc from 'fast-check';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/app.ts';

let built: App;
let projectId = '';
let key = '';

beforeAll(async () => {
  built = await buildApp({ adminToken: 'admin', worker: false, logger: pino({ level: 'silent' }) });
  const project = await built.ctx.store.createProject('Fuzz', Date.now());
  projectId = project.id;
  key = project.key;
});
afterAll(async () => {
  await built.app.close();
});

const RUNS = Number(process.env['FUZZ_RUNS'] ?? 150);

interface Answer {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
}

function expectWellFormed(res: Answer) {
  expect(res.statusCode).toBeLessThan(500);
  if (res.statusCode >= 400) {
    const body = JSON.parse(res.body) as Record<string, unknown>;
    expect(body['status']).toBe('error');
    expect(typeof body['error']).toBe('string');
    expect(typeof body['message']).toBe('string');
  }
}

/** The proxy API answers its errors with HTTP 200 (the reference PHP reads no body on a 4xx/5xx): a fault shows as INTERNAL. */
function expectWellFormedProxy(res: Answer): boolean {
  expectWellFormed(res);
  const body = JSON.parse(res.body) as Record<string, unknown>;
  expect(['success', 'error']).toContain(body['status']);
  if (body['status'] === 'error') {
    expect(body['error']).not.toBe('INTERNAL');
    expect(typeof body['message']).toBe('string');
  }
  return body['status'] === 'success';
}

// Text that stresses a PHP-style parser: brackets, percent signs, pluses, equals, ampersands, NULs,
// Cyrillic, emoji and lone surrogates.
/** encodeURIComponent that also takes lone surrogates (as U+FFFD, the way a browser sends them). */
const pct = (s: string) =>
  [...Buffer.from(s, 'utf8')].map((b) => (/[A-Za-z0-9_.~-]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');

const nastyChar = fc.constantFrom('[', ']', '%', '+', '=', '&', '#', '?', '\u0000', ' ', '%FF', '%D0', '%zz', 'я', '😀', '\uD800', '.', '__proto__', 'constructor');
const nastyText = fc.array(fc.oneof(nastyChar, fc.string({ maxLength: 8 }), fc.string({ unit: 'grapheme', maxLength: 4 })), { maxLength: 20 }).map((a) => a.join(''));
const paramName = fc.oneof(
  fc.constantFrom('key', 'roistat', 'title', 'comment', 'name', 'email', 'phone', 'sync', 'charset', 'is_need_callback', 'callback_phone',
    'is_need_check_order_in_processing', 'is_need_check_order_in_processing_append', 'is_skip_sending', 'order_creation_method', 'id', 'message'),
  fc.tuple(fc.constantFrom('fields', 'client_fields'), fc.array(fc.oneof(fc.constant(''), nastyText), { maxLength: 4 })).map(
    ([base, path]) => base + path.map((p) => `[${p}]`).join(''),
  ),
  nastyText,
);
const paramValue = fc.oneof(nastyText, fc.constantFrom('0', '1', 'nocookie', 'Windows-1251', 'utf-8', 'x-unknown', '99999999999999999999'), fc.constant('KEY'));
const encoder = fc.constantFrom<(s: string) => string>(
  (s) => pct(s),
  (s) => s.replace(/[&=#?\s]/g, (c) => pct(c)),
  (s) => Buffer.from(s, 'utf8').toString('latin1').replace(/[&=#?\s\u0000-\u001f\u007f-\u00ff]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0')}`),
);
const query = fc
  .tuple(fc.array(fc.tuple(paramName, paramValue), { maxLength: 12 }), encoder, fc.boolean())
  .map(([pairs, enc, withKey]) => {
    const all = withKey ? [['key', 'KEY'] as [string, string], ...pairs] : pairs;
    return all.map(([k, v]) => `${enc(k)}=${enc(v === 'KEY' ? key : v)}`).join('&');
  });
const contentType = fc.constantFrom(
  undefined,
  'application/x-www-form-urlencoded',
  'application/x-www-form-urlencoded; charset=windows-1251',
  'application/x-www-form-urlencoded; charset=nope',
  'application/json',
  'text/plain',
  'multipart/form-data; boundary=xyz',
  'multipart/form-data',
  'application/octet-stream',
  'image/png',
  ';;;',
);
const body = fc.oneof(
  query,
  fc.json({ maxDepth: 4 }),
  fc.anything({ maxDepth: 3 }).map((v) => {
    try {
      return JSON.stringify(v) ?? '';
    } catch {
      return '';
    }
  }),
  fc.uint8Array({ maxLength: 2048 }).map((a) => Buffer.from(a)),
  fc.constant(Buffer.alloc(70 * 1024, 0x61)),
  fc.constant(`--xyz\r\nContent-Disposition: form-data; name="key"\r\n\r\nKEY\r\n--xyz--\r\n`),
);

describe('public endpoints never answer 5xx to hostile input', () => {
  it('proxy leads/add and messages/add, GET and POST, any query, any body, any type', async () => {
    let stored = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/proxy/1.0/leads/add', '/api/proxy/1.0/leads/messages/add'),
        fc.constantFrom('GET', 'POST') as fc.Arbitrary<'GET' | 'POST'>,
        query,
        body,
        contentType,
        async (path, method, q, payload, type) => {
          const res = await built.app.inject({
            method,
            url: `${path}?${q}`,
            ...(method === 'POST' ? { payload } : {}),
            headers: type ? { 'content-type': type } : {},
          });
          if (expectWellFormedProxy(res)) stored++;
        },
      ),
      { numRuns: RUNS },
    );
    // The generator reaches past the key check, so storing is fuzzed too, not only rejection.
    expect(stored).toBeGreaterThan(0);
  });

  it('site API: visits, leads and missed forms with any JSON, any project id', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('visits', 'leads', 'missed'),
        fc.oneof(fc.constant('PROJECT'), nastyText.map((s) => pct(s) || 'x')),
        fc.oneof(
          fc.json({ maxDepth: 4 }),
          fc.uint8Array({ maxLength: 512 }).map((a) => Buffer.from(a)),
          fc
            .record({
              clientId: fc.string({ maxLength: 80 }),
              formId: fc.option(fc.string({ maxLength: 80 })),
              name: nastyText,
              phone: nastyText,
              fields: fc.dictionary(nastyText, fc.oneof(nastyText, fc.array(nastyText, { maxLength: 3 }))),
              context: fc.record({ visit: fc.oneof(fc.integer(), fc.constant(null)), utm: fc.dictionary(nastyText, nastyText) }, { requiredKeys: [] }),
              landingPage: nastyText,
              utm: fc.dictionary(fc.constantFrom('source', 'medium', 'x'), fc.oneof(nastyText, fc.integer())),
            }, { requiredKeys: [] })
            .map((o) => JSON.stringify(o)),
          fc
            .record({
              selector: nastyText,
              page: nastyText,
              fields: fc.array(fc.record({ name: nastyText, type: nastyText, value: nastyText }, { requiredKeys: [] }), { maxLength: 5 }),
            }, { requiredKeys: [] })
            .map((o) => JSON.stringify(o)),
        ),
        fc.constantFrom('text/plain', 'application/json', 'application/x-www-form-urlencoded', undefined),
        async (kind, id, payload, type) => {
          const res = await built.app.inject({
            method: 'POST',
            url: `/api/site/1.0/${id === 'PROJECT' ? projectId : id}/${kind}`,
            payload,
            headers: type ? { 'content-type': type } : {},
          });
          expectWellFormed(res);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('GET endpoints: config, the snippet and unknown paths, with any path and query', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('/api/site/1.0/PROJECT/config', '/api/site/1.0/ID/config', '/s.js', '/ID', '/api/proxy/1.0/ID', '/api/v1/projects'),
        nastyText,
        query,
        async (template, id, q) => {
          const path = template.replace('PROJECT', projectId).replace('ID', pct(id) || 'x');
          const res = await built.app.inject({ method: 'GET', url: `${path}?${q}` });
          expectWellFormed(res);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a 64 KiB GET query of Cyrillic text is a lead, not an error', async () => {
    const comment = 'ю'.repeat(10_900);
    const res = await built.app.inject({ method: 'GET', url: `/api/proxy/1.0/leads/add?key=${key}&comment=${encodeURIComponent(comment)}` });
    expect(res.statusCode).toBe(200);
    const id = (res.json() as { data: { id: string } }).data.id;
    expect((await built.ctx.store.getLead(projectId, id))!.comment).toHaveLength(4096);
  });
});
