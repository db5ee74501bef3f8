// @vitest-environment happy-dom
// What the picker proposes: the element a config names, its trigger, fields with a guess in English and
// Russian, and the editor URL with the draft (docs/http-api.md "Seeing that a setup works").
import { afterEach, describe, expect, test } from 'vitest';
import { guessField } from '../tools/guess.ts';
import { describe as describePick, pickable } from '../tools/pick-model.ts';

afterEach(() => {
  document.body.innerHTML = '';
});

describe('picker model', () => {
  test('guesses by type, autocomplete, name and label, English and Russian', () => {
    expect(guessField('email', '', 'x', '')).toBe('email');
    expect(guessField('tel', '', 'x', '')).toBe('phone');
    expect(guessField('text', 'name', 'x', '')).toBe('name');
    expect(guessField('textarea', '', 'x', '')).toBe('comment');
    expect(guessField('text', '', 'your-name', '')).toBe('name');
    expect(guessField('text', '', 'form_text_1', 'Ваше имя')).toBe('name');
    expect(guessField('text', '', 'form_text_2', 'Телефон')).toBe('phone');
    expect(guessField('text', '', 'f3', 'Электронная почта')).toBe('email');
    expect(guessField('text', '', 'f4', 'Комментарий')).toBe('comment');
    expect(guessField('text', '', 'city', 'Город')).toBe('');
  });

  test('a control picks its form (submit); a button outside a form is a click form', () => {
    document.body.innerHTML = '<form id="f"><input name="a"><button id="in">Go</button></form><div class="quote"><input name="phone"><button id="out" class="send">Send</button></div>';
    expect(pickable(document.getElementById('in')!)!.id).toBe('f');
    const out = pickable(document.getElementById('out')!)!;
    expect(out.id).toBe('out');
    const p = describePick(out, 'https://c.example', 'p1', 'Request');
    expect(p.trigger).toBe('click');
    expect(p.fields).toEqual([{ name: 'phone', type: 'text', label: '', guess: 'phone' }]);
  });

  test('the editor URL carries the draft: title, trigger, selector and the guessed fields by control name', () => {
    document.body.innerHTML =
      '<form class="t-form css-1x2y3z"><label for="n">Имя</label><input id="n" name="Name"><input name="Phone" type="tel">' +
      '<input name="Email" type="email"><textarea name="Textarea"></textarea><input type="hidden" name="tildaspec"><input name="pw" type="password"><input name="cc" autocomplete="cc-number"><button>Send</button></form>';
    const p = describePick(document.querySelector('form')!, 'https://c.example', 'p1', 'Request: Tilda');
    expect(p.selector).toBe('form.t-form');
    expect(p.fields.map((f) => [f.name, f.type, f.label, f.guess])).toEqual([
      ['Name', 'text', 'Имя', 'name'],
      ['Phone', 'tel', '', 'phone'],
      ['Email', 'email', '', 'email'],
      ['Textarea', 'textarea', '', 'comment'],
    ]);
    const url = new URL(p.url);
    expect(url.origin + url.pathname).toBe('https://c.example/admin/p/p1/forms/new');
    expect(JSON.parse(url.searchParams.get('draft')!)).toEqual({
      title: 'Request: Tilda',
      trigger: 'submit',
      selector: 'form.t-form',
      fields: {
        name: { source: 'field', value: 'Name', required: false },
        phone: { source: 'field', value: 'Phone', required: false },
        email: { source: 'field', value: 'Email', required: false },
        comment: { source: 'field', value: 'Textarea', required: false },
      },
    });
  });
});
