// @vitest-environment happy-dom
import { afterEach, describe, expect, test, vi } from 'vitest';
import { evalForm, evalRule, fieldNames, runJs } from '../rules.ts';
import { formConfig, recordingLog } from './helpers.ts';

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.innerHTML = '';
});

const silent = () => {};

function page() {
  document.body.innerHTML = `<form id="contact"><input name="fio" value="Ann"><input name="tel" value="+79000000000"><input class="phone" value="555"></form>`;
  return document.getElementById('contact') as HTMLFormElement;
}

describe('static rules', () => {
  test('the text is passed as given, {variables} left for the collector', () => {
    expect(evalRule({ source: 'static', value: 'From {landingPage} ({utmSource})', required: false }, page(), null, silent)).toBe(
      'From {landingPage} ({utmSource})',
    );
  });
  test('a single space means an empty value', () => {
    expect(evalRule({ source: 'static', value: ' ', required: false }, page(), null, silent)).toBe('');
    expect(evalRule({ source: 'static', value: '  ', required: false }, page(), null, silent)).toBe('  ');
  });
});

describe('field rules', () => {
  test('read the named control of the scope', () => {
    expect(evalRule({ source: 'field', value: 'fio', required: false }, page(), null, silent)).toBe('Ann');
  });
});

describe('js rules', () => {
  test('run a function body with `this` bound to the form', () => {
    const form = page();
    expect(evalRule({ source: 'js', value: "return this.querySelector('[name=tel]').value", required: false }, form, null, silent)).toBe('+79000000000');
    expect(runJs("return document.querySelector('.phone').value", form, silent)).toBe('555');
  });

  test('jQuery-style expressions work when the page has jQuery', () => {
    page();
    // A tiny stand-in for jQuery: $(selector).val()
    vi.stubGlobal('$', (sel: string) => ({ val: () => document.querySelector<HTMLInputElement>(sel)?.value }));
    expect(runJs(`return $("input[name='fio']").val()`, document, silent)).toBe('Ann');
    expect(runJs(`return $("input[name='missing']").val()`, document, silent)).toBe('');
  });

  test('arrays are joined, null/undefined are empty, numbers become text', () => {
    expect(runJs('return ["a", "b"]', null, silent)).toBe('a, b');
    expect(runJs('return null', null, silent)).toBe('');
    expect(runJs('', null, silent)).toBe('');
    expect(runJs('return 42', null, silent)).toBe('42');
  });

  test('a throwing expression gives an empty value and a debug warning', () => {
    const { log, text } = recordingLog();
    expect(runJs('return $.nope.val()', null, log)).toBe('');
    expect(text()).toContain('js rule failed');
  });

  test('a CSP without unsafe-eval (new Function throws EvalError) gives an empty value and a warning', () => {
    vi.stubGlobal('Function', function () {
      throw new EvalError("Refused to evaluate a string as JavaScript because 'unsafe-eval' is not allowed");
    });
    const { log, text } = recordingLog();
    expect(runJs('return 1', null, log)).toBe('');
    expect(text()).toContain('unsafe-eval');
  });

  test('a syntax error in the body gives an empty value', () => {
    expect(runJs('return (', null, silent)).toBe('');
  });
});

describe('evalForm', () => {
  const config = formConfig({
    fields: {
      name: { source: 'field', value: 'fio', required: true },
      phone: { source: 'field', value: 'tel', required: false },
      comment: { source: 'static', value: 'Landing: {landingPage}', required: false },
    },
    extraFields: [
      { key: 'utm_source', source: 'static', value: '{utmSource}', required: false },
      { key: '1276733', source: 'js', value: 'return "x"', required: false },
      { key: 'empty', source: 'static', value: ' ', required: false },
      { key: 'name', source: 'static', value: 'an extra field may be called name', required: false },
    ],
  });

  test('lead fields by rule, extra fields by key; unset lead fields are left out', () => {
    expect(evalForm(config, page(), null, silent)).toEqual({
      name: 'Ann',
      phone: '+79000000000',
      comment: 'Landing: {landingPage}',
      fields: { utm_source: '{utmSource}', '1276733': 'x', empty: '', name: 'an extra field may be called name' },
    });
  });

  test('a required field that is empty (or blank) makes no lead and says why', () => {
    const form = page();
    form.querySelector<HTMLInputElement>('[name=fio]')!.value = '   ';
    expect(evalForm(config, form, null, silent)).toBe('name');
  });

  test('a required extra field that is empty makes no lead', () => {
    const c = formConfig({ extraFields: [{ key: 'city', source: 'field', value: 'city', required: true }] });
    expect(evalForm(c, page(), null, silent)).toBe('city');
  });

  test('a required static single space is empty', () => {
    const c = formConfig({ fields: { email: { source: 'static', value: ' ', required: true } } });
    expect(evalForm(c, page(), null, silent)).toBe('email');
  });

  test('fieldNames lists the control names the field rules read', () => {
    expect(fieldNames(config)).toEqual(['fio', 'tel']);
  });
});
