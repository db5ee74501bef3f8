import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMessageParams, parseProxyParams } from '../../src/proxy/parse.ts';
import { ProxyParamsError, UnknownCharsetError } from '../../src/proxy/params-error.ts';

const fixture = (name: string) => readFileSync(new URL(`../../../fixtures/proxy/${name}.txt`, import.meta.url), 'latin1');
const FORM = 'application/x-www-form-urlencoded';

/** The same fixture read as a GET query and as a POST form body must give the same lead. */
const bothWays = (name: string) => {
  const query = fixture(name);
  const viaGet = parseProxyParams({ query });
  const viaPost = parseProxyParams({ query: '', body: Buffer.from(query, 'latin1'), contentType: FORM });
  expect(viaPost).toEqual(viaGet);
  return viaGet;
};

describe('parseProxyParams: what PHP http_build_query writes', () => {
  it('reads every parameter of the reference article', () => {
    expect(bothWays('leads-add-reference')).toEqual({
      key: 'PROJECTKEY',
      roistat: 123456,
      title: 'Новая сделка {visit}',
      comment: 'utm_source: {utmSource}, utm_medium: {utmMedium}, utm_campaign: {utmCampaign}',
      name: 'Иван Петров',
      email: 'ivan@example.com',
      phone: '+7 (999) 123-45-67',
      orderCreationMethod: 'Заявка с сайта',
      isNeedCallback: false,
      callbackPhone: '<Номер для переопределения>',
      sync: false,
      checkOrderInProcessing: true,
      checkOrderInProcessingAppend: true,
      isSkipSending: true,
      isTest: false,
      fields: {
        price: '123',
        responsible_user_id: '3',
        '1276733': 'Текст',
        tags: 'Тег1, {utmSource}, {utmMedium}, {utmCampaign}',
        lead_UF_CRM_1234567890: ['51', '52', '53'],
        existing_good_uuid: '{"uuid":"GOOD_ID"}',
        Город: '{city}',
      },
      clientFields: { '1276734': 'Клиент ~ VIP*' },
      extra: {},
      charset: 'utf-8',
      ignoredParams: 0,
    });
  });

  it('converts Windows-1251 bytes named by fields[charset], keys included, and drops charset from fields', () => {
    const p = bothWays('leads-add-windows-1251');
    expect(fixture('leads-add-windows-1251')).toContain('name=%C8%E2%E0%ED');
    expect(p.name).toBe('Иван');
    expect(p.title).toBe('Заявка с сайта');
    expect(p.comment).toBe('Перезвоните мне после 18:00');
    expect(p.roistat).toBe('nocookie');
    expect(p.fields).toEqual({ Город: 'Москва', lead_UF_CRM_1234567890: ['51', '52'] });
    expect(p.charset).toBe('Windows-1251');
  });

  it('converts from a top-level charset', () => {
    const p = bothWays('leads-add-charset-top-level');
    expect([p.title, p.name, p.roistat]).toEqual(['Заказ', 'Иван', 98765]);
    expect(p.fields).toEqual({ Город: 'Казань' });
    expect(p.clientFields).toEqual({ position: 'Директор' });
    expect(p.extra).toEqual({});
  });

  it('appends `[]` values, with raw or encoded brackets, and keeps unknown parameters', () => {
    const p = bothWays('leads-add-append-arrays');
    expect(p.title).toBe('Order #1');
    expect(p.fields).toEqual({ lead_UF_CRM_1234567890: ['51', '52'], color: ['red', 'blue'] });
    expect(p.clientFields).toEqual({ UF_CRM_PHONE_TYPE: 'mobile' });
    // PHP turns a dot in a top-level name into "_"
    expect(p.extra).toEqual({ unknown_param: 'kept', utm_source: 'dots' });
  });

  it('reads messages/add', () => {
    expect(parseMessageParams({ query: fixture('messages-add') })).toEqual({
      key: 'PROJECTKEY',
      id: 'LEADID',
      title: 'Звонок клиенту',
      message: 'Клиент просит перезвонить завтра в 10:00',
      extra: {},
      charset: 'utf-8',
    });
    expect(parseMessageParams({ query: 'key=k&id=1&message=hi' })).not.toHaveProperty('title');
  });
});

describe('parseProxyParams: flags and the visit', () => {
  it.each([
    ['', { isNeedCallback: undefined, sync: false, checkOrderInProcessing: true, checkOrderInProcessingAppend: false, isSkipSending: false, isTest: false }],
    ['is_test=1', { isTest: true }],
    ['is_test=0', { isTest: false }],
    [
      'is_need_callback=1&sync=1&is_need_check_order_in_processing=0&is_need_check_order_in_processing_append=1&is_skip_sending=1',
      { isNeedCallback: true, sync: true, checkOrderInProcessing: false, checkOrderInProcessingAppend: true, isSkipSending: true },
    ],
    [
      'is_need_callback=0&sync=0&is_need_check_order_in_processing=1&is_skip_sending=0',
      { isNeedCallback: false, sync: false, checkOrderInProcessing: true, checkOrderInProcessingAppend: false, isSkipSending: false },
    ],
    ['is_need_callback=maybe&sync=yes', { isNeedCallback: undefined, sync: false }],
  ])('%j', (query, expected) => {
    expect(parseProxyParams({ query })).toMatchObject(expected);
  });

  it.each([
    ['roistat=123', 123],
    ['roistat=nocookie', 'nocookie'],
    ['roistat=', null],
    ['', null],
    ['roistat=12abc', null],
    ['roistat=99999999999999999999', null],
  ])('%j → %j', (query, visit) => {
    expect(parseProxyParams({ query }).roistat).toBe(visit);
  });
});

describe('parseProxyParams: bodies', () => {
  it('reads a JSON body with nested objects, numbers and booleans as PHP would send them', () => {
    const body = JSON.stringify({
      key: 'k',
      title: 'T',
      sync: true,
      is_need_callback: 0,
      fields: { price: 123, lead_UF_CRM_1: ['51', 52], nested: { a: { b: 1 } }, nothing: null },
      client_fields: { '1276733': 'x' },
      custom: 'kept',
    });
    const p = parseProxyParams({ query: '', body: Buffer.from(body), contentType: 'application/json; charset=utf-8' });
    expect(p).toMatchObject({ key: 'k', title: 'T', sync: true, isNeedCallback: false });
    expect(p.fields).toEqual({ price: '123', lead_UF_CRM_1: ['51', '52'], nested: '{"a":{"b":"1"}}' });
    expect(p.clientFields).toEqual({ '1276733': 'x' });
    expect(p.extra).toEqual({ custom: 'kept' });
  });

  it('reads JSON sent as text/plain (no CORS preflight) and lets the body override the query', () => {
    const p = parseProxyParams({ query: 'key=k&title=from-query', body: '{"title":"from-body"}', contentType: 'text/plain' });
    expect([p.key, p.title]).toEqual(['k', 'from-body']);
  });

  it('reads the multipart/form-data that PHP curl sends for an array', () => {
    const boundary = '------------------------a1b2c3';
    const part = (name: string, value: string) =>
      `--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = Buffer.from(
      part('key', 'k') + part('name', 'Иван') + part('fields[price]', '10') + part('fields[list][]', 'a') + part('fields[list][]', 'b') +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="x.txt"\r\n\r\nignored\r\n--${boundary}--\r\n`,
      'utf8',
    );
    const p = parseProxyParams({ query: '', body, contentType: `multipart/form-data; boundary=${boundary}` });
    expect([p.key, p.name]).toEqual(['k', 'Иван']);
    expect(p.fields).toEqual({ price: '10', list: ['a', 'b'] });
    expect(p.extra).toEqual({});
  });

  it('takes the charset of the Content-Type header when no parameter names one', () => {
    const p = parseProxyParams({ query: '', body: Buffer.from('name=%C8%E2%E0%ED'), contentType: `${FORM}; charset=windows-1251` });
    expect(p.name).toBe('Иван');
  });
});

describe('parseProxyParams: hostile and malformed input', () => {
  it('rejects an unknown charset with a typed error', () => {
    expect(() => parseProxyParams({ query: 'charset=klingon&name=x' })).toThrow(UnknownCharsetError);
    expect(() => parseProxyParams({ query: 'fields[charset]=klingon' })).toThrow(/Unknown charset "klingon"/);
  });

  it('rejects a JSON body that is not an object of parameters', () => {
    for (const body of ['{', '[1,2]', '"text"', 'null']) {
      const err = (() => {
        try {
          parseProxyParams({ query: '', body, contentType: 'application/json' });
        } catch (e) {
          return e;
        }
      })();
      expect(err).toBeInstanceOf(ProxyParamsError);
      expect((err as ProxyParamsError).code).toBe('BAD_JSON');
    }
  });

  it('keeps broken percent escapes as text and skips empty names', () => {
    const p = parseProxyParams({ query: 'name=100%&title=%zz%4&=x&&comment=a%2' });
    expect([p.name, p.title, p.comment]).toEqual(['100%', '%zz%4', 'a%2']);
    expect(p.extra).toEqual({});
  });

  it('reads brackets the way PHP does: unterminated ones, scalars then arrays, deep nesting dropped', () => {
    expect(parseProxyParams({ query: 'a[b=1' }).extra).toEqual({ a_b: '1' });
    expect(parseProxyParams({ query: 'fields[x]=1&fields[x][]=2' }).fields).toEqual({ x: ['2'] });
    expect(parseProxyParams({ query: 'fields=flat&fields[y]=2' }).fields).toEqual({ y: '2' });
    expect(parseProxyParams({ query: `fields${'[a]'.repeat(40)}=deep` }).fields).toEqual({});
  });

  it('never pollutes prototypes', () => {
    const p = parseProxyParams({ query: '__proto__[polluted]=1&fields[__proto__][x]=1&constructor[prototype][y]=1' });
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(p.extra, '__proto__')).toBe(true);
    expect(Object.getPrototypeOf(p.fields)).toBe(Object.prototype);
  });

  it('takes unencoded Unicode in a query given as a JS string, and %2B as a plus', () => {
    const p = parseProxyParams({ query: 'name=Иван😀&title=a%2Bb+c&comment=%d0%b0' });
    expect([p.name, p.title, p.comment]).toEqual(['Иван😀', 'a+b c', 'а']);
  });

  it('joins an array sent where one value was expected', () => {
    expect(parseProxyParams({ query: 'phone[]=1&phone[]=2' }).phone).toBe('1, 2');
  });

  it('reads a 64 KiB query of Cyrillic text', () => {
    const comment = 'ж'.repeat(10_000);
    const query = `key=k&comment=${encodeURIComponent(comment)}`;
    expect(query.length).toBeGreaterThan(60_000);
    expect(parseProxyParams({ query }).comment).toBe(comment);
  });
});
