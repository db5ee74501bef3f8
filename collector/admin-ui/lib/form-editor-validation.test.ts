import { describe, expect, it } from 'vitest';
import { FormConfigInput } from '../../../shared/form-config.ts';
import { editorStateFrom, parseSites, siteModeLinks, toFormConfig } from './form-editor-state.ts';

describe('form editor state', () => {
  it('round-trips every setting of a form config', () => {
    const config = {
      enabled: false,
      title: 'Order {utmSource}',
      trigger: 'click' as const,
      selector: '#buy, .order',
      callback: true,
      sendToCrm: false,
      sites: ['shop.example', 'promo.example'],
      excludeSites: true,
      fields: {
        name: { source: 'field' as const, value: 'fio', required: false },
        phone: { source: 'js' as const, value: "return document.querySelector('.tel').value", required: true },
        email: { source: 'static' as const, value: ' ', required: false },
      },
      extraFields: [{ key: 'utm_source', source: 'static' as const, value: '{utmSource}', required: false }],
      confirm: { selector: '.t-form__successbox', seconds: 10 },
    };
    const result = toFormConfig(editorStateFrom(config));
    expect(result.errors).toBeNull();
    expect(result.config).toEqual(config);
    // What the editor produces is what the API's own schema accepts.
    expect(FormConfigInput.safeParse(result.config).success).toBe(true);
  });

  it('leaves unused lead fields out', () => {
    const state = editorStateFrom({ selector: '#f', title: 'Order' });
    state.fields.phone.value = 'phone';
    expect(toFormConfig(state).config?.fields).toEqual({ phone: { source: 'field', value: 'phone', required: false } });
  });

  it('says which field is wrong', () => {
    const state = editorStateFrom();
    state.fields.phone.required = true;
    state.sitesText = 'shop.example, not a site';
    state.extraFields = [
      { key: '', source: 'static', value: 'x', required: false },
      { key: 'price', source: 'static', value: '1', required: false },
      { key: 'price', source: 'static', value: '2', required: false },
    ];
    const { errors } = toFormConfig(state);
    expect(errors).toMatchObject({
      selector: expect.stringMatching(/^Selector: enter the CSS selector/),
      title: expect.stringMatching(/^Title: enter the deal's name/),
      sites: expect.stringContaining('"not a site" is not a site address'),
      'fields.phone': expect.stringMatching(/^Phone: is required/),
      'extraFields.0.key': 'Extra field 1: choose the CRM field it fills.',
      'extraFields.2.key': 'Extra field 3: the CRM field "price" is already used above.',
    });
  });

  it('rejects a selector the browser cannot parse', () => {
    const state = editorStateFrom();
    state.selector = 'form[';
    expect(toFormConfig(state, (s) => !s.includes('[')).errors?.selector).toBe('Selector: "form[" is not a valid CSS selector.');
  });

  it('asks for sites when "Exclude these sites" is on with none listed', () => {
    const state = editorStateFrom();
    state.selector = '#f';
    state.excludeSites = true;
    expect(toFormConfig(state).errors?.sites).toMatch(/list the sites to exclude/);
  });
});

describe('the title rule', () => {
  it('refuses an empty or all-spaces title, and takes any other', () => {
    const state = editorStateFrom({ selector: '#f' });
    expect(toFormConfig(state).errors?.title).toMatch(/^Title: enter the deal's name in the CRM/);
    expect(toFormConfig({ ...state, title: '   ' }).errors?.title).toMatch(/^Title: enter/);
    expect(toFormConfig({ ...state, title: ' {domain} ' }).config?.title).toBe(' {domain} ');
    expect(toFormConfig({ ...state, title: 'x'.repeat(1025) }).errors?.title).toBe('Title: at most 1024 characters (now 1025).');
  });
});

describe('pick and test mode links', () => {
  it('gives each host name both links, IDN hosts in their ASCII form', () => {
    expect(siteModeLinks('https://www.Shop.example/cart, сайт.рф')).toEqual([
      { site: 'www.shop.example', pick: 'https://www.shop.example/?leadrelay_pick=1', test: 'https://www.shop.example/?leadrelay_test=1' },
      { site: 'сайт.рф', pick: 'https://xn--80aswg.xn--p1ai/?leadrelay_pick=1', test: 'https://xn--80aswg.xn--p1ai/?leadrelay_test=1' },
    ]);
  });
  it('links nothing that is not a host name', () => {
    const hostile = ['javascript:alert(1)', '"><img src=x onerror=alert(2)>', 'a b.example', 'vbscript:msgbox(1)'];
    const links = siteModeLinks(hostile.join(', '));
    expect(links.map((l) => l.site)).toEqual(hostile);
    expect(links.every((l) => l.pick === null && l.test === null)).toBe(true);
    // A typed scheme is cut off like any pasted address: what is left is an https link or nothing.
    expect(siteModeLinks('javascript://shop.example')[0]?.pick).toBe('https://shop.example/?leadrelay_pick=1');
  });
  it('is empty for an empty list', () => {
    expect(siteModeLinks(' , ')).toEqual([]);
  });
});

describe('sites parsing', () => {
  it('cuts pasted addresses down to hostnames and drops repeats', () => {
    expect(parseSites('https://www.Shop.example:8080/cart?x=1, b.example;\nb.example, сайт.рф')).toEqual({
      sites: ['www.shop.example', 'b.example', 'сайт.рф'],
      bad: [],
    });
  });
  it('reports what is not a hostname', () => {
    expect(parseSites('a b.example, -x.example, ok.example').bad).toEqual(['a b.example', '-x.example']);
  });
});
