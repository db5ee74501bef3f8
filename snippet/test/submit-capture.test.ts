// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { createRepeatGuard } from '../repeat-guard.ts';
import { setupCapture, stopNavigation } from './capture-setup.ts';
import { formConfig } from './helpers.ts';

const config = formConfig({
  selector: '#contact',
  fields: { name: { source: 'field', value: 'name', required: false }, phone: { source: 'field', value: 'phone', required: true } },
});

let ctx: ReturnType<typeof setupCapture>;
beforeEach(() => document.addEventListener('submit', stopNavigation));
afterEach(() => {
  ctx?.dispose();
  document.removeEventListener('submit', stopNavigation);
  document.body.innerHTML = '';
});

const contactForm = (extra = '') =>
  `<form id="contact" ${extra}><input name="name" value="Ann"><input name="phone" value="+7 900"><button name="plan" value="pro">Send</button></form>`;

describe('submit trigger', () => {
  test('a matching form submitted makes a lead from its rules', () => {
    ctx = setupCapture([config]);
    document.body.innerHTML = contactForm();
    document.querySelector('form')!.requestSubmit();
    expect(ctx.leads).toEqual([{ formId: 'f1', values: { name: 'Ann', phone: '+7 900', fields: {} } }]);
  });

  test('a form that does not match the selector is ignored', () => {
    ctx = setupCapture([config]);
    document.body.innerHTML = '<form id="search"><input name="phone" value="1"></form>';
    document.querySelector('form')!.requestSubmit();
    expect(ctx.leads).toEqual([]);
  });

  test('a form added after the listeners (an SPA) is caught by delegation', async () => {
    ctx = setupCapture([config]);
    await new Promise((r) => setTimeout(r, 10));
    const div = document.createElement('div');
    div.innerHTML = contactForm();
    document.body.append(div);
    div.querySelector('form')!.requestSubmit();
    expect(ctx.leads).toHaveLength(1);
  });

  test('the selector may match an ancestor, the submitter, or be a comma-separated list', () => {
    ctx = setupCapture([formConfig({ id: 'wrap', selector: '.modal' }), formConfig({ id: 'btn', selector: '.send-btn' }), formConfig({ id: 'list', selector: '#a, #b' })]);
    document.body.innerHTML = '<div class="modal"><form id="b"><button class="send-btn">go</button></form></div>';
    document.querySelector('form')!.requestSubmit(document.querySelector('button'));
    expect(ctx.leads.map((l) => l.formId)).toEqual(['wrap', 'btn', 'list']);
  });

  test("the submitter button's name/value can be read as a field", () => {
    ctx = setupCapture([formConfig({ extraFields: [{ key: 'plan', source: 'field', value: 'plan', required: false }] })]);
    document.body.innerHTML = contactForm();
    document.querySelector('form')!.requestSubmit(document.querySelector('button'));
    expect(ctx.leads[0]!.values.fields).toEqual({ plan: 'pro' });
  });

  test('a form inside an open shadow root is caught (submit is not composed)', () => {
    ctx = setupCapture([config]);
    const host = document.createElement('x-widget');
    document.body.append(host);
    const root = host.attachShadow({ mode: 'open' });
    root.innerHTML = contactForm();
    const input = root.querySelector('input')!;
    input.dispatchEvent(new FocusEvent('focusin', { bubbles: true, composed: true }));
    root.querySelector('form')!.requestSubmit();
    expect(ctx.leads).toHaveLength(1);
    expect(ctx.leads[0]!.values.phone).toBe('+7 900');
  });

  test('a submission the browser validation would block is skipped', () => {
    ctx = setupCapture([config]);
    document.body.innerHTML = contactForm().replace('<button', '<input name="email" type="email" required><button');
    const form = document.querySelector('form')!;
    form.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    expect(ctx.leads).toEqual([]);
    expect(ctx.text()).toContain('invalid form');
  });

  test('…unless the form has novalidate or the submitter has formnovalidate', () => {
    ctx = setupCapture([config]);
    document.body.innerHTML = contactForm('novalidate').replace('<button', '<input name="email" required><button');
    document.querySelector('form')!.requestSubmit();
    expect(ctx.leads).toHaveLength(1);
    document.body.innerHTML = contactForm().replace('<button', '<input name="email" required><button formnovalidate');
    document.querySelector('form')!.requestSubmit(document.querySelector('button'));
    expect(ctx.leads).toHaveLength(2);
  });

  test('a required field left empty makes no lead, and the debug log says why', () => {
    ctx = setupCapture([config]);
    document.body.innerHTML = contactForm();
    document.querySelector<HTMLInputElement>('[name=phone]')!.value = '';
    document.querySelector('form')!.requestSubmit();
    expect(ctx.leads).toEqual([]);
    expect(ctx.text()).toContain('required phone is empty');
  });

  test('the same form with the same values within 10 s makes one lead', () => {
    let t = 0;
    ctx = setupCapture([config], createRepeatGuard(() => t));
    document.body.innerHTML = contactForm();
    const form = document.querySelector('form')!;
    form.requestSubmit();
    form.requestSubmit();
    expect(ctx.leads).toHaveLength(1);
    document.querySelector<HTMLInputElement>('[name=name]')!.value = 'Bob';
    form.requestSubmit();
    expect(ctx.leads).toHaveLength(2);
    t = 10_000;
    form.requestSubmit();
    expect(ctx.leads).toHaveLength(3);
  });

  test('a disabled form config, a click config or another site is not used', () => {
    ctx = setupCapture([
      { ...config, id: 'off', enabled: false },
      { ...config, id: 'click', trigger: 'click' },
      { ...config, id: 'elsewhere', sites: ['other.example'] },
      { ...config, id: 'excluded', sites: [location.hostname], excludeSites: true },
      { ...config, id: 'here', sites: [location.hostname] },
    ]);
    document.body.innerHTML = contactForm();
    document.querySelector('form')!.requestSubmit();
    expect(ctx.leads.map((l) => l.formId)).toEqual(['here']);
    expect(ctx.text()).toContain('not on this site');
  });

  test('never prevents the default action and never throws into the page, even with a bad selector', () => {
    ctx = setupCapture([{ ...config, id: 'bad', selector: '#contact[' }, config]);
    document.body.innerHTML = contactForm();
    let prevented: boolean | null = null;
    const check = (e: Event) => (prevented = e.defaultPrevented);
    document.addEventListener('submit', check, true);
    document.querySelector('form')!.requestSubmit();
    document.removeEventListener('submit', check, true);
    expect(prevented).toBe(false);
    expect(ctx.leads.map((l) => l.formId)).toEqual(['f1']);
    expect(ctx.text()).toContain('bad selector');
  });

  test('a failing rule engine (e.g. a broken config) is logged, not thrown', () => {
    ctx = setupCapture([{ ...config, extraFields: null as never }]);
    document.body.innerHTML = contactForm();
    expect(() => document.querySelector('form')!.requestSubmit()).not.toThrow();
    expect(ctx.text()).toContain('error');
  });
});
