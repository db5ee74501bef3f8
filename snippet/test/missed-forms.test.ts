// @vitest-environment happy-dom
// Missed forms: a submit no config matched is reported by structure (never values), once per form per
// page view, never for [data-leadrelay-ignore] forms or controls; a matched form is never reported.
import { afterEach, expect, test } from 'vitest';
import { createMissed } from '../missed.ts';
import { setupCapture, stopNavigation } from './capture-setup.ts';
import { formConfig } from './helpers.ts';

afterEach(() => {
  document.body.innerHTML = '';
  document.removeEventListener('submit', stopNavigation);
});

function submit(form: HTMLFormElement) {
  form.dispatchEvent(new SubmitEvent('submit', { bubbles: true, cancelable: true }));
}

test('the capture hands over only forms that no config matched', () => {
  document.body.innerHTML = '<form id="contact"><input name="phone" value="1"></form><form id="search"><input name="q" value="x"></form>';
  document.addEventListener('submit', stopNavigation);
  const c = setupCapture([formConfig({ selector: '#contact' })]);
  submit(document.getElementById('contact') as HTMLFormElement);
  submit(document.getElementById('search') as HTMLFormElement);
  c.dispose();
  expect(c.missed.map((f) => f.id)).toEqual(['search']);
});

test('a report holds the selector, page and control names and types, never a value; once per form per page view', () => {
  document.body.innerHTML =
    '<form name="order"><input name="fio" value="Ivan"><input name="tel" type="tel" value="+7 900"><select name="size"><option>L</option></select>' +
    '<textarea name="msg">secret text</textarea><input name="card" data-leadrelay-ignore value="4111">' +
    // Password, file and card controls are structure too: listed by name and type, their values never read.
    '<input name="pw" type="password" value="hunter2"><input name="cardno" autocomplete="cc-number" value="5500"><button>Go</button></form>';
  const sent: unknown[] = [];
  const missed = createMissed((b) => sent.push(b));
  const form = document.querySelector('form')!;
  missed(form);
  missed(form);
  expect(sent).toEqual([
    {
      selector: 'form[name="order"]',
      page: location.href,
      fields: [
        { name: 'fio', type: 'text' },
        { name: 'tel', type: 'tel' },
        { name: 'size', type: 'select-one' },
        { name: 'msg', type: 'textarea' },
        { name: 'pw', type: 'password' },
        { name: 'cardno', type: 'text' },
      ],
    },
  ]);
  expect(JSON.stringify(sent)).not.toMatch(/Ivan|\+7 900|secret|4111|hunter2|5500/);
});

test('a form inside [data-leadrelay-ignore] is never reported', () => {
  document.body.innerHTML = '<div data-leadrelay-ignore><form id="login"><input name="user"></form></div><form id="x" data-leadrelay-ignore></form>';
  const sent: unknown[] = [];
  const missed = createMissed((b) => sent.push(b));
  for (const f of Array.from(document.forms)) missed(f);
  expect(sent).toEqual([]);
});
