// @vitest-environment happy-dom
import { afterEach, describe, expect, test } from 'vitest';
import { clickScope } from '../scope.ts';
import { setupCapture } from './capture-setup.ts';
import { formConfig } from './helpers.ts';

const config = formConfig({
  trigger: 'click',
  selector: '.order-btn',
  fields: { name: { source: 'field', value: 'name', required: false }, phone: { source: 'field', value: 'phone', required: true } },
});

let ctx: ReturnType<typeof setupCapture>;
afterEach(() => {
  ctx?.dispose();
  document.body.innerHTML = '';
});

describe('click trigger', () => {
  test('a button of any type inside a form: fields come from its form', () => {
    ctx = setupCapture([config]);
    document.body.innerHTML =
      '<input name="phone" value="outside"><form><input name="name" value="Ann"><input name="phone" value="1"><button type="button" class="order-btn">Order</button></form>';
    document.querySelector('button')!.click();
    expect(ctx.leads).toEqual([{ formId: 'f1', values: { name: 'Ann', phone: '1', fields: {} } }]);
  });

  test("the button's form wins even when it lacks a named control, and form= attaches an outside button", () => {
    ctx = setupCapture([config]);
    document.body.innerHTML =
      '<input name="name" value="Outside"><form id="order"><input name="phone" value="1"></form><button type="button" form="order" class="order-btn">Order</button>';
    document.querySelector('button')!.click();
    expect(ctx.leads[0]!.values).toEqual({ name: '', phone: '1', fields: {} });
  });

  test('without a <form>: the nearest ancestor that holds the named controls', () => {
    ctx = setupCapture([config]);
    document.body.innerHTML = `
      <div class="newsletter"><input name="phone" value="other widget"></div>
      <div class="popup"><input name="name" value="Bob"><input name="phone" value="2">
        <div class="actions"><a href="#" class="order-btn"><span>Order</span></a></div></div>`;
    document.querySelector('span')!.click();
    expect(ctx.leads[0]!.values).toEqual({ name: 'Bob', phone: '2', fields: {} });
  });

  test('a click on something else makes no lead', () => {
    ctx = setupCapture([config]);
    document.body.innerHTML = '<form><input name="phone" value="1"><button class="other">x</button></form>';
    document.querySelector('button')!.click();
    expect(ctx.leads).toEqual([]);
  });

  test('a click trigger reads a required field at click time and skips when it is empty', () => {
    ctx = setupCapture([config]);
    document.body.innerHTML = '<div><input name="phone" value=""><button class="order-btn">x</button></div>';
    document.querySelector('button')!.click();
    expect(ctx.leads).toEqual([]);
    expect(ctx.text()).toContain('required phone is empty');
  });

  test('a button inside an open shadow root is found through composedPath', () => {
    ctx = setupCapture([config]);
    const host = document.createElement('div');
    document.body.append(host);
    host.attachShadow({ mode: 'open' }).innerHTML = '<div><input name="phone" value="3"><button class="order-btn">x</button></div>';
    host.shadowRoot!.querySelector('button')!.click();
    expect(ctx.leads[0]!.values.phone).toBe('3');
  });

  test('the clicked button name/value can be read as a field, and js rules run with this = scope', () => {
    ctx = setupCapture([
      formConfig({
        trigger: 'click',
        selector: '.order-btn',
        fields: { comment: { source: 'js', value: "return this.querySelector('[name=phone]').value + '!'", required: false } },
        extraFields: [{ key: 'tariff', source: 'field', value: 'tariff', required: false }],
      }),
    ]);
    document.body.innerHTML = '<section><input name="phone" value="4"><button class="order-btn" name="tariff" value="gold">x</button></section>';
    document.querySelector('button')!.click();
    expect(ctx.leads[0]!.values).toEqual({ comment: '4!', fields: { tariff: 'gold' } });
  });
});

describe('clickScope', () => {
  test('stops at the first ancestor holding every named control', () => {
    document.body.innerHTML = '<main><div id="outer"><input name="a"><div id="inner"><input name="b"><button>x</button></div></div></main>';
    const button = document.querySelector('button')!;
    expect((clickScope(button, ['a', 'b']) as Element).id).toBe('outer');
    expect((clickScope(button, ['b']) as Element).id).toBe('inner');
  });
  test('falls back to the document when a named control is nowhere', () => {
    document.body.innerHTML = '<div><button>x</button></div>';
    expect(clickScope(document.querySelector('button')!, ['missing'])).toBe(document);
  });
});
