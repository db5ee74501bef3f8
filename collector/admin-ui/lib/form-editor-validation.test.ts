import { describe, expect, it } from 'vitest';
import { FormConfigInput } from '../../../shared/form-config.ts';
import { editorStateFrom, parseSites, toFormConfig } from './form-editor-state.ts';

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
    const state = editorStateFrom();
    state.selector = '#f';
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
