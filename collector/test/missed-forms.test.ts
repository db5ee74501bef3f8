// Missed forms (docs/http-api.md "Missed forms"), on both stores: the public report (text/plain JSON,
// CORS open, structure only), the admin list (newest first, one entry per selector, without the forms
// an enabled config now covers), clear errors for bad input, and the per-project bounds that keep an
// anonymous flood from growing the table without limit.
import { expect, it } from 'vitest';
import { createManualClock } from '../../test-support/manual-clock.ts';
import { MISSED_LIMITS, selectorParts } from '../src/missed-forms.ts';
import { onEachStore } from './store-helpers.ts';

const ADMIN = { authorization: 'Bearer admin' };
const TEXT = { 'content-type': 'text/plain;charset=UTF-8' };
const START = Date.UTC(2027, 0, 15, 12);

it('a selector list splits at top-level commas only', () => {
  expect(selectorParts(' #a , form.contact:is(.x, .y) ,[data-k="a,b"]')).toEqual(['#a', 'form.contact:is(.x, .y)', '[data-k="a,b"]']);
  expect(selectorParts('#only')).toEqual(['#only']);
});

onEachStore('lr_missed', ({ startApp }) => {
  async function setup() {
    const clock = createManualClock(START);
    const { app, store } = await startApp({ adminToken: 'admin', clock, rateLimit: { sitePerMinute: 0, proxyPerMinute: 0 } });
    const project = await store.createProject('Shop', START);
    const report = async (body: unknown, pid = project.id) => {
      const res = await app.inject({ method: 'POST', url: `/api/site/1.0/${pid}/missed`, headers: TEXT, payload: typeof body === 'string' ? body : JSON.stringify(body) });
      await clock.advance(1000);
      return res;
    };
    const list = async () => {
      const res = await app.inject({ url: `/api/v1/projects/${project.id}/missed-forms`, headers: ADMIN });
      expect(res.statusCode).toBe(200);
      return res.json() as { selector: string; fields: { name: string; type: string }[]; pages: string[]; submits: number; firstSeenAt: string; lastSeenAt: string }[];
    };
    return { app, project, report, list };
  }

  it('stores the structure of a missed form, never a value, and lists one entry per selector, newest first', async () => {
    const { report, list } = await setup();
    const res = await report({
      selector: 'form#callback',
      page: 'https://shop.example/contacts?email=ann%40example.com#top',
      fields: [{ name: 'phone', type: 'tel', value: '+7 999 111-22-33' }, { name: 'your-name', type: 'text', value: 'Ann' }],
    });
    expect(res.statusCode).toBe(202);
    expect(res.headers['access-control-allow-origin']).toBe('*');
    await report({ selector: '.wpcf7-form', page: 'https://shop.example/', fields: [{ name: 'your-email', type: 'email' }] });
    await report({ selector: 'form#callback', page: 'https://shop.example/about', fields: [{ name: 'phone', type: 'tel' }, { name: 'your-name', type: 'text' }] });
    const missed = await list();
    expect(missed).toEqual([
      {
        selector: 'form#callback',
        fields: [{ name: 'phone', type: 'tel' }, { name: 'your-name', type: 'text' }],
        pages: ['https://shop.example/about', 'https://shop.example/contacts'],
        submits: 2,
        firstSeenAt: new Date(START).toISOString(),
        lastSeenAt: new Date(START + 2000).toISOString(),
      },
      { selector: '.wpcf7-form', fields: [{ name: 'your-email', type: 'email' }], pages: ['https://shop.example/'], submits: 1, firstSeenAt: new Date(START + 1000).toISOString(), lastSeenAt: new Date(START + 1000).toISOString() },
    ]);
    expect(JSON.stringify(missed)).not.toMatch(/ann|111-22|Ann/);
  });

  it('a form an enabled config now matches (its selector, or one part of its list) is no longer listed', async () => {
    const { app, project, report, list } = await setup();
    for (const selector of ['#order', '.wpcf7-form', 'form.subscribe', '#left']) await report({ selector, page: 'https://shop.example/', fields: [] });
    const form = (payload: object) => app.inject({ method: 'POST', url: `/api/v1/projects/${project.id}/forms`, headers: ADMIN, payload });
    expect((await form({ selector: '#order', title: 'Order' })).statusCode).toBe(201);
    await form({ selector: '#x,  .wpcf7-form', title: 'CF7' });
    await form({ selector: 'form.subscribe', title: 'Off', enabled: false });
    await form({ selector: '#left-side', title: 'Prefix only' });
    expect((await list()).map((m) => m.selector)).toEqual(['#left', 'form.subscribe']);
  });

  it('bad input is a clear 400, an unknown project 404, the admin list needs the token', async () => {
    const { app, project, report, list } = await setup();
    const cases: [unknown, string, RegExp][] = [
      ['{not json', 'BAD_JSON', /JSON/],
      [{ page: 'https://a/', fields: [] }, 'VALIDATION_ERROR', /selector/],
      [{ selector: '   ', fields: [] }, 'VALIDATION_ERROR', /selector/],
      [{ selector: '#f', fields: [{ type: 'text' }] }, 'VALIDATION_ERROR', /name/],
      [{ selector: '#f', fields: 'phone' }, 'VALIDATION_ERROR', /fields/],
      [{ selector: 'x'.repeat(MISSED_LIMITS.selectorLength + 1) }, 'VALIDATION_ERROR', /selector/],
      [{ selector: '#f', page: 'p'.repeat(MISSED_LIMITS.pageLength + 1) }, 'VALIDATION_ERROR', /page/],
      [{ selector: '#f', fields: Array.from({ length: MISSED_LIMITS.fieldsInReport + 1 }, (_, i) => ({ name: `f${i}`, type: 'text' })) }, 'VALIDATION_ERROR', /fields/],
      [{ selector: '#f', fields: [{ name: 'n'.repeat(MISSED_LIMITS.fieldNameLength + 1), type: 'text' }] }, 'VALIDATION_ERROR', /name/],
    ];
    for (const [body, code, message] of cases) {
      const res = await report(body);
      expect(res.statusCode, JSON.stringify(body).slice(0, 60)).toBe(400);
      expect(res.json()).toMatchObject({ status: 'error', error: code, message: expect.stringMatching(message) });
    }
    expect(await list()).toEqual([]);
    const unknown = await report({ selector: '#f' }, 'no-such-project');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error).toBe('PROJECT_NOT_FOUND');
    expect((await app.inject({ url: `/api/v1/projects/${project.id}/missed-forms` })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/v1/projects/no-such-project/missed-forms', headers: ADMIN })).statusCode).toBe(404);
  });

  it('keeps at most the per-project number of selectors (dropping the least recently seen) and of pages per selector', async () => {
    const { report, list } = await setup();
    await report({ selector: '#real', page: 'https://shop.example/', fields: [] });
    for (let i = 0; i < MISSED_LIMITS.selectorsPerProject - 1; i++) await report({ selector: `#flood-${i}`, page: 'https://x/', fields: [] });
    // The real form is submitted again: it is the most recently seen, so the flood's next entry pushes out another.
    await report({ selector: '#real', page: 'https://shop.example/', fields: [] });
    await report({ selector: '#flood-last', fields: [] });
    const missed = await list();
    expect(missed).toHaveLength(MISSED_LIMITS.selectorsPerProject);
    expect(missed.map((m) => m.selector)).toContain('#real');
    expect(missed.map((m) => m.selector)).not.toContain('#flood-0');
    expect(missed.find((m) => m.selector === '#real')?.submits).toBe(2);

    for (let i = 0; i < MISSED_LIMITS.pagesPerSelector + 5; i++) await report({ selector: '#real', page: `https://shop.example/p${i}`, fields: [] });
    const real = (await list()).find((m) => m.selector === '#real')!;
    expect(real.pages).toHaveLength(MISSED_LIMITS.pagesPerSelector);
    expect(real.pages[0]).toBe(`https://shop.example/p${MISSED_LIMITS.pagesPerSelector + 4}`);
    expect(real.submits).toBe(2 + MISSED_LIMITS.pagesPerSelector + 5);
  });

  it('keeps the first fields of a big form, one per name (a radio or checkbox group is one field)', async () => {
    const { report, list } = await setup();
    const group = Array.from({ length: 5 }, () => ({ name: 'delivery', type: 'radio' }));
    const many = Array.from({ length: MISSED_LIMITS.fields + 20 }, (_, i) => ({ name: `q${i}`, type: 'checkbox' }));
    expect((await report({ selector: '#survey', fields: [{ name: '', type: 'submit' }, ...group, ...many] })).statusCode).toBe(202);
    const [survey] = await list();
    expect(survey?.fields).toHaveLength(MISSED_LIMITS.fields);
    expect(survey?.fields.slice(0, 2)).toEqual([{ name: 'delivery', type: 'radio' }, { name: 'q0', type: 'checkbox' }]);
  });
});
