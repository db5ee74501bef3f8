// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import type { VisitBody } from '../../shared/schemas.ts';
import { gaClientId, pageContext } from '../context.ts';
import { getCookie, safeStorage, setCookie } from '../safe-storage.ts';
import { adMarks, createVisits, planVisit, type VisitState } from '../visit.ts';

afterEach(() => {
  for (const c of document.cookie.split('; ')) if (c) document.cookie = c.split('=')[0] + '=;max-age=0;path=/';
  localStorage.clear();
});

const stored = (over: Partial<VisitState> = {}): VisitState => ({
  visit: 7,
  landingPage: 'https://shop.example/?utm_source=google',
  referrer: 'https://google.com/',
  utm: { source: 'google' },
  clickIds: {},
  params: {},
  firstVisit: null,
  ...over,
});

describe('adMarks', () => {
  test('reads UTM tags, click ids and roistat_param1..5 from the URL', () => {
    expect(
      adMarks('https://s.example/p?utm_source=ya&utm_medium=cpc&utm_campaign=c&utm_term=t&utm_content=x&gclid=G&yclid=Y&fbclid=F&roistat_param1=a&roistat_param5=e&roistat_param6=no&other=1'),
    ).toEqual({
      utm: { source: 'ya', medium: 'cpc', campaign: 'c', term: 't', content: 'x' },
      clickIds: { gclid: 'G', yclid: 'Y', fbclid: 'F' },
      params: { '1': 'a', '5': 'e' },
    });
  });
});

describe('planVisit', () => {
  test('the first page ever starts a visit with its landing page and referrer', () => {
    const plan = planVisit('https://s.example/?utm_source=ya', 'https://ya.ru/', null, '');
    expect(plan.isNew_).toBe(true);
    expect(plan.state_).toMatchObject({ visit: null, landingPage: 'https://s.example/?utm_source=ya', referrer: 'https://ya.ru/', utm: { source: 'ya' } });
  });

  test('a later page without ad marks continues the visit', () => {
    const plan = planVisit('https://shop.example/cart', 'https://shop.example/', stored(), '7');
    expect(plan.isNew_).toBe(false);
    expect(plan.state_.visit).toBe(7);
    expect(plan.state_.landingPage).toBe('https://shop.example/?utm_source=google');
  });

  test('the same ad again continues the visit', () => {
    expect(planVisit('https://shop.example/?utm_source=google', '', stored(), '7').isNew_).toBe(false);
  });

  test('a new UTM or a new click id starts a new visit', () => {
    expect(planVisit('https://shop.example/?utm_source=facebook', '', stored(), '7').isNew_).toBe(true);
    expect(planVisit('https://shop.example/?utm_source=google&gclid=abc', '', stored(), '7').isNew_).toBe(true);
    expect(planVisit('https://shop.example/?yclid=123', '', stored(), '7').isNew_).toBe(true);
  });

  test('an expired lr_visit cookie (14 days) starts a new visit', () => {
    expect(planVisit('https://shop.example/', '', stored(), '').isNew_).toBe(true);
  });

  test('a visit not yet registered (collector was down) is kept and retried', () => {
    const plan = planVisit('https://shop.example/about', '', stored({ visit: null }), '');
    expect(plan.isNew_).toBe(false);
    expect(plan.state_.landingPage).toBe('https://shop.example/?utm_source=google');
  });
});

describe('createVisits', () => {
  const local = safeStorage(() => localStorage);

  test('the first page registers the visit and sets lr_visit and lr_first_visit', async () => {
    const bodies: VisitBody[] = [];
    const v = createVisits(document, 'https://s.example/?utm_source=ya&roistat_param2=p', local, async (b) => (bodies.push({ ...b }), 41), () => {}, 'p1', '');
    expect(v.isNew_).toBe(true);
    await v.start();
    expect(bodies[0]).toMatchObject({ landingPage: 'https://s.example/?utm_source=ya&roistat_param2=p', utm: { source: 'ya' }, params: { '2': 'p' }, firstVisit: null });
    expect(getCookie(document, 'lr_visit')).toBe('41');
    expect(getCookie(document, 'lr_first_visit')).toBe('41');
    expect(v.state_.firstVisit).toBe(41);

    // The next page of the same visit: no registration.
    const again = createVisits(document, 'https://s.example/contacts', local, async () => { throw new Error('must not register'); }, () => {}, 'p1', '');
    await again.start();
    expect(again.isNew_).toBe(false);
    expect(again.state_.visit).toBe(41);

    // A new ad: a new visit that tells the collector the first one.
    const next = createVisits(document, 'https://s.example/?utm_source=fb', local, async (b) => (bodies.push({ ...b }), 42), () => {}, 'p1', '');
    await next.start();
    expect(bodies[1]!.firstVisit).toBe(41);
    expect(getCookie(document, 'lr_visit')).toBe('42');
    expect(getCookie(document, 'lr_first_visit')).toBe('41');
  });

  test('a failed registration is retried on the next page with the original landing page', async () => {
    const first = createVisits(document, 'https://s.example/?gclid=1', local, async () => { throw new Error('down'); }, () => {}, 'p1', '');
    await first.start();
    expect(getCookie(document, 'lr_visit')).toBe('');
    const bodies: VisitBody[] = [];
    const second = createVisits(document, 'https://s.example/page2', local, async (b) => (bodies.push({ ...b }), 5), () => {}, 'p1', '');
    await second.start();
    expect(bodies[0]!.landingPage).toBe('https://s.example/?gclid=1');
    expect(bodies[0]!.clickIds).toEqual({ gclid: '1' });
  });
});

describe('visits per project', () => {
  const local = safeStorage(() => localStorage);
  const visits = (project: string, href: string, number: number | null, alias = '') =>
    createVisits(document, href, local, async () => { if (number == null) throw new Error('must not register'); return number; }, () => {}, project, alias);

  test('two projects on one origin keep their own visit, first visit, landing page and UTM', async () => {
    const a = visits('pa', 'https://s.example/a?utm_source=alpha', 41);
    await a.start();
    expect([getCookie(document, 'lr_visit_pa'), getCookie(document, 'lr_first_visit_pa')]).toEqual(['41', '41']);

    // Project B on the same origin starts its own visit: A's visit, cookie and UTM are not its.
    const b = visits('pb', 'https://s.example/b?utm_source=beta', 7);
    expect(b.isNew_).toBe(true);
    await b.start();
    expect(b.state_).toMatchObject({ visit: 7, firstVisit: 7, landingPage: 'https://s.example/b?utm_source=beta', utm: { source: 'beta' } });
    expect([getCookie(document, 'lr_visit_pb'), getCookie(document, 'lr_first_visit_pb')]).toEqual(['7', '7']);

    // Back on A: its visit goes on, untouched by B.
    const a2 = visits('pa', 'https://s.example/a/contacts', null);
    await a2.start();
    expect(a2.isNew_).toBe(false);
    expect(a2.state_).toMatchObject({ visit: 41, firstVisit: 41, landingPage: 'https://s.example/a?utm_source=alpha', utm: { source: 'alpha' } });
    expect(getCookie(document, 'lr_visit_pb')).toBe('7');
  });

  test('the plain lr_visit and lr_first_visit cookies hold the numbers of the project seen last', async () => {
    await visits('pa', 'https://s.example/a', 41).start();
    expect([getCookie(document, 'lr_visit'), getCookie(document, 'lr_first_visit')]).toEqual(['41', '41']);
    await visits('pb', 'https://s.example/b', 7).start();
    expect([getCookie(document, 'lr_visit'), getCookie(document, 'lr_first_visit')]).toEqual(['7', '7']);
    visits('pa', 'https://s.example/a/2', null);
    expect([getCookie(document, 'lr_visit'), getCookie(document, 'lr_first_visit')]).toEqual(['41', '41']);
  });

  test('data-visit-cookie (roistat_visit) gets the visit number on registration and on every later page', async () => {
    const v = visits('pa', 'https://s.example/?utm_source=ya', 41, 'roistat_visit');
    expect(getCookie(document, 'roistat_visit')).toBe('');
    await v.start();
    expect(getCookie(document, 'roistat_visit')).toBe('41');
    document.cookie = 'roistat_visit=;max-age=0;path=/';
    visits('pa', 'https://s.example/next', null, 'roistat_visit');
    expect(getCookie(document, 'roistat_visit')).toBe('41');
    // Without the attribute no such cookie is written.
    document.cookie = 'roistat_visit=;max-age=0;path=/';
    visits('pa', 'https://s.example/next', null);
    expect(getCookie(document, 'roistat_visit')).toBe('');
  });

  test("a visit stored by the version without per-project keys is kept, by the first project only", async () => {
    local.set('lr_visit_data', { visit: 9, landingPage: 'https://s.example/?utm_source=old', referrer: '', utm: { source: 'old' }, clickIds: {}, params: {} });
    setCookie(document, 'lr_visit', 9, 14);
    setCookie(document, 'lr_first_visit', 3, 730);
    const a = visits('pa', 'https://s.example/page', null);
    expect(a.isNew_).toBe(false);
    expect(a.state_).toMatchObject({ visit: 9, firstVisit: 3, utm: { source: 'old' } });
    expect(getCookie(document, 'lr_visit_pa')).toBe('9');
    expect(local.get('lr_visit_data')).toBeNull();
    expect(local.get<VisitState>('lr_visit_data_pa')!.visit).toBe(9);
    // Another project does not take it (nor the plain cookies): it starts its own.
    const b = visits('pb', 'https://s.example/page', 12);
    expect(b.isNew_).toBe(true);
    await b.start();
    expect(b.state_).toMatchObject({ visit: 12, firstVisit: 12 });
  });
});

describe('pageContext', () => {
  test('carries the page, the visit and the analytics cookies for {variables}', () => {
    setCookie(document, '_ga', 'GA1.2.1234567.1700000000', 1);
    setCookie(document, '_ym_uid', '16999', 1);
    setCookie(document, '_fbc', 'fb.1.1700.abc', 1);
    const c = pageContext(document, 'https://s.example/order', stored({ params: { '1': 'x' }, firstVisit: 3 }));
    expect(c).toEqual({
      page: 'https://s.example/order',
      referrer: 'https://google.com/',
      landingPage: 'https://shop.example/?utm_source=google',
      visit: 7,
      firstVisit: 3,
      utm: { source: 'google' },
      clickIds: {},
      cookies: { ga: '1234567.1700000000', ymUid: '16999', fbc: 'fb.1.1700.abc' },
      params: { '1': 'x' },
    });
  });

  test('an analytics cookie the page does not have is not sent at all', () => {
    for (const name of ['_ga', '_ym_uid', '_fbc']) setCookie(document, name, '', 0);
    setCookie(document, '_ym_uid', '5', 1);
    const c = pageContext(document, 'https://s.example/', stored());
    expect(JSON.parse(JSON.stringify(c)).cookies).toStrictEqual({ ymUid: '5' });
    setCookie(document, '_ym_uid', '', 0);
  });

  test('gaClientId takes the client id out of the _ga cookie', () => {
    expect(gaClientId('GA1.2.111.222')).toBe('111.222');
    expect(gaClientId('GA1.1.9.8')).toBe('9.8');
  });
});
