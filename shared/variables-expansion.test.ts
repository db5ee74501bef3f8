import { describe, expect, it } from 'vitest';
import { deriveSourceMarker } from './source-marker.ts';
import { googleClientId } from './variable-formats.ts';
import { VARIABLE_NAMES, buildVariables, expandVariables, type VariableSource } from './variables.ts';

const full: VariableSource = {
  lead: {
    name: 'Иван',
    phone: '+7 999 123-45-67',
    email: 'ivan@example.com',
    orderCreationMethod: 'Форма обратной связи',
    page: 'https://www.shop.example/cart?x=1',
    createdAt: '2026-11-29T10:15:30.000Z',
  },
  visit: {
    number: 1042,
    firstVisit: 1001,
    landingPage: 'https://shop.example/promo?utm_source=google',
    referrer: 'https://www.google.com/',
    utm: { source: 'google', medium: 'cpc', campaign: 'brand_ru', term: 'buy sofa', content: 'ad1' },
    clickIds: { yclid: '777', fbclid: 'IwAR0abc' },
    params: { '1': 'p1', '2': 'p2', roistat_param3: 'p3', '4': 'p4', '5': 'p5' },
    createdAt: '2026-11-29T09:00:00.000Z',
  },
  context: { cookies: { ga: 'GA1.2.1234567890.1600000000', ymUid: '1600000000123456789' } },
  request: { ip: '203.0.113.7', browser: 'Chrome 120', os: 'Windows 10' },
  geo: { city: 'Moscow', region: 'Moscow', country: 'Russia' },
  sourceAliases: { google: 'Google Ads', google_cpc: 'Google Ads: search' },
};

describe('buildVariables gives every variable of the reference article', () => {
  const vars = buildVariables(full);
  const table: [string, string][] = [
    ['visit', '1042'],
    ['firstVisit', '1001'],
    ['utmSource', 'google'],
    ['utmMedium', 'cpc'],
    ['utmCampaign', 'brand_ru'],
    ['utmTerm', 'buy sofa'],
    ['utmContent', 'ad1'],
    ['referrer', 'https://www.google.com/'],
    ['landingPage', 'https://shop.example/promo?utm_source=google'],
    ['orderPage', 'https://www.shop.example/cart?x=1'],
    ['domain', 'www.shop.example'],
    ['date', '2026-11-29 09:00:00'],
    ['ip', '203.0.113.7'],
    ['agent', 'Chrome 120'],
    ['os', 'Windows 10'],
    ['city', 'Moscow'],
    ['region', 'Moscow'],
    ['country', 'Russia'],
    ['name', 'Иван'],
    ['phone', '+7 999 123-45-67'],
    ['email', 'ivan@example.com'],
    ['googleClientId', '1234567890.1600000000'],
    ['metrikaClientId', '1600000000123456789'],
    ['facebookClientId', `fb.1.${Date.parse('2026-11-29T09:00:00.000Z')}.IwAR0abc`],
    ['yclid', '777'],
    // utm values keep their own "_" as "-" so each stays one level
    ['source', 'google_cpc_brand-ru_buy sofa_ad1'],
    ['markerSource', 'google'],
    ['sourceLevel1', 'google'],
    ['sourceLevel2', 'cpc'],
    ['sourceLevel3', 'brand-ru'],
    ['sourceLevel4', 'buy sofa'],
    ['sourceLevel5', 'ad1'],
    ['sourceLevel6', ''],
    ['sourceLevel7', ''],
    ['sourceAliasLevel1', 'Google Ads'],
    ['sourceAliasLevel2', 'Google Ads: search'],
    ['sourceAliasLevel3', 'brand-ru'],
    ['sourceAliasLevel6', ''],
    ['roistatParam1', 'p1'],
    ['roistatParam2', 'p2'],
    ['roistatParam3', 'p3'],
    ['roistatParam4', 'p4'],
    ['roistatParam5', 'p5'],
    ['orderCreationMethod', 'Форма обратной связи'],
    ['callDate', ''],
    ['visitor_uid', ''],
  ];
  it.each(table)('{%s} → %j', (name, value) => {
    expect(expandVariables(`{${name}}`, vars)).toBe(value);
  });

  it('has a value, possibly empty, for every known name', () => {
    expect(Object.keys(vars).sort()).toEqual([...VARIABLE_NAMES].sort());
    const empty = buildVariables({});
    for (const name of VARIABLE_NAMES) expect(typeof empty[name]).toBe('string');
  });
});

describe('expandVariables', () => {
  const vars = buildVariables(full);

  it('expands the reference article example', () => {
    expect(expandVariables('Новая сделка {visit}', vars)).toBe('Новая сделка 1042');
    expect(expandVariables('utm_source: {utmSource}, utm_medium: {utmMedium}, utm_campaign: {utmCampaign}', vars)).toBe(
      'utm_source: google, utm_medium: cpc, utm_campaign: brand_ru',
    );
  });

  it('leaves an unknown {word} as it is and expands known ones beside it', () => {
    expect(expandVariables('{unknownThing} {visit} {Visit} { visit } {}', vars)).toBe('{unknownThing} 1042 {Visit} { visit } {}');
  });

  it('expands a known variable without a value to empty', () => {
    expect(expandVariables('[{utmSource}][{city}][{visit}]', buildVariables({}))).toBe('[][][]');
  });

  it('does not expand variables inside a value (no injection through a visitor-typed name)', () => {
    const v = buildVariables({ lead: { name: '{phone}', phone: '123' } });
    expect(expandVariables('{name}/{phone}', v)).toBe('{phone}/123');
  });

  it('does not treat inherited object properties as variables', () => {
    expect(expandVariables('{constructor}{toString}{__proto__}', vars)).toBe('{constructor}{toString}{__proto__}');
  });
});

describe('variable sources and fallbacks', () => {
  it('takes the visit record over the page context, and the context where the visit is silent', () => {
    const v = buildVariables({
      visit: { number: 5, utm: { source: 'vk' } },
      context: { visit: 4, utm: { source: 'ignored', medium: 'social' }, landingPage: 'https://a.example/', page: 'https://a.example/order' },
    });
    expect([v.visit, v.utmSource, v.utmMedium, v.landingPage, v.orderPage, v.domain]).toEqual([
      '5',
      'vk',
      'social',
      'https://a.example/',
      'https://a.example/order',
      'a.example',
    ]);
  });

  it('dates the lead when the visit has no date, and ignores an unreadable one', () => {
    expect(buildVariables({ lead: { createdAt: '2026-01-02T03:04:05Z' } }).date).toBe('2026-01-02 03:04:05');
    expect(buildVariables({ lead: { createdAt: 'yesterday' } }).date).toBe('');
  });

  it('prefers the _fbc cookie to one built from fbclid', () => {
    expect(buildVariables({ context: { cookies: { fbc: 'fb.1.1.abc' }, clickIds: { fbclid: 'x' } } }).facebookClientId).toBe('fb.1.1.abc');
  });

  it('uses an explicit source marker as given', () => {
    const v = buildVariables({ visit: { source: 'direct1_search_sofa' }, sourceAliases: { direct1: 'Яндекс.Директ' } });
    expect([v.source, v.sourceLevel1, v.sourceLevel3, v.sourceAliasLevel1, v.sourceAliasLevel2]).toEqual([
      'direct1_search_sofa',
      'direct1',
      'sofa',
      'Яндекс.Директ',
      'search',
    ]);
  });

  it('reads googleClientId only from a real _ga value', () => {
    expect(googleClientId('GA1.1.987.654')).toBe('987.654');
    expect(googleClientId('987.654')).toBe('987.654');
    expect(googleClientId('garbage')).toBe('');
  });
});

describe('deriveSourceMarker', () => {
  it.each([
    [{ utm: { source: 'yandex', medium: 'cpc' } }, 'yandex_cpc'],
    [{ utm: { source: 'mail', campaign: 'nov' } }, 'mail_none_nov'],
    [{ clickIds: { gclid: 'g' } }, 'google_cpc'],
    [{ clickIds: { yclid: 'y' } }, 'yandex_cpc'],
    [{ clickIds: { fbclid: 'f' } }, 'facebook_cpc'],
    [{ referrer: 'https://yandex.ru/search/?text=x', landingPage: 'https://shop.example/' }, 'search_yandex'],
    [{ referrer: 'https://www.google.co.uk/', landingPage: 'https://shop.example/' }, 'search_google'],
    [{ referrer: 'https://vk.com/wall1', landingPage: 'https://shop.example/' }, 'social_vk'],
    [{ referrer: 'https://blog.other_site.example/post', landingPage: 'https://shop.example/' }, 'referral_blog.other-site.example'],
    [{ referrer: 'https://www.shop.example/catalog', landingPage: 'https://shop.example/' }, 'direct'],
    [{}, 'direct'],
  ])('%j → %s', (input, marker) => {
    expect(deriveSourceMarker(input)).toBe(marker);
  });
});

it('variables given as a function are built only when a value holds a {', () => {
  let built = 0;
  const later = () => {
    built++;
    return { ip: '1.2.3.4' };
  };
  expect(expandVariables('plain text', later)).toBe('plain text');
  expect(built).toBe(0);
  expect(expandVariables('from {ip} {unknown}', later)).toBe('from 1.2.3.4 {unknown}');
  expect(built).toBe(1);
});
