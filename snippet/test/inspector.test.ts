// @vitest-environment happy-dom
// The inspector's report and its debug print: applies, matches (shadow roots included), found and preview
// per rule, never a secret's value; warnings for a selector matching nothing and a name not found.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { printReport } from '../tools/debug.ts';
import { M } from '../messages.ts';
import { inspect } from '../tools/inspect.ts';
import { formConfig } from './helpers.ts';

afterEach(() => {
  document.body.innerHTML = '';
});

const field = (value: string, required = false) => ({ source: 'field' as const, value, required });

describe('inspector', () => {
  test('matches, found and previews; a wrong selector and a missing name are visible', () => {
    document.body.innerHTML =
      '<form id="contact"><input name="name" value="Anna"><input name="phone" value="+7 900 111"><input name="pass" type="password" value="pw">' +
      '<input name="card" autocomplete="cc-number" value="4111"><input name="note" data-leadrelay-ignore value="private"></form>';
    const forms = [
      formConfig({
        id: 'f1',
        title: 'Contact',
        fields: { name: field('name'), phone: field('phone', true), email: field('e-mail'), comment: { source: 'static', value: 'From site', required: false } },
        extraFields: [{ key: 'p', ...field('pass') }, { key: 'c', ...field('card') }, { key: 'n', ...field('note') }],
      }),
      formConfig({ id: 'f2', title: 'Typo', selector: '#contakt', fields: { phone: field('phone') } }),
      formConfig({ id: 'f3', title: 'Elsewhere', selector: '#contact', sites: ['other.example'] }),
    ];
    const r = inspect(document, 'p1', 7, forms);
    expect(r.project).toBe('p1');
    expect(r.visit).toBe(7);
    expect(r.forms.map((f) => [f.id, f.applies, f.matches])).toEqual([
      ['f1', true, 1],
      ['f2', true, 0],
      ['f3', false, 1],
    ]);
    expect(r.forms[0]!.fields).toEqual([
      { key: 'name', source: 'field', value: 'name', required: false, found: true, preview: 'Anna' },
      { key: 'phone', source: 'field', value: 'phone', required: true, found: true, preview: '+7 900 111' },
      { key: 'email', source: 'field', value: 'e-mail', required: false, found: false, preview: '' },
      { key: 'comment', source: 'static', value: 'From site', required: false, found: true, preview: 'From site' },
      { key: 'p', source: 'field', value: 'pass', required: false, found: true, preview: '' },
      { key: 'c', source: 'field', value: 'card', required: false, found: true, preview: '' },
      { key: 'n', source: 'field', value: 'note', required: false, found: true, preview: '' },
    ]);
    expect(r.forms[1]!.fields[0]).toMatchObject({ found: false, preview: '' });
  });

  test('counts matches inside open shadow roots', () => {
    document.body.innerHTML = '<div id="h"></div><form class="lead"></form>';
    document.getElementById('h')!.attachShadow({ mode: 'open' }).innerHTML = '<form class="lead"><input name="phone" value="5"></form>';
    const r = inspect(document, 'p', null, [formConfig({ selector: '.lead', fields: { phone: field('phone') } })]);
    expect(r.forms[0]).toMatchObject({ matches: 2, fields: [{ found: true, preview: '5' }] });
  });

  test('a form with confirm says how its last lead on this page fared, a dropped one with a warning', () => {
    document.body.innerHTML = '<form id="contact"><input name="phone"></form><form id="b"></form>';
    const forms = [
      formConfig({ id: 'f1', title: 'Tilda', confirm: { selector: '.ok', seconds: 5 } }),
      formConfig({ id: 'f2', title: 'CF7', selector: '#b', confirm: { event: 'wpcf7mailsent', seconds: 5 } }),
      formConfig({ id: 'f3', title: 'Plain', selector: '#b' }),
      formConfig({ id: 'f4', title: 'New', selector: '#b', confirm: { event: 'x', seconds: 5 } }),
    ];
    // confirm.ts `last`, by form id.
    const r = inspect(document, 'p', null, forms, { f1: M.NotConfirmed, f2: M.Confirmed });
    expect(r.forms.map((f) => f.confirmation)).toEqual(['dropped: not confirmed', 'confirmed', undefined, 'no lead yet']);
    expect('confirmation' in r.forms[2]!).toBe(false);
    const out = { log: vi.fn(), table: vi.fn(), warn: vi.fn() };
    printReport(r, out);
    expect(out.warn.mock.calls.map((c) => c[0])).toContain('[leadrelay] form "Tilda": its last lead was dropped: not confirmed');
  });

  test('the debug print: tables, and a warning for each selector matching nothing and each name not found', () => {
    document.body.innerHTML = '<form id="contact"><input name="phone"></form>';
    const out = { log: vi.fn(), table: vi.fn(), warn: vi.fn() };
    const forms = [formConfig({ title: 'Contact', fields: { email: field('email') } }), formConfig({ id: 'f2', title: 'Typo', selector: '#nope' })];
    printReport(inspect(document, 'p', null, forms), out);
    expect(out.table).toHaveBeenCalledTimes(2);
    expect(out.warn.mock.calls.map((c) => c[0])).toEqual([
      '[leadrelay] form "Contact": no control named "email" (email) in the matched element',
      '[leadrelay] form "Typo": selector #nope matches nothing on this page',
    ]);
  });
});
