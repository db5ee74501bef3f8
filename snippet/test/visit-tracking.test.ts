// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import type { VisitBody } from '../../shared/schemas.ts';
import { gaClientId, pageContext } from '../context.ts';
import { getCookie, safeStorage, setCookie } from '../storage.ts';
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
    expect(plan.isNew).toBe(true);
    expect(plan.state).toMatchObject({ visit: null, landingPage: 'https://s.example/?utm_source=ya', referrer: 'https://ya.ru/', utm: { source: 'ya' } });
  });

  test('a later page without ad marks continues the visit', () => {
    const plan = planVisit('https://shop.example/cart', 'https://shop.example/', stored(), '7');
    expect(plan.isNew).toBe(false);
    expect(plan.state.visit).toBe(7);
    expect(plan.state.landingPage).toBe('https://shop.example/?utm_source=google');
  });

  test('the same ad again continues the visit', () => {
    expect(planVisit('https://shop.example/?utm_source=google', '', stored(), '7').isNew).toBe(false);
  });

  test('a new UTM or a new click id starts a new visit', () => {
    expect(planVisit('https://shop.example/?utm_source=facebook', '', stored(), '7').isNew).toBe(true);
    expect(planVisit('https://shop.example/?utm_source=google&gclid=abc', '', stored(), '7').isNew).toBe(true);
    expect(planVisit('https://shop.example/?yclid=123', '', stored(), '7').isNew).toBe(true);
  });

  test('an expired lr_visit cookie (14 days) starts a new visit', () => {
    expect(planVisit('https://shop.example/', '', stored(), '').isNew).toBe(true);
  });

  test('a visit not yet registered (collector was down) is kept and retried', () => {
    const plan = planVisit('https://shop.example/about', '', stored({ visit: null }), '');
    expect(plan.isNew).toBe(false);
    expect(plan.state.landingPage).toBe('https://shop.example/?utm_source=google');
  });
});

describe('createVisits', () => {
  const local = safeStorage(() => localStorage);

  test('the first page registers the visit and sets lr_visit and lr_first_visit', async () => {
    const bodies: VisitBody[] = [];
    const v = createVisits(document, 'https://s.example/?utm_source=ya&roistat_param2=p', local, async (b) => (bodies.push({ ...b }), 41), () => {});
    expect(v.isNew).toBe(true);
    await v.start();
    expect(bodies[0]).toMatchObject({ landingPage: 'https://s.example/?utm_source=ya&roistat_param2=p', utm: { source: 'ya' }, params: { '2': 'p' }, firstVisit: null });
    expect(getCookie(document, 'lr_visit')).toBe('41');
    expect(getCookie(document, 'lr_first_visit')).toBe('41');
    expect(v.state.firstVisit).toBe(41);

    // The next page of the same visit: no registration.
    const again = createVisits(document, 'https://s.example/contacts', local, async () => { throw new Error('must not register'); }, () => {});
    await again.start();
    expect(again.isNew).toBe(false);
    expect(again.state.visit).toBe(41);

    // A new ad: a new visit that tells the collector the first one.
    const next = createVisits(document, 'https://s.example/?utm_source=fb', local, async (b) => (bodies.push({ ...b }), 42), () => {});
    await next.start();
    expect(bodies[1]!.firstVisit).toBe(41);
    expect(getCookie(document, 'lr_visit')).toBe('42');
    expect(getCookie(document, 'lr_first_visit')).toBe('41');
  });

  test('a failed registration is retried on the next page with the original landing page', async () => {
    const first = createVisits(document, 'https://s.example/?gclid=1', local, async () => { throw new Error('down'); }, () => {});
    await first.start();
    expect(getCookie(document, 'lr_visit')).toBe('');
    const bodies: VisitBody[] = [];
    const second = createVisits(document, 'https://s.example/page2', local, async (b) => (bodies.push({ ...b }), 5), () => {});
    await second.start();
    expect(bodies[0]!.landingPage).toBe('https://s.example/?gclid=1');
    expect(bodies[0]!.clickIds).toEqual({ gclid: '1' });
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

  test('gaClientId takes the client id out of the _ga cookie', () => {
    expect(gaClientId('GA1.2.111.222')).toBe('111.222');
    expect(gaClientId('GA1.1.9.8')).toBe('9.8');
  });
});
